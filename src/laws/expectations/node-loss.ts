/**
 * Expected timings of the node-loss laws (NOD-*): the expected timeline of a lost node, from the cluster's settings and the pods'
 * stored tolerations. Pure. Every window is the documented value plus only the jitter
 * the controllers' code gives (Kubernetes v1.36.3):
 *
 * - pkg/controller/nodelifecycle/node_lifecycle_controller.go, monitorNodeHealth runs
 *   every node-monitor-period; tryUpdateNodeHealth sets probeTimestamp = now() at the
 *   first pass that sees a renewed Lease (so up to one period after renewTime), and
 *   marks Ready=Unknown at the first pass after probeTimestamp + grace (up to one more
 *   period). Hence last renewTime → Unknown ∈ [grace, grace + 2 × period].
 * - In that same pass processTaintBaseEviction queues the node for the NoExecute
 *   unreachable taint and MarkPodsNotReady sets the pods' Ready=False: no extra period.
 *   doNoExecuteTaintingPass drains the zone queue every scheduler.NodeEvictionPeriod
 *   (100 ms), each node taking one token of the zone's token bucket
 *   (evictionLimiterQPS = --node-eviction-rate, burst EvictionRateLimiterBurst = 1).
 * - The NoSchedule unreachable taint comes from doNoScheduleTaintingPass, driven by the
 *   node update the Unknown write causes (doNodeProcessingPassWorker): no period.
 * - pkg/controller/tainteviction/taint_eviction.go, processPodOnNode: a pod tolerating
 *   the taint for N s is deleted at (the controller's now when it saw the taint) + N s.
 * - Removal: markNodeAsReachable runs in the first monitor pass that sees Ready=True.
 */
