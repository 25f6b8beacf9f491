/**
 * Resolving a selector and mode to concrete pods. Pure: pods being deleted or finished
 * are not eligible (acting on them proves nothing), and the choice is deterministic
 * (by name) so a run can be repeated.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { PodSelector, SelectionMode } from './fault.ts';

export function isEligible(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return pod.metadata?.deletionTimestamp === undefined && phase !== 'Succeeded' && phase !== 'Failed';
}

export function choosePods(pods: readonly V1Pod[], selector: PodSelector, mode: SelectionMode): V1Pod[] {
  const eligible = pods
    .filter((pod) => selector.names === undefined || selector.names.includes(pod.metadata?.name ?? ''))
    .filter(isEligible)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  switch (mode.kind) {
    case 'all':
      return eligible;
    case 'one':
      return eligible.slice(0, 1);
    case 'fixed':
      return eligible.slice(0, Math.max(0, mode.count));
  }
}
