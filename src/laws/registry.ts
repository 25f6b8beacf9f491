/**
 * Every law of the catalog (shared/laws.md): id, statement, documentation, upstream
 * test, what to observe, and — for laws with a timing — the formula that turns the
 * cluster's settings (and the pod spec under test) into an expected duration; the
 * formulas themselves live in ./timing.ts under the same id.
 */
import { docUrl } from './docs.ts';
import type { DocKey } from './docs.ts';

export type LawFamily =
  | 'Probes and restarts'
  | 'Termination, hooks and endpoints'
  | 'Node-pressure eviction and QoS'
  | 'Node loss and rescheduling'
  | 'Disruption budgets and the Eviction API'
  | 'Pod anatomy';

export interface LawDefinition {
  readonly id: string;
  readonly family: LawFamily;
  readonly statement: string;
  /** The catalog's "defaults / timing" column. */
  readonly defaults: string;
  readonly observe: string;
  readonly docs: readonly DocKey[];
  /** File of kubernetes/kubernetes that checks the same rule, when there is one. */
  readonly upstreamTest: string | undefined;
  /** How the expected timing is computed (see lawTimings), when the law has one. */
  readonly timing: string | undefined;
}

const probesAndRestarts = 'Probes and restarts';
const termination = 'Termination, hooks and endpoints';
const pressure = 'Node-pressure eviction and QoS';
const nodeLoss = 'Node loss and rescheduling';
const budgets = 'Disruption budgets and the Eviction API';
const anatomy = 'Pod anatomy';

const probeTest = 'test/e2e/common/node/container_probe.go';

