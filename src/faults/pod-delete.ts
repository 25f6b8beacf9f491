/**
 * Deleting pods: graceful (the pod's own grace period), with a given grace, or forced
 * (grace 0, what `kubectl delete --force --grace-period=0` sends). A deletion cannot be
 * undone; recovery is the owner's job (ReplicaSet, StatefulSet…), so recover() has
 * nothing to do — which is what the tests on replacement observe.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import type { Fault, FaultSpec, PodSelector, SelectionMode } from './fault.ts';
import { describeSelector } from './fault.ts';
import { resolvePods } from './pod-targets.ts';

export type DeletionMode =
  { readonly kind: 'graceful' } | { readonly kind: 'grace'; readonly seconds: number } | { readonly kind: 'force' };

export interface PodDeletionRecord {
  readonly name: string;
  readonly uid: string | undefined;
  /** Host time just before the DELETE request was sent. */
  readonly requestedAt: Date;
  /** Host time just after the response arrived: the server acted between the two. */
  readonly respondedAt: Date;
  /** The object the API server returned (carries deletionTimestamp for graceful deletes). */
  readonly response: V1Pod | undefined;
}

function graceOf(mode: DeletionMode): number | undefined {
  if (mode.kind === 'graceful') return undefined;
  if (mode.kind === 'force') return 0;
  return mode.seconds;
}

export function describeDeletion(mode: DeletionMode): string {
  if (mode.kind === 'graceful') return 'gracefully';
  if (mode.kind === 'force') return 'forcibly (grace 0)';
  return `with grace ${mode.seconds} s`;
}

export class PodDeletion implements Fault {
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #kube: KubeClients;
  readonly #selector: PodSelector;
  readonly #selection: SelectionMode;
  readonly #mode: DeletionMode;
  #records: PodDeletionRecord[] = [];

  constructor(kube: KubeClients, selector: PodSelector, deletion: DeletionMode, selection: SelectionMode = { kind: 'all' }) {
    this.#kube = kube;
    this.#selector = selector;
    this.#selection = selection;
    this.#mode = deletion;
    const grace = graceOf(deletion);
    this.spec = {
      kind: 'pod-delete',
      target: { pods: selector, mode: selection },
      params: grace === undefined ? { deletion: deletion.kind } : { deletion: deletion.kind, gracePeriodSeconds: grace },
    };
    this.description = `delete ${describeSelector(selector, selection)} ${describeDeletion(deletion)}`;
  }

  get records(): readonly PodDeletionRecord[] {
    return this.#records;
  }

  async inject(): Promise<void> {
    const pods = await resolvePods(this.#kube, this.#selector, this.#selection);
    const grace = graceOf(this.#mode);
    this.#records = await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        const requestedAt = new Date();
        const response = await unlessNotFound(() =>
          this.#kube.core.deleteNamespacedPod({
            name,
            namespace: this.#selector.namespace,
            // With a body, the API server reads DeleteOptions from it and ignores the query
            // parameters, so the grace period goes in the body, next to the precondition
            // that only the very object selected is deleted, not a same-name successor.
            body: {
              ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
              ...(pod.metadata?.uid !== undefined ? { preconditions: { uid: pod.metadata.uid } } : {}),
            },
          }),
        );
        return { name, uid: pod.metadata?.uid, requestedAt, respondedAt: new Date(), response };
      }),
    );
  }

  async recover(): Promise<void> {
    // Nothing to undo: the pods' owners, if any, create replacements.
  }
}
