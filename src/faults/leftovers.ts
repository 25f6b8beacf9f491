/**
 * Faults a run left behind when it could not recover them itself (SIGKILL, a crash, a
 * lost machine): what the next run's collection, `podlaw clean` and `cluster up` find
 * and undo. Each fault family that can outlive its run brings a sweeper: it finds the
 * traces its faults leave on the cluster (a paused node container today; node stops,
 * stopped kubelets, partition rules, podlaw.dev/* taints and cordons, fill files and
 * podlaw's static pod manifests), each with its own idempotent recovery.
 *
 * A sweeper reports every trace it finds, whoever made it. Whether one belongs to a live
 * run is decided apart (src/lifecycle/collection-plan.ts), from the claims live runs
 * hold on their heartbeat Leases: a fault is claimed under its (kind, target) before it
 * is injected, so a trace without a live claim is a leftover.
 */
import { containerNames } from '../docker.ts';
import { clusterName } from '../podlaw-cluster.ts';
import type { Fault, FaultSpec } from './fault.ts';
import { NodePauseFault, nodePauseKind } from './node-pause.ts';
import { NodeStopFault, startIfStopped, waitForKubeletActive } from './node-stop.ts';
import { nodeZoneLabelKind, patchZone, podlawZonePrefix, zoneBefore, zoneBeforeAnnotation, zoneLabel } from './node-zone-label.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import type { KubeClients } from '../kube/client.ts';
import { isMemoryPressureMounted, MemoryPressureFault, memoryPressureKind, memoryPressureMount } from './memory-pressure.ts';
import { podlawStaticPodFiles, removeStaticPodFile, staticPodManifestKind } from './static-pod-manifest.ts';

export interface Leftover {
  /** The kind of the fault that left it, as in its FaultSpec: "node-pause". */
  readonly kind: string;
  /** The node it acts on (its FaultSpec's target): "podlaw-worker3". */
  readonly target: string;
  readonly description: string;
  /** Undoes it; idempotent. */
  recover(): Promise<void>;
}

export interface LeftoverSweeper {
  readonly kind: string;
  find(): Promise<readonly Leftover[]>;
}

/**
 * A fault that can outlive its run and whose traces a sweeper finds: it says so (`sweepable`) and
 * acts on a node, so its traces can be matched to its claim (spec kind, node).
 */
export interface SweepableFault extends Fault {
  readonly sweepable: true;
  readonly spec: FaultSpec & { readonly target: { readonly node: string } };
}

export function isSweepable(fault: Fault): fault is SweepableFault {
  return (fault as Partial<SweepableFault>).sweepable === true && 'node' in fault.spec.target;
}

/** Paused node containers of podlaw's kind cluster (docker pause is NodePauseFault's injection). */
export const nodePauseSweeper: LeftoverSweeper = {
  kind: nodePauseKind,
  async find(): Promise<readonly Leftover[]> {
    return (await containerNames([`label=io.x-k8s.kind.cluster=${clusterName}`, 'status=paused'])).sort().map((node) => {
      const fault = new NodePauseFault(node);
      return { kind: nodePauseKind, target: node, description: `paused node container ${node}`, recover: () => fault.recover() };
    });
  },
};

/**
 * Stopped node containers of podlaw's kind cluster (a halt is NodeStopFault's
 * injection). A Ctrl-C reaches the whole process group, so it can kill the `docker start`
 * of a node-stop recovery; seen: the next `cluster up` judged the cluster unhealthy and
 * recreated it. With the API (run start, clean) the fault's own recovery runs; without it
 * (cluster up, before the cluster is judged) the node is started and its kubelet awaited,
 * and up re-asserts the pod network itself.
 */
export function nodeStopSweeper(kube?: KubeClients): LeftoverSweeper {
  return {
    kind: 'node-stop',
    async find(): Promise<readonly Leftover[]> {
      const stopped = await containerNames([`label=io.x-k8s.kind.cluster=${clusterName}`, 'status=exited']);
      return stopped.sort().map((node) => ({
        kind: 'node-stop',
        target: node,
        description: `stopped node container ${node}`,
        recover: async () => {
          if (kube !== undefined) return new NodeStopFault(node, kube).recover();
          if (await startIfStopped(node)) await waitForKubeletActive(node);
        },
      }));
    },
  };
}

