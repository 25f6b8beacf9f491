/**
 * What the node-loss suites need, phrased the way they use it: the loss workers and
 * their preflight (leftovers of a killed run undone, node Ready and clean), the first
 * time something was seen on a watch, a node's heartbeat, stored tolerations, and the
 * faults by kind. Every wait is a watch with a named budget.
 */
import type { KubernetesObject, V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { waitFor } from '../kube/wait.ts';
import type { WatchSource } from '../kube/watch.ts';
import { podCondition } from '../kube/pod-status.ts';
import { isNodeReady } from '../kube/node-status.ts';
import { timeMs } from '../kube/times.ts';
import type { Fault } from '../faults/fault.ts';
import { KubeletStopFault } from '../faults/kubelet-stop.ts';
import { NodePartitionFault } from '../faults/node-partition.ts';
import { NodePauseFault } from '../faults/node-pause.ts';
import { NodeStopFault } from '../faults/node-stop.ts';
import { nodeReturnBudget, recoverNodeLeftovers } from '../faults/node-leftovers.ts';
import { clusterName } from '../podlaw-cluster.ts';
import type { ClusterWatches } from './watches.ts';

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';

export type NodeLossKind = 'node-pause' | 'node-stop' | 'kubelet-stop' | 'node-partition';

export function nodeLossFault(kind: NodeLossKind, node: string, kube: KubeClients): Fault {
  switch (kind) {
    case 'node-pause':
      return new NodePauseFault(node);
    case 'node-stop':
      return new NodeStopFault(node, kube);
    case 'kubelet-stop':
      return new KubeletStopFault(node);
    case 'node-partition':
      return new NodePartitionFault(node, `${clusterName}-control-plane`);
  }
}

export function taintOf(node: V1Node, key: string, effect: string): V1Taint | undefined {
  return node.spec?.taints?.find((t) => t.key === key && t.effect === effect);
}

/** A node fit for a node-loss test: Ready, no condition taint, not cordoned. */
export function nodeIsClean(node: V1Node): boolean {
  const taints = node.spec?.taints ?? [];
  return (
    isNodeReady(node) &&
    node.spec?.unschedulable !== true &&
    !taints.some((t) => t.key.startsWith('node.kubernetes.io/') || t.key.startsWith('podlaw.dev/fault-'))
  );
}

/** A returning node's bound, shared with cluster up's recovery of a killed run's leftovers. */
export { nodeReturnBudget } from '../faults/node-leftovers.ts';

/** Undoes what a killed run left on the node, then waits for it Ready and clean. */
export async function preflightLossNode(kube: KubeClients, watch: ClusterWatches, node: string): Promise<V1Node> {
  const failures = await recoverNodeLeftovers(kube, node);
  if (failures.length > 0) throw new Error(`could not undo leftovers on ${node}: ${failures.join('; ')}`);
  return waitFor(watch.nodes, (nodes) => nodes.find((n) => n.metadata?.name === node && nodeIsClean(n)), {
    description: `node ${node} Ready, untainted by conditions or faults, schedulable`,
    timeout: nodeReturnBudget,
  });
}

/** A moment something was first seen on a watch, and the object then. */
export interface Sighting<T> {
  readonly at: number;
  readonly object: T;
}

/** Resolves at the first change (or the current state) where `pick` finds something; `at` is when the watch delivered it. */
export function firstSeen<T extends KubernetesObject, R>(
  source: WatchSource<T>,
  pick: (objects: readonly T[]) => R | undefined,
  description: string,
  timeout: NamedTimeout,
): Promise<Sighting<R>> {
  return waitFor(
    source,
    (objects, change) => {
      const found = pick(objects);
      return found === undefined ? undefined : { at: (change?.receivedAt ?? new Date()).getTime(), object: found };
    },
    { description, timeout },
  );
}

/** The NoExecute toleration of a taint key as stored on the pod (added by admission, or by the workload). */
export function noExecuteToleration(pod: V1Pod, key: string): V1Toleration | undefined {
  return pod.spec?.tolerations?.find((t) => t.key === key && t.effect === 'NoExecute');
}

export function disruptionReason(pod: V1Pod): string | undefined {
  const condition = podCondition(pod, 'DisruptionTarget');
  return condition?.status === 'True' ? condition.reason : undefined;
}

export function ownerKind(pod: V1Pod): string | undefined {
  return pod.metadata?.ownerReferences?.find((o) => o.controller === true)?.kind;
}

/** When a graceful delete was requested: deletionTimestamp minus its grace (1 s resolution). */
export function deleteRequestedMs(pod: V1Pod): number {
  return timeMs(pod.metadata?.deletionTimestamp) - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
}
