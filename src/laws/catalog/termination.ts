/** Laws of the family "Termination, hooks and endpoints": graceful termination, lifecycle hooks, and the endpoints of terminating pods. */
import type { LawDefinition } from './law.ts';

const termination = 'Termination, hooks and endpoints';

const probeTest = 'test/e2e/common/node/container_probe.go';

export const terminationLaws = [
  {
    id: 'TRM-1',
    family: termination,
    statement:
      'Deletion is graceful by default: deletionTimestamp and deletionGracePeriodSeconds are set and the object stays until the kubelet confirms. A forced delete with grace 0 removes the object at once.',
    defaults: '30 s',
    observe: 'metadata.deletionTimestamp, deletionGracePeriodSeconds',
    docs: ['LIFECYCLE'],
    upstreamTest: 'test/e2e/node/pods.go',
    timing: 'deletionTimestamp = time of the delete request + grace period (pod value, 30 s when unset)',
  },
  {
    id: 'TRM-2',
    family: termination,
    statement:
      'On deletion the preStop hook runs first, then SIGTERM goes to PID 1 of each container, then SIGKILL when the grace period ends (a one-off 2 s extension if preStop is still running). The hook shares the grace period.',
    defaults: '30 s (+2 s)',
    observe: 'hook side effect timestamps; exit code 137 after SIGKILL; finishedAt - deletionTimestamp <= grace + 2 s + slack',
    docs: ['LIFECYCLE'],
    upstreamTest: 'test/e2e/common/node/lifecycle_hook.go',
    timing: 'SIGKILL at grace after the delete request; at grace + 2 s when preStop outlives the grace period',
  },
  {
    id: 'TRM-3',
    family: termination,
    statement:
      'A terminating pod stays in its EndpointSlice with `terminating=true`, `ready=false` and `serving` equal to its real readiness.',
    defaults: '',
    observe: 'EndpointSlice endpoint conditions',
    docs: ['ENDPOINTSLICE'],
    upstreamTest: 'test/e2e/network/pod_lifecycle.go',
    timing: undefined,
  },
  {
    id: 'TRM-4',
    family: termination,
    statement:
      'Endpoint removal races SIGTERM: without a preStop delay, traffic through a Service can still reach a terminating pod; a preStop sleep longer than the propagation time lets in-flight traffic drain with no errors.',
    defaults: 'propagation depends on cluster',
    observe: 'request errors seen by a load generator during a rolling delete',
    docs: ['LIFECYCLE'],
    upstreamTest: 'test/e2e/network/pod_lifecycle.go',
    timing: undefined,
  },
  {
    id: 'TRM-5',
    family: termination,
    statement:
      'A replacement pod is a new object: new UID, usually a new name and a new IP; a ReplicaSet replaces a terminating pod at once, a StatefulSet waits until the same-name pod is gone.',
    defaults: '',
    observe: 'uid, podIP, creationTimestamp vs the old deletionTimestamp',
    docs: ['LIFECYCLE', 'DISRUPTIONS'],
    upstreamTest: 'test/e2e/apps/statefulset.go',
    timing: undefined,
  },
  {
    id: 'HK-1',
    family: termination,
    statement:
      'postStart runs concurrently with the entrypoint, and the container is not reported running until postStart completes; a failing postStart kills the container.',
    defaults: '',
    observe: 'container state timing, events FailedPostStartHook',
    docs: ['HOOKS'],
    upstreamTest: 'test/e2e/common/node/lifecycle_hook.go',
    timing: undefined,
  },
  {
    id: 'SC-1',
    family: termination,
    statement:
      'Sidecar (restartable init) containers start before app containers and stop after them, in reverse order; they restart even under restartPolicy Never.',
    defaults: '',
    observe: 'containerStatuses finishedAt order',
    docs: ['SIDECAR'],
    upstreamTest: probeTest,
    timing: undefined,
  },
] as const satisfies readonly LawDefinition[];
