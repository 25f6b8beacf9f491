/**
 * Forces kube-proxy's periodic full resync on one node now instead of an hour from now: a change
 * of the node's topology.kubernetes.io/zone label reaches kube-proxy's NodeTopologyConfig
 * (pkg/proxy/config/config.go), whose OnTopologyChange sets needFullSync and queues a sync
 * (pkg/proxy/nftables/proxier.go). The full sync is the same code path the hourly one takes
 * (proxyutil.FullSyncPeriod). Recovery restores the label as it was, which forces one more.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import type { Fault, FaultSpec } from './fault.ts';

export const zoneLabel = 'topology.kubernetes.io/zone';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class NodeZoneLabelFault implements Fault {
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #kube: KubeClients;
  readonly #node: string;
  readonly #zone: string;
  /** The label's value before inject(); null when the node had none. undefined until injected. */
  #previous: string | null | undefined;

  constructor(kube: KubeClients, node: string, zone: string) {
    this.#kube = kube;
    this.#node = node;
    this.#zone = zone;
    this.spec = { kind: 'node-zone-label', target: { node }, params: { label: zoneLabel, zone } };
    this.description = `label node ${node} ${zoneLabel}=${zone} (kube-proxy full resync on that node)`;
  }

  async inject(): Promise<void> {
    const node = await this.#kube.core.readNode({ name: this.#node });
    this.#previous = node.metadata?.labels?.[zoneLabel] ?? null;
    await this.#setZone(this.#zone);
  }

  /** Idempotent: restores the value seen before inject(); a node that is gone needs nothing. */
  async recover(): Promise<void> {
    if (this.#previous === undefined) return;
    const previous = this.#previous;
    await unlessNotFound(async () => {
      const current = (await this.#kube.core.readNode({ name: this.#node })).metadata?.labels?.[zoneLabel] ?? null;
      if (current !== previous) await this.#setZone(previous);
    });
  }

  async #setZone(zone: string | null): Promise<void> {
    await this.#kube.core.patchNode({ name: this.#node, body: { metadata: { labels: { [zoneLabel]: zone } } } }, mergePatch);
  }
}
