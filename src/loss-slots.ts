/**
 * The loss workers (nodes labelled podlaw.dev/role=loss) are each owned by one Playwright
 * project that runs its tests one at a time (playwright.config.ts): a test that loses a
 * node carries the tag of its slot and loses only that slot's node, so two tests never
 * fault the same node, while the two nodes (and the other families) are exercised in
 * parallel. Slot a is the first loss worker by name, slot b the second.
 */
export const lossSlots = ['a', 'b'] as const;
export type LossSlot = (typeof lossSlots)[number];

/** The Playwright tag that puts a test in its loss worker's project. */
export function lossSlotTag(slot: LossSlot): `@loss-worker-${LossSlot}` {
  return `@loss-worker-${slot}`;
}

/** The slot's node among the loss workers' names (any order); undefined when there are too few. */
export function lossWorkerOf(lossWorkerNames: readonly string[], slot: LossSlot): string | undefined {
  return [...lossWorkerNames].sort()[lossSlots.indexOf(slot)];
}
