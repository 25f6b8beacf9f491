/**
 * QOS-1: the QoS class the documentation gives a pod (concepts/workloads/pods/pod-qos/):
 * Guaranteed when every container, init containers included, has memory and cpu limits and
 * requests equal to them (a limit alone implies an equal request); BestEffort when no
 * container has any memory or cpu request or limit; Burstable otherwise. Pure.
 */

export interface ContainerResources {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const qosResources = ['cpu', 'memory'] as const;

function isGuaranteedContainer(resources: ContainerResources): boolean {
  return qosResources.every((name) => {
    const limit = resources.limits?.[name];
    const request = resources.requests?.[name] ?? limit;
    return limit !== undefined && request === limit;
  });
}

function hasAny(resources: ContainerResources): boolean {
  return qosResources.some((name) => resources.requests?.[name] !== undefined || resources.limits?.[name] !== undefined);
}

export function documentedQosClass(containers: readonly ContainerResources[]): QosClass {
  if (containers.length > 0 && containers.every(isGuaranteedContainer)) return 'Guaranteed';
  if (!containers.some(hasAny)) return 'BestEffort';
  return 'Burstable';
}

/** pkg/kubelet/qos/policy.go: guaranteedOOMScoreAdj and besteffortOOMScoreAdj. */
export const guaranteedOomScoreAdj = -997;
export const bestEffortOomScoreAdj = 1000;

/**
 * NPE-7: the oom_score_adj the kubelet gives a regular container (GetContainerOOMScoreAdjust in
 * pkg/kubelet/qos/policy.go, without pod-level resources): -997 Guaranteed, 1000 BestEffort, and for
 * Burstable 1000 − 1000 × request / capacity, kept within 3..999 (the code's floor; the documentation
 * says 2, which differs only for requests of about 99.7 % of capacity). Pure.
 */
export function documentedOomScoreAdj(qos: QosClass, memoryRequestBytes: number, memoryCapacityBytes: number): number {
  if (qos === 'Guaranteed') return guaranteedOomScoreAdj;
  if (qos === 'BestEffort') return bestEffortOomScoreAdj;
  const adjust = 1000 - Math.floor((1000 * memoryRequestBytes) / memoryCapacityBytes);
  if (adjust < 1000 + guaranteedOomScoreAdj) return 1000 + guaranteedOomScoreAdj;
  if (adjust === bestEffortOomScoreAdj) return adjust - 1;
  return adjust;
}
