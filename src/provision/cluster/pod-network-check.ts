/**
 * `cluster up`'s last look at the pod network it wrote (src/net/pod-network.ts), before the suites get the cluster.
 */
import { checkPodNetwork } from '../../faults/pod-network-repair.ts';
import { connect } from '../../kube/client.ts';
import { kubeContext, nodeContainers, ownKubeconfigPath } from '../../podlaw-cluster.ts';

/**
 * The pod network podlaw wrote, read back from every node: a route pointing at an address no node container has
 * (a node that came back on another address) makes cross-node pod traffic fail with "no route to host" while every
 * node reads Ready. Every node of the cluster must be checked: one paused or stopped, one without an address or a
 * podCIDR, or a node container without a Node, is a problem too. Empty when whole.
 */
export async function podNetworkProblems(): Promise<string[]> {
  const kube = connect(ownKubeconfigPath(), kubeContext);
  try {
    const network = await checkPodNetwork(kube);
    const nodes = (await kube.core.listNode()).items;
    const listed = nodes.map((n) => n.metadata?.name ?? '');
    return [
      ...network.problems,
      ...network.skipped.map((node) => `${node}: paused or stopped, its network not checked`),
      ...nodeContainers.filter((name) => !listed.includes(name)).map((name) => `${name}: no Node object`),
      ...nodes
        .filter((n) => n.spec?.podCIDR === undefined || !(n.status?.addresses ?? []).some((a) => a.type === 'InternalIP'))
        .map((n) => `${n.metadata?.name ?? ''}: no podCIDR or no InternalIP`),
    ];
  } catch (error) {
    // An exec or a read that failed is a cluster problem too, said in one line.
    const message = error instanceof Error ? error.message : String(error);
    return [`reading the pod network back failed: ${message.split('\n')[0] ?? ''}`];
  }
}
