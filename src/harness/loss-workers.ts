/**
 * Which loss worker a test may lose: the node of its slot (src/loss-slots.ts). The
 * Playwright project of that slot runs its tests one at a time, so the test owns the
 * node for its whole duration. A Node a killed NOD-10 run deleted is absent from the
 * API; the snapshot in its container still names its role, so the slot keeps its node.
 */
import { savedNodeLabels } from '../faults/node-delete.ts';
import type { KubeClients } from '../kube/client.ts';
import { lossSlotTag, lossWorkerOf } from '../loss-slots.ts';
import type { LossSlot } from '../loss-slots.ts';
import { nodeContainers } from '../podlaw-cluster.ts';

export { lossSlotTag, lossSlots } from '../loss-slots.ts';
export type { LossSlot } from '../loss-slots.ts';

/** The details of a describe block whose tests lose the slot's node (Playwright's `{ tag }`). */
export function onLossWorker(slot: LossSlot): { tag: string } {
  return { tag: lossSlotTag(slot) };
}

/** The slot's loss worker, or undefined when the cluster has too few workers labelled podlaw.dev/role=loss. */
export async function lossWorkerFor(kube: KubeClients, slot: LossSlot): Promise<string | undefined> {
  const present = (await kube.core.listNode({})).items;
  const names = present.filter((n) => n.metadata?.labels?.['podlaw.dev/role'] === 'loss').map((n) => n.metadata?.name ?? '');
  for (const container of nodeContainers.filter((c) => !present.some((n) => n.metadata?.name === c))) {
    if ((await savedNodeLabels(container))?.['podlaw.dev/role'] === 'loss') names.push(container);
  }
  return lossWorkerOf(names, slot);
}
