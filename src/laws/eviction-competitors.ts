/**
 * NPE-5's prediction covers the pods a test put on the pressure node; the kubelet's eviction manager
 * ranks every active pod there. A pod of another namespace that is still active (a dead run's pod
 * sleeping through its preStop hook, seen: the kubelet picked it first, timed out killing it after
 * 10 s and waited its 30 s pod cleanup before evicting the test's pods) makes the prediction wrong.
 *
 * Active is the kubelet's isPodInactive (pkg/kubelet/kubelet_pods.go): the kubelet publishes a terminal
 * phase only once no container can run (mergePodStatus), so a terminal pod in the API is inactive, even one
 * a finalizer keeps with a deletion timestamp. Critical pods are never evicted (evictPod refuses
 * IsCriticalPod, pkg/kubelet/types/pod_update.go): mirror pods (a static pod shows in the API only as its
 * mirror; the kubelet sets config.source to "api" on every API pod, so that annotation says nothing here)
 * and priority ≥ SystemCriticalPriority.
 */
import type { V1Pod } from '@kubernetes/client-node';

/** scheduling.SystemCriticalPriority: 2 × 10⁹. */
export const systemCriticalPriority = 2_000_000_000;
/** The kubelet's one-off extension when a preStop hook outlives the grace period (kuberuntime_container.go). */
export const preStopExtensionMs = 2_000;

export function isCriticalForKubelet(pod: V1Pod): boolean {
  const isMirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  return isMirror || (pod.spec?.priority ?? 0) >= systemCriticalPriority;
}

/** Pods on the node, outside the test's namespace, that the eviction manager could pick (pure). */
export function evictionCompetitors(podsOnNode: readonly V1Pod[], ownNamespace: string): V1Pod[] {
  return podsOnNode.filter((pod) => {
    if (pod.metadata?.namespace === ownNamespace) return false;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
    return !isCriticalForKubelet(pod);
  });
}

/** Kubernetes stamps (deletionTimestamp, startedAt) are whole seconds: an anchor read from one is up to 1 s early. */
const stampResolutionMs = 1_000;

/**
 * When the kubelet's grace clock for this pod starts, at the earliest (pure). killContainer counts the grace
 * period from the kill, not from the deletion: the pod worker first finishes the sync in flight, so a container
 * still being created when the pod was deleted (a replacement caught by its namespace's deletion, seen here:
 * gone 11 s after its deletionTimestamp) starts its grace when it has started. A container still waiting
 * starts it no earlier than now.
 */
function killStartMs(pod: V1Pod, graceMs: number, nowMs: number): number {
  const deletion = pod.metadata?.deletionTimestamp;
  const deletedAt = deletion === undefined ? nowMs : new Date(deletion).getTime() - graceMs + stampResolutionMs;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const started = statuses.map((s) => s.state?.running?.startedAt).filter((t) => t !== undefined);
  const lastStart = Math.max(...started.map((t) => new Date(t).getTime() + stampResolutionMs), Number.NEGATIVE_INFINITY);
  const creating = (pod.status?.containerStatuses ?? []).some((s) => s.state?.waiting !== undefined);
  return Math.max(deletedAt, lastStart, creating ? nowMs : Number.NEGATIVE_INFINITY);
}

/**
 * By when every competitor is expected gone if the kubelet honours its grace (pure): its grace period
 * (deletionGracePeriodSeconds, else terminationGracePeriodSeconds) from the kill's start, plus the preStop
 * extension. The kubelet starts the clock when it sees the deletion, so the caller adds watch delivery to it.
 */
export function competitorsGoneByMs(competitors: readonly V1Pod[], nowMs: number): number {
  const ends = competitors.map((pod) => {
    const graceMs = (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1_000;
    return Math.max(killStartMs(pod, graceMs, nowMs) + graceMs, nowMs) + preStopExtensionMs;
  });
  return Math.max(nowMs, ...ends);
}
