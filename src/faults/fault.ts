/**
 * A fault is a small typed object that knows how to inject itself and how to undo
 * itself, in the spirit of Chaos Mesh's specs (a selector, a mode, an action). The
 * harness guarantees recover() is called on teardown, on failure and on Ctrl-C, so
 * recover() must be idempotent and must tolerate a target that no longer exists.
 */
export interface Fault {
  /** Stable kind name: "pod-delete", "container-kill", "probe-toggle", later "node-pause"… */
  readonly kind: string;
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
