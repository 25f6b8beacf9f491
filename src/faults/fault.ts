/**
 * A fault is data plus behavior, in the spirit of Chaos Mesh's specs: a FaultSpec says
 * what is done to which target (a node, pods chosen by a selector and a mode, or one
 * container), for how long and with which parameters; the Fault object carrying it
 * knows how to inject and undo it. The spec is recorded on the test's timeline as data.
 * The harness guarantees recover() is called on teardown, on failure and on Ctrl-C, so
 * recover() must be idempotent and must tolerate a target that no longer exists.
 */
import type { ContainerRef } from '../kube/exec.ts';

export type { ContainerRef } from '../kube/exec.ts';

/** What a fault acts on. */
export type FaultTarget =
  { readonly node: string } | { readonly pods: PodSelector; readonly mode: SelectionMode } | { readonly container: ContainerRef };

export interface FaultSpec {
  /** Stable kind name: 'node-pause' | 'pod-delete' | 'container-kill' | 'probe-toggle' | … */
  readonly kind: string;
  readonly target: FaultTarget;
  /** How long it is held, where the fault has a duration. */
  readonly durationMs?: number;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export interface Fault {
  readonly spec: FaultSpec;
  /** Human description with the targets: "delete pod ns/web-0 with grace 5 s". */
  readonly description: string;
  inject(): Promise<void>;
  recover(): Promise<void>;
}

/** Which pods a fault acts on. */
export interface PodSelector {
  readonly namespace: string;
  /** Explicit pod names; combined with labelSelector when both are given. */
  readonly names?: readonly string[];
  readonly labelSelector?: string;
}

/** How many of the selected pods: Chaos Mesh's one / all / fixed modes. */
export type SelectionMode = { readonly kind: 'one' } | { readonly kind: 'all' } | { readonly kind: 'fixed'; readonly count: number };

export function describeSelector(selector: PodSelector, mode: SelectionMode): string {
  const which = [
    selector.names !== undefined ? selector.names.join(',') : undefined,
    selector.labelSelector !== undefined ? `-l ${selector.labelSelector}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  const how = mode.kind === 'fixed' ? `${mode.count} of` : mode.kind === 'one' ? 'one of' : 'all of';
  return `${how} pods ${selector.namespace}/${which === '' ? '*' : which}`;
}
