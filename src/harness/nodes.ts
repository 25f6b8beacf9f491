/**
 * Nodes as the suites need them: listing by label, waiting for a Ready status, the last
 * heartbeat (the node's Lease) and the kubelet's effective configuration (/configz).
 * Ready and configz are parsed in one place each (src/kube/node-status.ts, src/cluster/kubelet.ts).
 */
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { V1Node } from '@kubernetes/client-node';
import { parseConfigz } from '../cluster/kubelet.ts';
import type { KubeletConfigz } from '../cluster/kubelet.ts';
import type { KubeClients } from '../kube/client.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { nodeReadyStatus } from '../kube/node-status.ts';
import { timeMs } from '../kube/times.ts';
import { waitForObject } from '../kube/wait.ts';
import type { ClusterWatches } from './watches.ts';

export { isNodeReady, nodeReadyReason, nodeReadyStatus, nodeRole } from '../kube/node-status.ts';
export type { KubeletConfigz } from '../cluster/kubelet.ts';

/** The nodes matching a label selector ("podlaw.dev/role=loss"); every node without one. */
export async function listNodes(kube: KubeClients, labelSelector?: string): Promise<V1Node[]> {
  return (await kube.core.listNode(labelSelector === undefined ? {} : { labelSelector })).items;
}

/** Waits until the node's Ready condition has the given status ("True", "Unknown", …). */
export function waitForNodeReadyStatus(
  watch: ClusterWatches,
  node: string,
  status: 'True' | 'False' | 'Unknown',
  description: string,
  timeout: NamedTimeout,
): Promise<V1Node> {
  return waitForObject(watch.nodes, node, (n) => nodeReadyStatus(n) === status, { description: `node ${node} ${description}`, timeout });
}

/** The node's last heartbeat: its Lease's renewTime in kube-node-lease (NaN when it has none). */
export async function lastHeartbeatMs(kube: KubeClients, node: string): Promise<number> {
  const lease = await kube.config.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: node, namespace: 'kube-node-lease' });
  return timeMs(lease.spec?.renewTime);
}

/** The node's effective KubeletConfiguration, read through the API server's node proxy. */
export async function kubeletConfigz(kube: KubeClients, node: string): Promise<KubeletConfigz> {
  return parseConfigz((await kube.core.connectGetNodeProxyWithPath({ name: node, path: 'configz' })) as unknown);
}
