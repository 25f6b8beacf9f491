/**
 * PodDisruptionBudgets of a test's namespace, watched like the other objects (EVA-1, EVA-2).
 */
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { ResumableWatch } from '../kube/watch.ts';

export const pdbType = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true } as const;

export async function watchBudgets(kube: KubeClients, namespace: string): Promise<ResumableWatch<V1PodDisruptionBudget>> {
  const watch = new ResumableWatch<V1PodDisruptionBudget>(kube, pdbType, { namespace });
  await watch.start();
  return watch;
}

export function budgetSummary(pdb: V1PodDisruptionBudget): string {
  const s = pdb.status;
  return `currentHealthy=${s?.currentHealthy ?? '?'} desiredHealthy=${s?.desiredHealthy ?? '?'} disruptionsAllowed=${s?.disruptionsAllowed ?? '?'}`;
}
