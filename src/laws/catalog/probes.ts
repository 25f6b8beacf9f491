/** Laws of the family "Probes and restarts": probes (liveness, readiness, startup) and container restarts. */
import type { LawDefinition } from './law.ts';

const probesAndRestarts = 'Probes and restarts';

const probeTest = 'test/e2e/common/node/container_probe.go';

export const probeLaws = [
  {
    id: 'PRB-1',
    family: probesAndRestarts,
    statement: 'Unset probe fields are defaulted.',
    defaults:
      'initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, successThreshold 1 (must be 1 for liveness and startup), failureThreshold 3',
    observe: 'the stored pod spec',
    docs: ['PROBES'],
    upstreamTest: probeTest,
    timing: undefined,
  },
  {
    id: 'PRB-2',
    family: probesAndRestarts,
    statement:
      'After failureThreshold consecutive liveness failures the kubelet kills the container (honoring the grace period) and restarts it per restartPolicy.',
    defaults: 'about initialDelay + failureThreshold x period, plus up to one period of start jitter',
    observe: 'restartCount, lastState.terminated, event "Unhealthy" then "Killing"',
    docs: ['LIFECYCLE', 'PROBES'],
    upstreamTest: probeTest,
    timing: 'initialDelaySeconds (when failing from the start) + failureThreshold × periodSeconds, plus up to one period of probe phase',
  },
  {
    id: 'PRB-3',
    family: probesAndRestarts,
    statement:
      'A failing readiness probe sets the Ready condition False, removes the pod from Service endpoints, and does NOT restart the container. Before initialDelay the pod is not ready.',
    defaults: 'failureThreshold x period',
    observe: 'condition Ready, EndpointSlice endpoint `ready=false`, restartCount unchanged',
    docs: ['LIFECYCLE', 'PROBES'],
    upstreamTest: probeTest,
    timing: 'failureThreshold × periodSeconds (successThreshold × periodSeconds to come back), plus up to one period of probe phase',
  },
  {
    id: 'PRB-4',
    family: probesAndRestarts,
    statement:
      'A startup probe holds off liveness and readiness until it succeeds; if it exhausts failureThreshold the container is killed and restarted.',
    defaults: 'failureThreshold x period of the startup probe',
    observe: 'restarts, time Ready is set',
    docs: ['LIFECYCLE'],
    upstreamTest: probeTest,
    timing: 'startup initialDelaySeconds + failureThreshold × periodSeconds, plus up to one period of probe phase',
  },
  {
    id: 'PRB-5',
    family: probesAndRestarts,
    statement: "A probe-level terminationGracePeriodSeconds overrides the pod's for liveness and startup kills (not allowed on readiness).",
    defaults: 'inherits pod value (30 s)',
    observe: 'time from kill to restart',
    docs: ['PROBES'],
    upstreamTest: probeTest,
    timing: "the probe's terminationGracePeriodSeconds (SIGTERM ignored), instead of the pod's",
  },
  {
    id: 'PRB-6',
    family: probesAndRestarts,
    statement: 'HTTP probes pass on status 200-399; TCP probes pass when the port accepts; exec probes pass on exit 0.',
    defaults: 'User-Agent `kube-probe/<version>`',
    observe: 'probe outcome, events',
    docs: ['PROBES'],
    upstreamTest: probeTest,
    timing: undefined,
  },
  {
    id: 'PRB-7',
    family: probesAndRestarts,
    statement: 'A pod being deleted becomes unready whatever its readiness probe says.',
    defaults: '',
    observe: 'Ready=False once deletionTimestamp is set',
    docs: ['LIFECYCLE'],
    upstreamTest: probeTest,
    timing: undefined,
  },
  {
    id: 'RST-1',
    family: probesAndRestarts,
    statement:
      'A crashing container restarts with exponential back-off: first restart immediate, then 10 s doubling to a 300 s cap, reset after 10 min of clean running.',
    defaults: "10 s, 20 s, 40 s ... 300 s (feature gates in recent releases can change this: read the cluster's)",
    observe: 'state.waiting.reason CrashLoopBackOff; gap from lastState.finishedAt to next startedAt',
    docs: ['LIFECYCLE'],
    upstreamTest: probeTest,
    timing:
      "gap n = min(initial × 2^(n-1), max) after an immediate first restart; initial and max from the node's kubelet gates and configz",
  },
  {
    id: 'RST-2',
    family: probesAndRestarts,
    statement:
      'A container that exceeds its memory limit is OOM-killed by the kernel, not evicted: exit code 137, reason OOMKilled, restarted per restartPolicy, the pod stays bound to its node.',
    defaults: '',
    observe: 'lastState.terminated.reason / exitCode',
    docs: ['MEMORY', 'QOS'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'RST-3',
    family: probesAndRestarts,
    statement:
      'restartPolicy Always / OnFailure / Never governs restarts of app containers; init containers behave as OnFailure under Always.',
    defaults: 'Always',
    observe: 'restartCount, phase',
    docs: ['LIFECYCLE'],
    upstreamTest: undefined,
    timing: undefined,
  },
] as const satisfies readonly LawDefinition[];