export const lawDefinitions = [
  {
    id: 'PRB-1',
    family: probesAndRestarts,
    statement: 'Unset probe fields are defaulted.',
    defaults: 'initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, successThreshold 1 (must be 1 for liveness and startup), failureThreshold 3',
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
    statement:
      "A probe-level terminationGracePeriodSeconds overrides the pod's for liveness and startup kills (not allowed on readiness).",
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
    timing: "gap n = min(initial × 2^(n-1), max) after an immediate first restart; initial and max from the node's kubelet gates and configz",
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
    statement: 'A terminating pod stays in its EndpointSlice with `terminating=true`, `ready=false` and `serving` equal to its real readiness.',
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
  {
    id: 'QOS-1',
    family: pressure,
    statement:
      'QoS class: Guaranteed when every container (init included) sets cpu and memory requests equal to limits; BestEffort when none sets any request or limit; otherwise Burstable.',
    defaults: '',
    observe: 'status.qosClass',
    docs: ['QOS'],
    upstreamTest: 'test/e2e/node/pods.go',
    timing: undefined,
  },
  {
    id: 'NPE-1',
    family: pressure,
    statement: 'Default hard thresholds apply only when no threshold is set; setting one zeroes the others unless merged.',
    defaults: 'memory.available<100Mi, nodefs.available<10%, imagefs.available<15%, nodefs.inodesFree<5%',
    observe: 'kubelet /configz',
    docs: ['NPE'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NPE-2',
    family: pressure,
    statement: "memory.available = capacity - working set of the node's root cgroup, sampled every housekeeping interval.",
    defaults: '10 s',
    observe: 'summary API node.memory.availableBytes',
    docs: ['NPE'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: 'housekeeping interval (10 s)',
  },
  {
    id: 'NPE-3',
    family: pressure,
    statement:
      'When a memory threshold is crossed the node gets condition MemoryPressure=True and taint node.kubernetes.io/memory-pressure:NoSchedule; the condition stays True for the transition period after relief.',
    defaults: 'transition period 5 min',
    observe: 'node conditions and taints; new BestEffort pods not scheduled there',
    docs: ['NPE', 'TAINTS'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: "the node's kubelet evictionPressureTransitionPeriod (configz, else 5 min)",
  },
  {
    id: 'NPE-4',
    family: pressure,
    statement: 'Hard eviction kills with 0 s grace, ignoring terminationGracePeriodSeconds and PodDisruptionBudgets.',
    defaults: '',
    observe: 'time from eviction to container exit',
    docs: ['NPE'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: undefined,
  },
  {
    id: 'NPE-5',
    family: pressure,
    statement:
      'Eviction ranking: first pods whose usage exceeds their request, then by Priority, then by usage minus request. QoS class itself is not consulted: Guaranteed pods and Burstable pods under their request go last, by priority. The popular "BestEffort, then Burstable, then Guaranteed" is a consequence in simple cases, not the rule.',
    defaults: '',
    observe: 'the order in which pods turn Failed/Evicted',
    docs: ['NPE'],
    upstreamTest: 'test/e2e_node/eviction_test.go (PriorityMemoryEvictionOrdering)',
    timing: undefined,
  },
  {
    id: 'NPE-6',
    family: pressure,
    statement:
      'An evicted pod gets phase Failed, reason Evicted, a message naming the starved resource, a DisruptionTarget condition, and one Evicted event; it is not restarted; its controller replaces it.',
    defaults: '',
    observe: 'status, conditions, events',
    docs: ['NPE', 'DISRUPTIONS'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: undefined,
  },
  {
    id: 'NPE-7',
    family: pressure,
    statement:
      'If memory runs out before the kubelet acts, the kernel OOM killer chooses by oom_score_adj: Guaranteed -997, BestEffort 1000, Burstable in between by request.',
    defaults: '',
    observe: 'OOMKilled without Evicted',
    docs: ['NPE'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NOD-1',
    family: nodeLoss,
    statement: 'A node that stops heartbeating turns Ready=Unknown after node-monitor-grace-period.',
    defaults: '40 s up to 1.31, 50 s from 1.32; monitor period 5 s; lease renewal 10 s',
    observe: 'node condition Ready',
    docs: ['NODESTATUS', 'KCM'],
    upstreamTest: 'test/e2e/apps/network_partition.go',
    timing: 'node-monitor-grace-period (+ up to one node-monitor-period), read from kube-controller-manager',
  },
  {
    id: 'NOD-2',
    family: nodeLoss,
    statement:
      'The node controller then taints it node.kubernetes.io/unreachable (Unknown) or not-ready (False), NoExecute and NoSchedule. Evictions are rate limited per zone and stop when a large share of a small zone is unhealthy.',
    defaults: 'rate 0.1 nodes/s; unhealthy-zone threshold 0.55',
    observe: 'spec.taints',
    docs: ['TAINTS', 'NODESTATUS'],
    upstreamTest: 'test/e2e/apps/network_partition.go',
    timing: undefined,
  },
  {
    id: 'NOD-3',
    family: nodeLoss,
    statement:
      'The DefaultTolerationSeconds admission plugin adds NoExecute tolerations for not-ready and unreachable to every pod that sets none.',
    defaults: '300 s',
    observe: 'spec.tolerations',
    docs: ['ADMISSION'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NOD-4',
    family: nodeLoss,
    statement:
      'Pods on a lost node turn NotReady, leave endpoints, and after their tolerationSeconds are marked for deletion (DisruptionTarget DeletionByTaintManager); they stay Terminating until the kubelet returns, the Node is deleted or they are force-deleted.',
    defaults: 'grace + tolerationSeconds',
    observe: 'deletionTimestamp, conditions; do not wait for the object to vanish',
    docs: ['TAINTS', 'STSFORCE'],
    upstreamTest: 'test/e2e/apps/network_partition.go',
    timing: 'node-monitor-grace-period + the pod\'s unreachable tolerationSeconds (apiserver default-unreachable-toleration-seconds)',
  },
  {
    id: 'NOD-5',
    family: nodeLoss,
    statement:
      'A NoExecute taint evicts non-tolerating pods at once, never evicts pods tolerating it without seconds, and evicts after tolerationSeconds otherwise; removing the taint cancels a pending eviction.',
    defaults: '',
    observe: 'DELETE watch events with timing',
    docs: ['TAINTS'],
    upstreamTest: 'test/e2e/node/taints.go',
    timing: undefined,
  },
  {
    id: 'NOD-6',
    family: nodeLoss,
    statement: 'A Deployment replaces pods lost with a node on another node; a naked Pod is never replaced.',
    defaults: '',
    observe: "the ReplicaSet's pods, their nodeName",
    docs: ['LIFECYCLE'],
    upstreamTest: 'test/e2e/apps/network_partition.go',
    timing: undefined,
  },
  {
    id: 'NOD-7',
    family: nodeLoss,
    statement: 'A StatefulSet is at-most-once: no replacement while the old pod object exists; a force delete allows one.',
    defaults: '',
    observe: 'pod stuck Terminating, no second ordinal',
    docs: ['STSFORCE'],
    upstreamTest: 'test/e2e/apps/network_partition.go',
    timing: undefined,
  },
  {
    id: 'NOD-8',
    family: nodeLoss,
    statement: 'DaemonSet pods tolerate unreachable and not-ready forever and are not evicted by node loss.',
    defaults: '',
    observe: 'DaemonSet pods keep no deletionTimestamp',
    docs: ['TAINTS'],
    upstreamTest: 'test/e2e/apps/daemon_set.go',
    timing: undefined,
  },
  {
    id: 'NOD-9',
    family: nodeLoss,
    statement: 'When the lost node comes back, its kubelet finishes terminating pods marked for deletion, and the node clears its taints.',
    defaults: '',
    observe: 'pods gone, taints removed, Ready=True',
    docs: ['NODESTATUS'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NOD-10',
    family: nodeLoss,
    statement: 'Pods bound to a Node object that is deleted are garbage-collected (DeletionByPodGC).',
    defaults: '',
    observe: 'pods removed, conditions',
    docs: ['LIFECYCLE'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'EVA-1',
    family: budgets,
    statement:
      'The Eviction API answers 200 and deletes gracefully when allowed, 429 with cause DisruptionBudget when a PodDisruptionBudget would be violated, 500 when more than one budget matches.',
    defaults: '',
    observe: 'HTTP status and cause; DisruptionTarget EvictionByEvictionAPI',
    docs: ['APIEVICT'],
    upstreamTest: 'test/e2e/apps/disruption.go',
    timing: undefined,
  },
  {
    id: 'EVA-2',
    family: budgets,
    statement:
      'A drain that would break a budget blocks; node-pressure eviction, node loss and direct deletes are not stopped by budgets but count against them.',
    defaults: '',
    observe: 'drain outcome, pdb.status.disruptionsAllowed',
    docs: ['DISRUPTIONS'],
    upstreamTest: 'test/e2e/apps/disruption.go',
    timing: undefined,
  },
  {
    id: 'INI-1',
    family: anatomy,
    statement:
      'Init containers run one at a time in order, each must exit 0 before the next starts; app containers start only after all succeed; the pod shows Initialized=False meanwhile; with restartPolicy Never a failed init container fails the pod. Effective request = max(largest init request, sum of app requests).',
    defaults: '',
    observe: 'initContainerStatuses, conditions, scheduling',
    docs: ['INIT'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NET-1',
    family: anatomy,
    statement:
      'Containers of one pod share a network namespace: one reaches another on localhost; two binding the same port conflict (the second fails).',
    defaults: '',
    observe: 'exec into one container, restart reasons',
    docs: ['PODNET'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NET-2',
    family: anatomy,
    statement: 'A pod keeps its IP across container restarts; a recreated pod gets a new IP and UID.',
    defaults: '',
    observe: 'status.podIP, uid',
    docs: ['LIFECYCLE'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'VOL-1',
    family: anatomy,
    statement: "An emptyDir is shared by the pod's containers, survives container restarts and is lost when the pod is deleted.",
    defaults: '',
    observe: 'file written by one container read by another, before and after restart',
    docs: ['VOLUMES'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'DNS-1',
    family: anatomy,
    statement:
      "dnsPolicy ClusterFirst resolves cluster names and forwards others; Default uses the node's resolver; None uses dnsConfig; hostNetwork pods need ClusterFirstWithHostNet for cluster names.",
    defaults: '',
    observe: 'resolv.conf and lookups inside the pod',
    docs: ['DNS'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'SA-1',
    family: anatomy,
    statement:
      'serviceAccountName sets the identity whose token is mounted at /var/run/secrets/kubernetes.io/serviceaccount (unless automount is off).',
    defaults: '',
    observe: 'mounted token, API call as that account',
    docs: ['SA'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'STA-1',
    family: anatomy,
    statement:
      'A static pod is run by the kubelet from a manifest file; its mirror pod in the API cannot remove it: deleting the mirror makes the kubelet recreate it.',
    defaults: '',
    observe: 'mirror pod annotation kubernetes.io/config.mirror, recreation',
    docs: ['STATIC'],
    upstreamTest: undefined,
    timing: undefined,
  },
] as const satisfies readonly LawDefinition[];

export type LawId = (typeof lawDefinitions)[number]['id'];

export interface Law extends LawDefinition {
  readonly id: LawId;
  readonly docUrls: readonly string[];
}

export const laws: readonly Law[] = lawDefinitions.map((definition) => ({
  ...definition,
  docUrls: definition.docs.map((key) => docUrl(key)),
}));

const byId = new Map<string, Law>(laws.map((law) => [law.id, law]));

export function isLawId(value: string): value is LawId {
  return byId.has(value);
}

export function lawById(id: LawId): Law {
  const law = byId.get(id);
  if (law === undefined) throw new Error(`unknown law ${id}`);
  return law;
}
