/**
 * NOD-10 on a node that is already lost: what an operator does with a dead node. Its kubelet is stopped, the taint
 * manager has marked the pods it evicts, and they stay Terminating "until the kubelet confirms, the Node is deleted or
 * they are force-deleted" (force-delete-stateful-set-pod docs). Deleting the Node object hands them, and the pods it
 * never marks (the DaemonSet's), to the PodGC controller, which deletes pods bound to a Node that no longer exists with
 * DisruptionTarget reason DeletionByPodGC.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-garbage-collection
 *
 * Then the node is restored whole (src/faults/node-delete.ts): the Node re-created from the snapshot its fault took,
 * the kubelet back, and the labels, podlaw taint, podCIDR, routes and a pod reachable on it read back.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { expect } from '@playwright/test';
import type { KubeClients } from '../kube/client.ts';
import type { FaultSession } from '../faults/active-faults.ts';
import { NodeDeleteFault } from '../faults/node-delete.ts';
import { execInContainer } from '../kube/exec.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import { nodeReadyStatus } from '../kube/node-status.ts';
import { isPodReady } from '../kube/pod-status.ts';
import { waitFor, waitForGone } from '../kube/wait.ts';
import { nodeDeletedToPodsCollected } from '../laws/expectations/node-loss.ts';
import type { LawCheck } from './law-check.ts';
import { checkPodNetworkFact, controllerWrite } from './lost-node-facts.ts';
import { disruptionReason, nodeReturnBudget } from './node-loss.ts';
import { PodGcCanaries } from './podgc-canary.ts';
import { timeouts } from './timeouts.ts';
import type { ClusterWatches } from './watches.ts';

export interface DeletedNodeContext {
  readonly kube: KubeClients;
  readonly watch: ClusterWatches;
  readonly faults: FaultSession;
  readonly namespace: string;
  /** Bound to NOD-10. */
  readonly check: LawCheck;
}

function labelsOf(node: V1Node): string {
  return Object.entries(node.metadata?.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(', ');
}

function podlawTaintsOf(node: V1Node): string {
  return (node.spec?.taints ?? [])
    .filter((t) => t.key.startsWith('podlaw.dev/'))
    .map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`)
    .sort()
    .join(', ');
}

/**
 * Deletes the lost node's Node object, judges NOD-10 on `bound` (pods bound to it, each labelled `app`), and restores
 * the node whole. `before` is the Node as the test found it, before any fault.
 */
export async function deleteLostNode(ctx: DeletedNodeContext, node: string, before: V1Node, bound: readonly V1Pod[]): Promise<void> {
  const { kube, watch, faults, namespace, check } = ctx;
  const live = bound.map((pod) => watch.pods.objects().find((p) => p.metadata?.uid === pod.metadata?.uid));
  expect(
    live.map((p) => p?.metadata?.name ?? 'gone'),
    `the pods bound to ${node} exist when its Node is deleted`,
  ).toEqual(bound.map((p) => p.metadata?.name ?? ''));
  // Milliseconds of API calls in every PodGC pass, so the pass that finds the quarantine over is the first after it
  // (src/harness/podgc-canary.ts); armed once the Node is deleted. Released below, or by the namespace's teardown when
  // the test stops early.
  const canaries = await PodGcCanaries.place(kube, watch, namespace);
  const fault = new NodeDeleteFault(node, kube);
  await faults.inject(fault);
  await canaries.arm();
  const deletedAt = await waitForGone(watch.nodes, node, {
    description: `Node ${node} deleted`,
    timeout: namedTimeout('API delete (e2e framework PodDelete 5 min)', 300_000),
  });
  const gcWindow = nodeDeletedToPodsCollected();
  for (const pod of bound) {
    const name = pod.metadata?.name ?? '';
    const app = pod.metadata?.labels?.['app'] ?? name;
    const goneAt = await waitForGone(watch.pods, name, {
      uid: pod.metadata?.uid ?? '',
      description: `pod ${name} garbage-collected`,
      timeout: namedTimeout(`${gcWindow.formula} + ${controllerWrite.name}`, gcWindow.maxMs + controllerWrite.ms),
    });
    check.duration(
      { ...gcWindow, what: `${gcWindow.what} (${app})` },
      goneAt.getTime() - deletedAt.getTime(),
      controllerWrite,
      goneAt.getTime(),
    );
    const last = watch.historyOf(name, pod.metadata?.uid).at(-1);
    // A pod the taint manager marked carried DeletionByTaintManager; PodGC's status patch replaces the condition.
    check.fact(
      `DisruptionTarget reason (${app})`,
      'DeletionByPodGC',
      (last && disruptionReason(last)) ?? 'none',
      'pod-lifecycle docs (pod disruption conditions)',
    );
  }
  const firstPass = canaries.firstPassAt;
  check.fact(
    'Node deleted → first PodGC pass (the canaries, deleted right after it, marked Failed)',
    'measured (the quarantine runs from it)',
    firstPass === undefined ? 'not seen' : `${((firstPass - deletedAt.getTime()) / 1000).toFixed(1)} s`,
    'pod watch (src/harness/podgc-canary.ts)',
    true,
  );
  await canaries.release();

  // Restored whole: the Node re-created from its snapshot, the kubelet back, labels, taint, podCIDR, routes, a pod reachable.
  await faults.recover(fault);
  const back = await waitFor(watch.nodes, (nodes) => nodes.find((n) => n.metadata?.name === node && nodeReadyStatus(n) === 'True'), {
    description: `node ${node} re-registered and Ready`,
    timeout: nodeReturnBudget,
  });
  check.fact('restored node: labels', labelsOf(before), labelsOf(back), 'the Node before the faults');
  check.fact('restored node: podlaw taint', podlawTaintsOf(before), podlawTaintsOf(back), 'the Node before the faults');
  check.fact('restored node: podCIDR', before.spec?.podCIDR ?? '?', back.spec?.podCIDR ?? 'none', 'the Node before the faults');
  // The routes are read while the DaemonSet's new pod starts on the restored node.
  const [, ds] = await Promise.all([
    checkPodNetworkFact(check, kube, node, 'restored node: pod network routes and CNI config'),
    waitFor(watch.pods, (all) => all.find((p) => p.metadata?.labels?.['app'] === 'ds' && p.spec?.nodeName === node && isPodReady(p)), {
      description: `DaemonSet pod Ready on the restored ${node}`,
      timeout: timeouts.podStart,
    }),
  ]);
  const reach = await execInContainer(kube, { namespace, pod: 'client', container: 'netexec' }, [
    '/agnhost',
    'connect',
    `${ds.status?.podIP ?? ''}:8080`,
    '--timeout=5s',
  ]);
  check.fact(
    'restored node: a pod on it reached from another node',
    'exited 0',
    reach.outcome.kind === 'exited' ? `exited ${reach.outcome.exitCode}` : reach.outcome.kind,
    'agnhost connect from the general worker',
  );
}
