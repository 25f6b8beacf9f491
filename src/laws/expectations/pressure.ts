/**
 * Expected timings of the node-pressure laws (NPE-*), from the kubelet's settings and the
 * kubelet's code for v1.36. Pure.
 *
 * - The eviction manager synchronizes every evictionMonitoringPeriod (10 s, a constant in
 *   pkg/kubelet/kubelet.go) and asks for fresh root-cgroup stats each time (updateStats
 *   true in eviction_manager.go synchronize), so a threshold crossed is acted on at the next
 *   synchronize, and at most one pod is evicted per synchronize.
 * - A hard eviction kills with immediateEvictionGracePeriodSeconds = 1 s (eviction_manager.go),
 *   which killContainer raises to minimumGracePeriodInSeconds = 2 s after the preStop hook has
 *   had its 1 s (kuberuntime_container.go): at most 3 s whatever the pod's own grace period.
 * - Node conditions reach the API with the next node status update (nodeStatusUpdateFrequency).
 * - After relief the condition stays until the last synchronize that saw the pressure is
 *   evictionPressureTransitionPeriod old (nodeConditionsObservedSince in helpers.go).
 */
import type { KubeletTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import { formatSeconds } from '../../kube/named-timeout.ts';
import type { Expectation } from '../expectation.ts';

/** pkg/kubelet/kubelet.go evictionMonitoringPeriod. */
export const evictionMonitoringPeriodMs = 10_000;
/** pkg/kubelet/eviction/eviction_manager.go immediateEvictionGracePeriodSeconds. */
export const hardEvictionGraceMs = 1_000;
/** pkg/kubelet/kuberuntime/kuberuntime_manager.go minimumGracePeriodInSeconds. */
export const minimumKillGraceMs = 2_000;
const codeSource = 'kubelet v1.36 code (evictionMonitoringPeriod 10 s, kubelet.go)';

/** Memory filled past the threshold → the first pod evicted (seen Failed/Evicted on the watch). */
export function firstEviction(): Expectation {
  const max = evictionMonitoringPeriodMs + hardEvictionGraceMs + minimumKillGraceMs;
  return {
    what: 'threshold crossed → first pod evicted',
    nominalMs: evictionMonitoringPeriodMs / 2,
    minMs: 0,
    maxMs: max,
    formula: `up to one eviction monitoring period ${formatSeconds(evictionMonitoringPeriodMs)} + the kill (1 s preStop + 2 s minimum grace)`,
    source: codeSource,
  };
}

/** Memory filled past the threshold → MemoryPressure=True on the Node object. */
export function pressureCondition(kubelet: KubeletTiming): Expectation {
  const update = kubelet.nodeStatusUpdateFrequencyMs;
  return {
    what: 'threshold crossed → MemoryPressure=True',
    nominalMs: (evictionMonitoringPeriodMs + update.value) / 2,
    minMs: 0,
    maxMs: evictionMonitoringPeriodMs + update.value,
    formula: `up to one eviction monitoring period ${formatSeconds(evictionMonitoringPeriodMs)} + nodeStatusUpdateFrequency ${formatSeconds(update.value)}`,
    source: `${codeSource}; ${describeSource(update)}`,
  };
}

/** The kubelet decided to evict (DisruptionTarget set) → the container exited. */
export function hardEvictionKill(): Expectation {
  return {
    what: 'eviction → container exit (hard threshold)',
    nominalMs: 0,
    minMs: 0,
    maxMs: hardEvictionGraceMs + minimumKillGraceMs,
    formula:
      'documented 0 s grace; the kubelet gives 1 s (immediateEvictionGracePeriodSeconds) for preStop, then a 2 s minimum stop timeout',
    source: 'kubelet v1.36 code (eviction_manager.go, kuberuntime_container.go), whatever terminationGracePeriodSeconds says',
  };
}

/** Memory released → MemoryPressure=False on the Node object. */
export function pressureTransition(kubelet: KubeletTiming): Expectation {
  const period = kubelet.evictionPressureTransitionPeriodMs;
  const update = kubelet.nodeStatusUpdateFrequencyMs;
  return {
    what: 'relief → MemoryPressure=False',
    nominalMs: period.value + evictionMonitoringPeriodMs / 2,
    // The last synchronize that saw the pressure ran up to one monitoring period before the relief.
    minMs: Math.max(0, period.value - evictionMonitoringPeriodMs),
    maxMs: period.value + evictionMonitoringPeriodMs + update.value,
    formula:
      `evictionPressureTransitionPeriod ${formatSeconds(period.value)} after the last synchronize that saw the pressure ` +
      `(0–${formatSeconds(evictionMonitoringPeriodMs)} before relief), cleared at a synchronize (every ${formatSeconds(evictionMonitoringPeriodMs)}), ` +
      `posted within nodeStatusUpdateFrequency ${formatSeconds(update.value)}`,
    source: `${describeSource(period)}; ${describeSource(update)}; ${codeSource}`,
  };
}