/** Nodes whose zone label podlaw set (podlaw-resync-*) and a killed run did not restore. */
export function nodeZoneLabelSweeper(kube: KubeClients): LeftoverSweeper {
  return {
    kind: nodeZoneLabelKind,
    async find(): Promise<readonly Leftover[]> {
      const nodes = await kube.core.listNode();
      return nodes.items
        .filter((n) => n.metadata?.labels?.[zoneLabel]?.startsWith(podlawZonePrefix) === true)
        .map((n) => {
          const name = n.metadata?.name ?? '';
          const before = zoneBefore(n.metadata?.annotations?.[zoneBeforeAnnotation]);
          return {
            kind: nodeZoneLabelKind,
            target: name,
            description: `zone label ${zoneLabel}=${n.metadata?.labels?.[zoneLabel] ?? ''} on node ${name} (restored to ${before ?? 'none'})`,
            recover: () => unlessNotFound(() => patchZone(kube, name, before, null)).then(() => undefined),
          };
        });
    },
  };
}
/** Memory-pressure tmpfs mounts left in running node containers of podlaw's kind cluster. */
export const memoryPressureSweeper: LeftoverSweeper = {
  kind: memoryPressureKind,
  async find(): Promise<readonly Leftover[]> {
    const nodes = (await containerNames([`label=io.x-k8s.kind.cluster=${clusterName}`, 'status=running'])).sort();
    const mounted = await Promise.all(nodes.map(async (node) => ((await isMemoryPressureMounted(node)) ? [node] : [])));
    return mounted.flat().map((node) => {
      const fault = new MemoryPressureFault(node, 1024 * 1024);
      return {
        kind: memoryPressureKind,
        target: node,
        description: `memory-pressure tmpfs ${memoryPressureMount} in ${node}`,
        recover: () => fault.recover(),
      };
    });
  },
};

/**
 * podlaw's static pod manifests (podlaw-<run id>-<pod>.yaml) left in the staticPodPath of running node containers.
 * kind's kubeadm config keeps the documented /etc/kubernetes/manifests; the sweeper runs without the API (cluster up),
 * so it reads that path, not configz.
 */
export const staticPodManifestSweeper: LeftoverSweeper = {
  kind: staticPodManifestKind,
  async find(): Promise<readonly Leftover[]> {
    const nodes = (await containerNames([`label=io.x-k8s.kind.cluster=${clusterName}`, 'status=running'])).sort();
    const found = await Promise.all(nodes.map(async (node) => (await podlawStaticPodFiles(node)).map((path) => ({ node, path }))));
    return found.flat().map(({ node, path }) => ({
      kind: staticPodManifestKind,
      target: node,
      description: `static pod manifest ${path} in ${node}`,
      recover: () => removeStaticPodFile(node, path),
    }));
  },
};

/**
 * The sweepers that apply to a cluster. Node-container faults exist only on podlaw's own
 * kind cluster on this host; on any other cluster their traces here belong to another
 * cluster's runs and are not this collection's business.
 */
export function leftoverSweepers(target: { readonly podlawCluster: boolean }, kube?: KubeClients): readonly LeftoverSweeper[] {
  if (!target.podlawCluster) return [];
  // The kube-proxy resync smoke spec's zone label (podlaw-resync-<run id>) lives on a Node object.
  return kube === undefined
    ? [nodePauseSweeper, nodeStopSweeper(), memoryPressureSweeper, staticPodManifestSweeper]
    : [nodePauseSweeper, nodeStopSweeper(kube), memoryPressureSweeper, staticPodManifestSweeper, nodeZoneLabelSweeper(kube)];
}

/** Every trace the sweepers find; a sweeper that fails fails the search (a leftover must not go unseen). */
export async function findLeftovers(sweepers: readonly LeftoverSweeper[]): Promise<Leftover[]> {
  const found = await Promise.all(sweepers.map((sweeper) => sweeper.find()));
  return found.flat();
}
