/**
 * The shape of a catalog entry (shared/laws.md): one documented behavior with an id,
 * the rule, its defaults, what to observe, its documentation and upstream test.
 */
import type { DocKey } from '../docs.ts';

export type LawFamily =
  | 'Probes and restarts'
  | 'Termination, hooks and endpoints'
  | 'Node-pressure eviction and QoS'
  | 'Node loss and rescheduling'
  | 'Disruption budgets and the Eviction API'
  | 'Pod anatomy';

export interface LawDefinition {
  readonly id: string;
  readonly family: LawFamily;
  readonly statement: string;
  /** The catalog's "defaults / timing" column. */
  readonly defaults: string;
  readonly observe: string;
  readonly docs: readonly DocKey[];
  /** File of kubernetes/kubernetes that checks the same rule, when there is one. */
  readonly upstreamTest: string | undefined;
  /** How the expected timing is computed (the formula lives in src/laws/expectations/<family>.ts), when the law has one. */
  readonly timing: string | undefined;
}
