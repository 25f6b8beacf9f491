/**
 * NOD-10's fault: the Node object is deleted while its machine keeps running. Before the
 * delete, the Node is saved into the node container at `snapshotPath` and the kubelet is
 * stopped (a running kubelet does not re-register a deleted Node until it restarts, and
 * stopping it keeps the window clean). Recovery re-creates the Node from the snapshot —
 * labels, podlaw's own taints, podCIDR(s), providerID — BEFORE the kubelet starts, so
 * no scheduler sees the node without its podlaw.dev/disruption taint and the node IPAM
 * controller keeps the same podCIDR (so every route to it stays right); then it starts
 * the kubelet, which finds its Node and reconciles it, and re-asserts the pod network.
 *
 * Leftover marker: the snapshot file in the node container. recover() works from the
 * spec alone: when the file exists the fault is (still) active.
 *
 * A second deletion soon after a first: the PodGC pass that collected the first one's pods
 * queued the node again (gcOrphaned's AddAfter comes before its check of the queue), and
 * the first pass after that entry's 40 s finds the node missing at once if it is deleted
 * again by then (seen: pods collected 9 s and 13–18 s after the Node's deletion, in NOD-10 runs
 * a minute apart). recover() stamps the time in the node; inject() waits out what is left
 * of quarantine + one pass from it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { containerState, dockerExec } from '../docker.ts';
import type { V1Node } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault.ts';
import { inNode, inNodeStatus, kubeletUnitState } from './node-exec.ts';
import { reassertPodNetwork } from './pod-network-repair.ts';
import { podGcCheckPeriodMs, podGcQuarantineMs } from '../kube/podgc.ts';

export const snapshotPath = '/var/lib/podlaw-fault/node-delete.json';
/** When recover() last re-created the Node (epoch ms): not a leftover, the start of PodGC's stale queue entry. */
export const recoveredStampPath = '/var/lib/podlaw-fault/node-delete-recovered-at';

/**
 * Pure: how long to wait before deleting the Node again so no stale PodGC queue entry from the last recovery can collect
 * its pods early: the entry (queued at most at the recovery) is ready 40 s later and dropped by the first pass after.
 */
export function staleQuarantineWaitMs(recoveredAtMs: number | undefined, nowMs: number): number {
  if (recoveredAtMs === undefined || Number.isNaN(recoveredAtMs)) return 0;
  return Math.max(0, recoveredAtMs + podGcQuarantineMs + podGcCheckPeriodMs - nowMs);
}

/** The labels a node had when a NOD-10 fault saved it, read from its snapshot; undefined when there is none. */
export async function savedNodeLabels(node: string): Promise<Readonly<Record<string, string>> | undefined> {
  const snapshot = await inNodeStatus(node, ['cat', snapshotPath]);
  if (snapshot.exitCode !== 0) return undefined;
  return (JSON.parse(snapshot.stdout) as V1Node).metadata?.labels ?? {};
}

/** Taints a Node may be re-created with: the cluster's own role taints, never the node controller's condition taints. */
function keptTaint(key: string): boolean {
  return !key.startsWith('node.kubernetes.io/') && !key.startsWith('node.cloudprovider.kubernetes.io/');
}

/** Pure: the Node to re-create from a saved one (no status, no server-set metadata, no condition taints). */
export function nodeToRecreate(saved: V1Node): V1Node {
  const name = saved.metadata?.name;
  if (name === undefined) throw new Error('saved Node has no name');
  const spec = saved.spec ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: saved.metadata?.labels ?? {}, annotations: saved.metadata?.annotations ?? {} },
    spec: {
      ...(spec.podCIDR !== undefined ? { podCIDR: spec.podCIDR } : {}),
      ...(spec.podCIDRs !== undefined ? { podCIDRs: spec.podCIDRs } : {}),
      ...(spec.providerID !== undefined ? { providerID: spec.providerID } : {}),
      ...(spec.unschedulable === true ? { unschedulable: true } : {}),
      taints: (spec.taints ?? []).filter((t) => keptTaint(t.key)),
    },
  };
}

export class NodeDeleteFault implements Fault {
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #node: string;
  readonly #kube: KubeClients;

  constructor(node: string, kube: KubeClients) {
    this.#node = node;
    this.#kube = kube;
    this.spec = { kind: 'node-delete', target: { node }, params: { snapshot: snapshotPath } };
    this.description = `delete Node object ${node} (kubelet stopped, container running; Node saved to ${snapshotPath} in the container)`;
  }

  async inject(): Promise<void> {
    const stamp = await inNodeStatus(this.#node, ['cat', recoveredStampPath]);
    const waitMs = staleQuarantineWaitMs(stamp.exitCode === 0 ? Number(stamp.stdout.trim()) : undefined, Date.now());
    // A timer inside the controller, not a state a watch could show: bounded by the two constants it derives from.
    if (waitMs > 0) await delay(waitMs);
    const node = await this.#kube.core.readNode({ name: this.#node });
    const saved = JSON.stringify(nodeToRecreate(node));
    await dockerExec(
      this.#node,
      ['sh', '-c', `mkdir -p /var/lib/podlaw-fault && cat > ${snapshotPath}.tmp && mv ${snapshotPath}.tmp ${snapshotPath}`],
      { input: saved },
    );
    await inNode(this.#node, ['systemctl', 'stop', 'kubelet']);
    await this.#kube.core.deleteNode({ name: this.#node });
  }

  /** Idempotent: re-creates the Node from the snapshot if it is missing, starts the kubelet, removes the snapshot. */
  async recover(): Promise<void> {
    const state = await containerState(this.#node);
    if (!state.exists || !state.running || state.paused) return;
    const snapshot = await inNodeStatus(this.#node, ['cat', snapshotPath]);
    if (snapshot.exitCode !== 0) return; // no snapshot: nothing of this fault is left
    const saved = JSON.parse(snapshot.stdout) as V1Node;
    const existing = await unlessNotFound(() => this.#kube.core.readNode({ name: this.#node }));
    // A Node still terminating cannot be re-created yet; nodes have no finalizers, so this is only a race with the delete.
    if (existing === undefined) await this.#kube.core.createNode({ body: nodeToRecreate(saved) });
    if ((await kubeletUnitState(this.#node)) !== 'active') await inNode(this.#node, ['systemctl', 'start', 'kubelet']);
    await reassertPodNetwork(this.#kube, [this.#node]);
    await inNode(this.#node, ['sh', '-c', `date +%s%3N > ${recoveredStampPath} && rm -f ${snapshotPath}`]);
  }
}
