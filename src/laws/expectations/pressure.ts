/** Expected timings of the node-pressure laws (NPE-*), from the kubelet's settings. Pure. */
import type { KubeletTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import { formatSeconds } from '../../kube/named-timeout.ts';
import type { Expectation } from '../expectation.ts';

export function pressureTransition(kubelet: KubeletTiming): Expectation {
  const period = kubelet.evictionPressureTransitionPeriodMs;
  return {
    what: 'relief → MemoryPressure=False',
    nominalMs: period.value,
    minMs: period.value,
    maxMs: period.value + kubelet.nodeStatusUpdateFrequencyMs.value,
    formula: `evictionPressureTransitionPeriod ${formatSeconds(period.value)} + up to nodeStatusUpdateFrequency`,
    source: describeSource(period),
  };
}
