/** Expected timings of the node-loss laws (NOD-*), from the control plane's settings. Pure. */
import type { ClusterTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import { formatSeconds } from '../../kube/named-timeout.ts';
import type { Expectation } from '../expectation.ts';

/** A node without heartbeats turns Ready=Unknown after the grace period, checked every monitor period. */
export function nodeNotReady(timing: ClusterTiming): Expectation {
  const grace = timing.nodeMonitorGracePeriodMs;
  const period = timing.nodeMonitorPeriodMs;
  return {
    what: 'last heartbeat → Ready=Unknown',
    nominalMs: grace.value,
    minMs: grace.value,
    maxMs: grace.value + period.value,
    formula: `node-monitor-grace-period ${formatSeconds(grace.value)} + up to node-monitor-period ${formatSeconds(period.value)}`,
    source: `${describeSource(grace)}; ${describeSource(period)}`,
  };
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
