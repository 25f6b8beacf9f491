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
export const nodeZoneLabelKind = 'node-zone-label';
/** Every zone value podlaw sets starts so: how `podlaw clean` and the run-start collection recognise a leftover. */
export const podlawZonePrefix = 'podlaw-resync-';
/** The value the label had before podlaw set it (JSON: a string, or null for none), kept on the node until recovery. */
export const zoneBeforeAnnotation = 'podlaw.dev/zone-label-before';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Sweepable (leftovers.ts: nodeZoneLabelSweeper): claimed by its run, collected after a killed one. */
export class NodeZoneLabelFault implements Fault {
  readonly spec: FaultSpec & { readonly target: { readonly node: string } };
  readonly sweepable = true;
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
    if (!zone.startsWith(podlawZonePrefix)) throw new Error(`zone "${zone}" must start with ${podlawZonePrefix} (leftover collection)`);
    this.spec = { kind: nodeZoneLabelKind, target: { node }, params: { label: zoneLabel, zone } };
    this.description = `label node ${node} ${zoneLabel}=${zone} (kube-proxy full resync on that node)`;
  }

  async inject(): Promise<void> {
    const node = await this.#kube.core.readNode({ name: this.#node });
    this.#previous = node.metadata?.labels?.[zoneLabel] ?? null;
    // The previous value goes on the node too, so that a killed run's leftover can be restored exactly.
    await this.#patch(this.#zone, JSON.stringify(this.#previous));
  }

  /** Idempotent: restores the value seen before inject(); a node that is gone needs nothing. */
  async recover(): Promise<void> {
    if (this.#previous === undefined) return;
    const previous = this.#previous;
    await unlessNotFound(async () => {
      const node = await this.#kube.core.readNode({ name: this.#node });
      const current = node.metadata?.labels?.[zoneLabel] ?? null;
      if (current !== previous || node.metadata?.annotations?.[zoneBeforeAnnotation] !== undefined) await this.#patch(previous, null);
    });
  }

  async #patch(zone: string | null, before: string | null): Promise<void> {
    await patchZone(this.#kube, this.#node, zone, before);
  }
}

export async function patchZone(kube: KubeClients, node: string, zone: string | null, before: string | null): Promise<void> {
  const body = { metadata: { labels: { [zoneLabel]: zone }, annotations: { [zoneBeforeAnnotation]: before } } };
  await kube.core.patchNode({ name: node, body }, mergePatch);
}

/** The value to restore, from the annotation inject() left: null (no label) when absent or unreadable. */
export function zoneBefore(annotation: string | undefined): string | null {
  if (annotation === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(annotation);
    return typeof parsed === 'string' && !parsed.startsWith(podlawZonePrefix) ? parsed : null;
  } catch {
    return null;
  }
}