import type { ClusterTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import { formatSeconds } from '../../kube/named-timeout.ts';
import { podGcCheckPeriodMs, podGcQuarantineMs } from '../../kube/podgc.ts';
import type { Expectation, Tolerance } from '../expectation.ts';
import { withinExpectation } from '../expectation.ts';

/** A node without heartbeats turns Ready=Unknown after the grace period, checked every monitor period. */
export function nodeNotReady(timing: ClusterTiming): Expectation {
  // One window for NOD-1 everywhere: the controller first sees the renewal at a monitor pass (probeTimestamp = now),
  // then marks Unknown at the first pass after probeTimestamp + grace — two periods of phase, not one (a 40.6 s
  // measurement against a one-period 35 s + 5 s window showed it; tryUpdateNodeHealth in v1.36.3).
  return { ...heartbeatToUnknown(timing), what: 'last heartbeat → Ready=Unknown' };
}

/** Pods on a lost node are marked for deletion after their unreachable toleration. */
export function lostNodePodDeletion(timing: ClusterTiming): Expectation {
  const notReady = nodeNotReady(timing);
  const toleration = timing.defaultUnreachableTolerationSeconds;
  return {
    what: 'last heartbeat → pod deletionTimestamp',
    nominalMs: notReady.nominalMs + toleration.value * 1000,
    minMs: notReady.minMs + toleration.value * 1000,
    maxMs: notReady.maxMs + toleration.value * 1000,
    formula: `${notReady.formula} + tolerationSeconds ${toleration.value} s`,
    source: `${notReady.source}; ${describeSource(toleration)}`,
  };
}

const lifecycle = 'pkg/controller/nodelifecycle/node_lifecycle_controller.go';
const taintEviction = 'pkg/controller/tainteviction/taint_eviction.go processPodOnNode';
/** scheduler.NodeEvictionPeriod in pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go. */
export const nodeEvictionPeriodMs = 100;

/** Last Lease renewTime → Ready=Unknown. */
export function heartbeatToUnknown(timing: ClusterTiming): Expectation {
  const grace = timing.nodeMonitorGracePeriodMs.value;
  const period = timing.nodeMonitorPeriodMs.value;
  return {
    what: 'lost node: last heartbeat → Ready=Unknown',
    nominalMs: grace,
    minMs: grace,
    maxMs: grace + 2 * period,
    formula: `node-monitor-grace-period ${formatSeconds(grace)} + up to 2 × node-monitor-period ${formatSeconds(period)} (probe seen, then checked, once per period: ${lifecycle} tryUpdateNodeHealth)`,
    source: `${describeSource(timing.nodeMonitorGracePeriodMs)}; ${describeSource(timing.nodeMonitorPeriodMs)}`,
  };
}

/** Ready=Unknown → something the lifecycle controller writes in the same pass (pods NotReady, NoSchedule taint). */
export function samePass(what: string, where: string): Expectation {
  return { what, nominalMs: 0, minMs: 0, maxMs: 0, formula: `same monitor pass (${lifecycle} ${where})`, source: `${lifecycle} (v1.36.3)` };
}

/**
 * A link of MarkPodsNotReady's pass: from one write to the next seen (the node's Ready=Unknown, then each pod's Ready=False
 * on that node; a pod is judged by the longest link up to its own mark, longestLinkInPass). The controller writes the pods' statuses one at a
 * time (pkg/controller/util/node/controller_utils.go MarkPodsNotReady), some of them pods podlaw does not watch, and the
 * next pass starts node-monitor-period after this one ends (wait.UntilWithContext, sliding). So within a pass every link is
 * shorter than the period, and a pod left to a later pass shows a link of at least the period. The node and pod watches
 * are separate streams: the first link may read short by their delivery skew.
 */
export function nextWriteInPass(what: string, timing: ClusterTiming, deliverySkewMs: number): Expectation {
  const period = timing.nodeMonitorPeriodMs.value;
  return {
    what,
    nominalMs: 0,
    minMs: -deliverySkewMs,
    maxMs: period - 1,
    formula: `the next status write of the same monitor pass (${lifecycle} MarkPodsNotReady, one pod at a time): under node-monitor-period ${formatSeconds(period)}, after which a next pass would start; first link − watch delivery skew ${formatSeconds(deliverySkewMs)}`,
    source: describeSource(timing.nodeMonitorPeriodMs),
  };
}

/**
 * The longest link of the pass up to a pod's own mark: the gaps between the node's Ready=Unknown and every mark seen on the
 * node's pods up to this one, in order. A pass left for later shows there, whichever pod carried it. Pure.
 */
export function longestLinkInPass(unknownAtMs: number, marksAtMs: readonly number[], ownAtMs: number): number {
  // Seen before the node's Unknown (separate streams): the skew itself is the link.
  if (ownAtMs < unknownAtMs) return ownAtMs - unknownAtMs;
  const chain = [unknownAtMs, ...marksAtMs.filter((at) => at > unknownAtMs && at < ownAtMs).sort((a, b) => a - b), ownAtMs];
  return Math.max(...chain.slice(1).map((at, i) => at - (chain[i] ?? at)));
}

/** A NoExecute taint the node lifecycle controller manages (unreachable or not-ready) on one node version. */
export interface ControllerTaint {
  readonly key: string;
  readonly timeAddedMs: number;
}

/**
 * Which of a node version's NoExecute controller taints did NOT take a token from the
 * zone's bucket. A node already tainted with the opposite condition's taint has it swapped
 * at once, outside the rate-limited queue (processTaintBaseEviction →
 * SwapNodeControllerTaint, v1.36.3), and the swap adds the new taint before it removes the
 * old one: a version carrying both shows the newer one as a swap. (A watch that missed
 * that version would count the swap as a grant.) Pure.
 */
export function swappedTaints(taints: readonly ControllerTaint[]): ControllerTaint[] {
  const keys = new Set(taints.map((t) => t.key));
  if (keys.size < 2) return [];
  const newest = Math.max(...taints.map((t) => t.timeAddedMs));
  return taints.filter((t) => t.timeAddedMs === newest);
}

/**
 * Grant times of a token bucket with burst 1 (client-go flowcontrol, as the zone's
 * NoExecute tainter uses it), for requests arriving at the given times, in order. A
 * bucket that has been idle is full. Pure; the NOD-2 rate-limit predictor.
 */
export function tokenBucketGrants(requestsMs: readonly number[], qps: number, lastGrantMs?: number): number[] {
  const interval = qps > 0 ? 1000 / qps : Number.POSITIVE_INFINITY;
  const grants: number[] = [];
  let last = lastGrantMs;
  for (const at of [...requestsMs].sort((a, b) => a - b)) {
    const grant = last === undefined ? at : Math.max(at, last + interval);
    grants.push(grant);
    last = grant;
  }
  return grants;
}

/** Ready=Unknown → NoExecute unreachable taint, given when the zone's bucket last granted (another node's NoExecute taint). */
export function unknownToNoExecuteTaint(timing: ClusterTiming, unknownAtMs: number, lastZoneTaintMs: number | undefined): Expectation {
  const qps = timing.nodeEvictionRate.value;
  const [grant = unknownAtMs] = tokenBucketGrants([unknownAtMs], qps, lastZoneTaintMs);
  const wait = grant - unknownAtMs;
  return {
    what: 'lost node: Ready=Unknown → NoExecute unreachable taint',
    nominalMs: wait,
    minMs: wait,
    maxMs: wait + nodeEvictionPeriodMs,
    // With the bucket full (no other node of the zone tainted within one interval) the taint comes at once.
    occasionalMs: wait,
    formula:
      `up to NodeEvictionPeriod ${nodeEvictionPeriodMs} ms` +
      (wait > 0
        ? ` after the zone's token bucket (--node-eviction-rate ${qps}/s, burst 1) refills: ${formatSeconds(wait)}`
        : `; zone bucket full (--node-eviction-rate ${qps}/s, burst 1)`),
    source: `${describeSource(timing.nodeEvictionRate)}; ${lifecycle} doNoExecuteTaintingPass`,
  };
}

/**
 * The same taint one token later, when the tainting pass read the node from the controller's informer before the
 * controller's own Unknown write reached it (pure). monitorNodeHealth writes Unknown and queues the node in one call;
 * doNoExecuteTaintingPass, within 100 ms, reads the cache: still Ready, it drops the node "ready now" — after
 * Try took the token (rate_limited_queue.go Try: TryAccept before fn; node_lifecycle_controller.go
 * doNoExecuteTaintingPass, default case). The next monitor pass (≤ node-monitor-period) queues it again and it waits
 * for the refill. Nothing in the API shows the spent token; the race only delays, by exactly one interval.
 */
export function unknownToNoExecuteTaintAfterStaleRead(
  timing: ClusterTiming,
  unknownAtMs: number,
  lastZoneTaintMs: number | undefined,
): Expectation {
  const first = unknownToNoExecuteTaint(timing, unknownAtMs, lastZoneTaintMs);
  const intervalMs = 1000 / timing.nodeEvictionRate.value;
  const requeueMs = Math.max(intervalMs, timing.nodeMonitorPeriodMs.value);
  return {
    what: first.what,
    nominalMs: first.minMs + intervalMs,
    minMs: first.minMs + intervalMs,
    maxMs: first.minMs + requeueMs + nodeEvictionPeriodMs,
    // The race need not happen, nor the other node's grant: neither is a wait the cluster must take.
    occasionalMs: first.minMs + intervalMs,
    formula:
      `one token interval ${formatSeconds(intervalMs)} after ${formatSeconds(first.minMs)}: the tainting pass read the node ` +
      `before the controller's own Unknown write reached its informer, spending the token with no taint; re-queued ` +
      `within node-monitor-period ${formatSeconds(timing.nodeMonitorPeriodMs.value)}`,
    source: `${first.source}; rate_limited_queue.go Try (token taken before the node is read)`,
  };
}

/**
 * The expectation a measured Unknown → NoExecute taint is judged by (pure): the bucket's own token when the taint came
 * within it, else the next token when it came within that (the stale read above), else the first, which it then fails.
 */
export function unknownToNoExecuteTaintOutcome(
  timing: ClusterTiming,
  unknownAtMs: number,
  lastZoneTaintMs: number | undefined,
  measuredMs: number,
  tolerance: Tolerance,
): Expectation {
  const first = unknownToNoExecuteTaint(timing, unknownAtMs, lastZoneTaintMs);
  const next = unknownToNoExecuteTaintAfterStaleRead(timing, unknownAtMs, lastZoneTaintMs);
  if (withinExpectation(measuredMs, first, tolerance)) return first;
  return withinExpectation(measuredMs, next, tolerance) ? next : first;
}

/** NoExecute taint seen → pod deleted, by the pod's own stored toleration. */
export function taintToDeletion(tolerationSeconds: number, source: string): Expectation {
  return {
    what: 'lost node: NoExecute taint → pod marked for deletion',
    nominalMs: tolerationSeconds * 1000,
    minMs: tolerationSeconds * 1000,
    maxMs: tolerationSeconds * 1000,
    formula: `the pod's unreachable tolerationSeconds ${tolerationSeconds} s (${taintEviction})`,
    source,
  };
}

/** Node Ready=True again → the unreachable taints removed. */
export function readyToTaintsRemoved(timing: ClusterTiming): Expectation {
  const period = timing.nodeMonitorPeriodMs.value;
  return {
    what: 'node back: Ready=True → unreachable taints removed',
    nominalMs: 0,
    minMs: 0,
    maxMs: period,
    formula: `up to node-monitor-period ${formatSeconds(period)} (${lifecycle} markNodeAsReachable)`,
    source: describeSource(timing.nodeMonitorPeriodMs),
  };
}

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Pure copy of the documented rule as ComputeZoneState implements it: Ready counts, all others are not ready. */
export function zoneState(ready: number, notReady: number, unhealthyZoneThreshold: number): ZoneState {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

/**
 * The NoExecute tainting rate of a zone (setLimiterInZone, HealthyQPSFunc, ReducedQPSFunc):
 * Normal → --node-eviction-rate; PartialDisruption → --secondary-node-eviction-rate when the
 * zone has more than --large-cluster-size-threshold nodes, else 0 (evictions stop);
 * FullDisruption → --node-eviction-rate, unless every zone is fully disrupted, then none.
 */
export function zoneEvictionRate(
  state: ZoneState,
  zoneSize: number,
  flags: { readonly evictionRate: number; readonly secondaryEvictionRate: number; readonly largeClusterSizeThreshold: number },
  allZonesFullyDisrupted = false,
): number {
  if (state === 'Normal') return flags.evictionRate;
  if (state === 'PartialDisruption') return zoneSize > flags.largeClusterSizeThreshold ? flags.secondaryEvictionRate : 0;
  return allZonesFullyDisrupted ? 0 : flags.evictionRate;
}

/**
 * NOD-10: a deleted Node's pods are deleted by PodGC. gcOrphaned runs every gcCheckPeriod (wait.Until, sliding), quarantines
 * an unknown node for quarantineTime from its first pass after the deletion (up to one period later), and deletes at the first
 * pass that finds the quarantine over (up to one period more): quarantine … quarantine + 2 × period.
 */
export function nodeDeletedToPodsCollected(): Expectation {
  return {
    what: 'Node deleted → its pods deleted',
    nominalMs: podGcQuarantineMs,
    minMs: podGcQuarantineMs,
    maxMs: podGcQuarantineMs + 2 * podGcCheckPeriodMs,
    formula: `quarantineTime ${formatSeconds(podGcQuarantineMs)} + up to 2 × gcCheckPeriod ${formatSeconds(podGcCheckPeriodMs)} (pod GC constants)`,
    source: 'pkg/controller/podgc/gc_controller.go constants (not configurable)',
  };
}
