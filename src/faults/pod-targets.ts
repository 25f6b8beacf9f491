/**
 * Lists the pods a selector names (server-side label filtering, client-side names).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import type { PodSelector, SelectionMode } from './fault.ts';
import { choosePods } from './selection.ts';
import { describeSelector } from './fault.ts';

export class NoTargetError extends Error {
  constructor(selector: PodSelector, mode: SelectionMode) {
    super(`no eligible target: ${describeSelector(selector, mode)} matched no running pod`);
    this.name = 'NoTargetError';
  }
}

export async function resolvePods(kube: KubeClients, selector: PodSelector, mode: SelectionMode): Promise<V1Pod[]> {
  const list = await kube.core.listNamespacedPod({
    namespace: selector.namespace,
    ...(selector.labelSelector !== undefined ? { labelSelector: selector.labelSelector } : {}),
  });
  const chosen = choosePods(list.items, selector, mode);
  if (chosen.length === 0) throw new NoTargetError(selector, mode);
  return chosen;
}
