/**
 * NPE-5: the order in which the kubelet evicts pods under memory pressure, as documented
 * ("whether the pod's memory usage exceeds requests, pod Priority, the pod's memory usage
 * relative to requests" — concepts/scheduling-eviction/node-pressure-eviction/#pod-selection-for-kubelet-eviction)
 * and as the kubelet sorts them: rankMemoryPressure in pkg/kubelet/eviction/helpers.go orders
 * by exceedMemoryRequests (usage > request first), then priority (lower first), then memory
 * (usage − request, larger first). On a full tie the kubelet's order is unspecified: its
 * multiSorter uses sort.Sort, which is not stable, over its own list of active pods.
 * Usage is the pod's working set as the summary API reports it. The QoS class is not consulted.
 */

export interface RankedPodInput {
  readonly name: string;
  /** The pod's memory request as the kubelet computes it: max(largest init container, sum of app containers) + overhead. */
  readonly requestBytes: number;
  /** The pod's working set from the summary API. */
  readonly usageBytes: number;
  /** spec.priority as stored (0 when unset). */
  readonly priority: number;
}

export interface RankedPod extends RankedPodInput {
  readonly exceedsRequest: boolean;
  readonly overRequestBytes: number;
  /** Why it sits where it does, relative to the next pod. */
  readonly reason: string;
}

function compare(a: RankedPodInput, b: RankedPodInput): number {
  const aExceeds = a.usageBytes > a.requestBytes;
  const bExceeds = b.usageBytes > b.requestBytes;
  if (aExceeds !== bExceeds) return aExceeds ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  return b.usageBytes - b.requestBytes - (a.usageBytes - a.requestBytes);
}

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

function reasonBefore(pod: RankedPodInput, next: RankedPodInput | undefined): string {
  const exceeds = pod.usageBytes > pod.requestBytes;
  if (next === undefined) return 'last';
  const nextExceeds = next.usageBytes > next.requestBytes;
  if (exceeds !== nextExceeds) return `before ${next.name}: usage exceeds its request, ${next.name}'s does not`;
  if (pod.priority !== next.priority) return `before ${next.name}: priority ${pod.priority} < ${next.priority}`;
  const over = pod.usageBytes - pod.requestBytes;
  const nextOver = next.usageBytes - next.requestBytes;
  if (over !== nextOver) return `before ${next.name}: usage − request ${mib(over)} > ${mib(nextOver)} (same priority ${pod.priority})`;
  return `tie with ${next.name} (same request state, priority and usage − request): either may go first`;
}

/** The documented eviction order, first evicted first (pure). */
export function rankMemoryPressure(pods: readonly RankedPodInput[]): RankedPod[] {
  const ordered = pods
    .map((pod, index) => ({ pod, index }))
    .sort((a, b) => compare(a.pod, b.pod) || a.index - b.index)
    .map(({ pod }) => pod);
  return ordered.map((pod, i) => ({
    ...pod,
    exceedsRequest: pod.usageBytes > pod.requestBytes,
    overRequestBytes: pod.usageBytes - pod.requestBytes,
    reason: reasonBefore(pod, ordered[i + 1]),
  }));
}

/** The popular, undocumented order: BestEffort, then Burstable, then Guaranteed (for the report's side by side). */
export function naiveQosOrder<T extends { readonly name: string; readonly qosClass: string }>(pods: readonly T[]): string[] {
  const rank: Readonly<Record<string, number>> = { BestEffort: 0, Burstable: 1, Guaranteed: 2 };
  return [...pods].sort((a, b) => (rank[a.qosClass] ?? 3) - (rank[b.qosClass] ?? 3)).map((p) => p.name);
}

/** The pod's memory request as the kubelet's resource helpers compute it: max(largest init, sum of apps) + overhead (pure). */
export function podMemoryRequestBytes(pod: {
  readonly initContainers: readonly { readonly requestBytes: number; readonly restartable?: boolean }[];
  readonly containers: readonly { readonly requestBytes: number }[];
  readonly overheadBytes?: number;
}): number {
  // Restartable init containers (sidecars) run beside the apps: their requests add to the apps' sum
  // and to every later init container's (PodRequests in k8s.io/component-helpers/resource).
  let sidecars = 0;
  let largestInit = 0;
  for (const init of pod.initContainers) {
    if (init.restartable === true) {
      sidecars += init.requestBytes;
      largestInit = Math.max(largestInit, sidecars);
    } else {
      largestInit = Math.max(largestInit, sidecars + init.requestBytes);
    }
  }
  const apps = pod.containers.reduce((sum, c) => sum + c.requestBytes, 0) + sidecars;
  return Math.max(largestInit, apps) + (pod.overheadBytes ?? 0);
}
