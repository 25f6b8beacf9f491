/**
 * What an interrupted run may leave on podlaw's cluster, read from the cluster and the
 * node containers: node containers paused or stopped, nodes not Ready or tainted other
 * than at the start of the bench, kubelets stopped or reconfigured, podlaw namespaces
 * older than a given moment. `bench interrupts` compares these after each next run's
 * collection against a baseline taken before the first interrupt.
 */
import { nodeReadyStatus } from '../../kube/node-status.ts';
import { createHash } from 'node:crypto';
import { dockerExecStatus } from '../../docker.ts';
import type { V1Namespace } from '@kubernetes/client-node';
import type { KubeClients } from '../../kube/client.ts';
import { containerState } from '../../docker.ts';
import { runLabels } from '../../run-naming.ts';
import { nodeContainers } from '../../podlaw-cluster.ts';

/** Where podlaw's node faults mount things (src/faults/memory-pressure.ts memoryPressureMount lives under it). */
const podlawFaultDir = '/var/lib/podlaw-fault';

export interface NodeSnapshot {
  readonly name: string;
  readonly container: 'running' | 'paused' | 'stopped' | 'missing';
  readonly ready: string;
  /** key=value:effect, sorted. */
  readonly taints: readonly string[];
  readonly unschedulable: boolean;
  /** `systemctl is-active kubelet` inside the node, or why it could not be asked. */
  readonly kubelet: string;
  /** sha256 of the kubelet's config file and flags, so a changed kubelet shows. */
  readonly kubeletConfig: string;
  /** podlaw fault mounts in the node (the memory-pressure tmpfs), from /proc/mounts. */
  readonly faultMounts: readonly string[];
}

const kubeletFiles = ['/var/lib/kubelet/config.yaml', '/var/lib/kubelet/kubeadm-flags.env'];

async function kubeletOf(
  node: string,
  container: NodeSnapshot['container'],
): Promise<{ kubelet: string; kubeletConfig: string; faultMounts: string[] }> {
  // exec into a paused container would hang; a stopped one cannot be asked.
  if (container !== 'running') return { kubelet: `not asked (container ${container})`, kubeletConfig: '', faultMounts: [] };
  const active = await dockerExecStatus(node, ['systemctl', 'is-active', 'kubelet'], { timeoutMs: 15_000 });
  const files = await dockerExecStatus(node, ['cat', ...kubeletFiles], { timeoutMs: 15_000 });
  const mounts = await dockerExecStatus(node, ['cat', '/proc/mounts'], { timeoutMs: 15_000 });
  return {
    faultMounts: mounts.stdout
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((path) => path.startsWith(podlawFaultDir)),
    kubelet: active.stdout.trim() || `unknown (${active.stderr.trim()})`,
    kubeletConfig: createHash('sha256').update(files.stdout).digest('hex').slice(0, 12),
  };
}

/** Node containers paused right now (cheap: docker state only). */
export async function pausedNodeContainers(): Promise<string[]> {
  const paused: string[] = [];
  for (const name of nodeContainers) if ((await containerState(name)).paused) paused.push(name);
  return paused;
}

export async function snapshotNodes(kube: KubeClients): Promise<NodeSnapshot[]> {
  const nodes = (await kube.core.listNode()).items;
  const snapshots: NodeSnapshot[] = [];
  for (const name of nodeContainers) {
    const state = await containerState(name);
    const container = !state.exists ? 'missing' : state.paused ? 'paused' : state.running ? 'running' : 'stopped';
    const node = nodes.find((n) => n.metadata?.name === name);
    snapshots.push({
      name,
      container,
      ready: (node === undefined ? undefined : nodeReadyStatus(node)) ?? 'absent',
      taints: (node?.spec?.taints ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort(),
      unschedulable: node?.spec?.unschedulable === true,
      ...(await kubeletOf(name, container)),
    });
  }
  return snapshots;
}

/** What differs from the baseline, one line per difference. Pure. */
export function nodeResidue(baseline: readonly NodeSnapshot[], now: readonly NodeSnapshot[]): string[] {
  const residue: string[] = [];
  for (const node of now) {
    const before = baseline.find((b) => b.name === node.name);
    if (node.container !== 'running') residue.push(`node container ${node.name} is ${node.container}`);
    if (node.ready !== 'True') residue.push(`node ${node.name} Ready=${node.ready}`);
    if (before === undefined) continue;
    const added = node.taints.filter((t) => !before.taints.includes(t));
    const removed = before.taints.filter((t) => !node.taints.includes(t));
    if (added.length > 0) residue.push(`node ${node.name} has taints it did not have before: ${added.join(', ')}`);
    if (removed.length > 0) residue.push(`node ${node.name} lost taints: ${removed.join(', ')}`);
    if (node.unschedulable !== before.unschedulable) {
      residue.push(`node ${node.name} unschedulable=${node.unschedulable} (was ${before.unschedulable})`);
    }
    if (node.container !== 'running') continue;
    if (node.kubelet !== before.kubelet) residue.push(`kubelet on ${node.name} is ${node.kubelet} (was ${before.kubelet})`);
    for (const mount of node.faultMounts) residue.push(`fault mount ${mount} left in ${node.name}`);
    if (node.kubeletConfig !== before.kubeletConfig) {
      residue.push(`kubelet config on ${node.name} changed (${before.kubeletConfig} → ${node.kubeletConfig})`);
    }
  }
  return residue;
}

export async function podlawNamespaces(kube: KubeClients): Promise<V1Namespace[]> {
  return (await kube.core.listNamespace({ labelSelector: `${runLabels.managedBy}=podlaw` })).items;
}

/** Podlaw namespaces created before `sinceMs`; creationTimestamp has 1 s resolution, so the second of `sinceMs` counts as after. Pure. */
export function namespacesOlderThan(namespaces: readonly V1Namespace[], sinceMs: number): V1Namespace[] {
  const second = sinceMs - (sinceMs % 1000);
  return namespaces.filter((ns) => new Date(ns.metadata?.creationTimestamp ?? 0).getTime() < second);
}
