/**
 * A taint podlaw puts on a node (NOD-5: NoExecute semantics). Its key is always under
 * `podlaw.dev/fault-`, so recovery — and the next run after a killed one — removes every
 * such taint from the node without knowing what the killed run added.
 */
import type { V1Node, V1Taint } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { isConflict, unlessNotFound } from '../kube/api-errors.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault-spec.ts';

export const faultTaintPrefix = 'podlaw.dev/fault-';

/** Read-modify-write of a node's taints, retried on conflict (the node controller writes nodes too). */
export async function updateTaints(kube: KubeClients, node: string, change: (taints: readonly V1Taint[]) => V1Taint[]): Promise<V1Node | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    const current = await unlessNotFound(() => kube.core.readNode({ name: node }));
    if (current === undefined) return undefined;
    const before = current.spec?.taints ?? [];
    const after = change(before);
    if (JSON.stringify(after) === JSON.stringify(before)) return current;
    try {
      return await kube.core.replaceNode({ name: node, body: { ...current, spec: { ...current.spec, taints: after } } });
    } catch (error) {
      if (!isConflict(error) || attempt >= 10) throw error;
    }
  }
}

export function withoutFaultTaints(taints: readonly V1Taint[]): V1Taint[] {
  return taints.filter((t) => !t.key.startsWith(faultTaintPrefix));
}

export class NodeTaintFault implements Fault {
  readonly kind = 'node-taint';
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #kube: KubeClients;
  readonly #node: string;
  readonly #taint: V1Taint;

  constructor(kube: KubeClients, node: string, name: string, value: string, effect: 'NoExecute' | 'NoSchedule') {
    this.#kube = kube;
    this.#node = node;
    this.#taint = { key: `${faultTaintPrefix}${name}`, value, effect };
    this.spec = { kind: this.kind, target: { node }, params: { key: this.#taint.key, value, effect } };
    this.description = `taint ${node} ${this.#taint.key}=${value}:${effect}`;
  }

  get taint(): V1Taint {
    return this.#taint;
  }

  async inject(): Promise<void> {
    await updateTaints(this.#kube, this.#node, (taints) => [...taints.filter((t) => t.key !== this.#taint.key), this.#taint]);
  }

  /** Idempotent: removes every podlaw fault taint from the node; a node that is gone needs nothing. */
  async recover(): Promise<void> {
    await updateTaints(this.#kube, this.#node, withoutFaultTaints);
  }
}
