/**
 * A fault as data (Chaos Mesh's spec shape): what kind, which target, for how long, with
 * which parameters. Node-loss faults carry one; the timeline records it next to the
 * injection, and the stale-run collector can rebuild a fault from it to recover.
 */
export interface FaultSpec {
  readonly kind: string;
  readonly target: { readonly node: string } | { readonly namespace: string; readonly pod: string };
  readonly durationMs?: number;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

/** The prefix of every podlaw-owned key, comment or table a fault leaves on a node while active. */
export const podlawFaultTag = 'podlaw-fault';
