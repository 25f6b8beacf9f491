/**
 * The pod network's per-node state that lives in a node container's network namespace
 * (podlaw writes it from the host; there is no kindnetd): a route to every other node's
 * podCIDR via that node's address, and the CNI config over the node's own podCIDR. A
 * restarted node container comes back without its routes, so node faults re-assert
 * them on recovery and prove the result: each node's InternalIP is its container's
 * address on the kind network, and every node routes every other podCIDR to it.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { containerIPAddress, containerRunningUnpaused, dockerExec, dockerExecStatus } from '../docker.ts';
import { isNodeReady } from '../kube/node-status.ts';
import { cniConfigPath, routeCommands, writeCniConfig } from '../net/pod-network.ts';
import type { NodeNetwork } from '../net/pod-network.ts';

export function nodeNetworkOf(node: V1Node): NodeNetwork | undefined {
  return nodeNetworkAt(node, undefined);
}

/**
 * Pure: a node's network with its address from its container when known, else its InternalIP. A Node re-created from a
 * snapshot (NOD-10's recovery) has its podCIDR but no status until its kubelet posts one: its container still has the address.
 */
export function nodeNetworkAt(node: V1Node, containerAddress: string | undefined): NodeNetwork | undefined {
  const name = node.metadata?.name;
  const internalIP = containerAddress || node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const podCIDR = node.spec?.podCIDR;
  if (name === undefined || internalIP === undefined || podCIDR === undefined) return undefined;
  return { name, internalIP, podCIDR };
}

/** Pure: the routes of `self` that are missing from its `ip -4 route` output. */
export function missingRoutes(self: NodeNetwork, all: readonly NodeNetwork[], ipRouteOutput: string): string[] {
  const lines = ipRouteOutput.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
  return all
    .filter((n) => n.name !== self.name)
    .filter((n) => !lines.some((l) => l.startsWith(`${n.podCIDR} via ${n.internalIP} `) || l === `${n.podCIDR} via ${n.internalIP}`))
    .map((n) => `${n.podCIDR} via ${n.internalIP}`);
}

export async function containerIP(container: string): Promise<string> {
  return containerIPAddress(container);
}

/** Node networks with each node's address taken from its container: right even before a restarted kubelet posts a new address. */
async function nodeNetworksByContainer(kube: KubeClients): Promise<NodeNetwork[]> {
  const nodes = (await kube.core.listNode()).items;
  const networks = await Promise.all(nodes.map(async (n) => nodeNetworkAt(n, await containerIP(n.metadata?.name ?? ''))));
  return networks.filter((n): n is NodeNetwork => n !== undefined);
}

/** Re-writes the CNI config and routes of the given nodes (all nodes' routes to them stay as they are unless their IP moved). */
export async function reassertPodNetwork(kube: KubeClients, nodes: readonly string[]): Promise<void> {
  const all = await nodeNetworksByContainer(kube);
  for (const self of all) {
    // A paused or stopped node is someone else's fault in progress: its routes are re-asserted when that fault recovers.
    if (!(await containerRunningUnpaused(self.name))) continue;
    if (nodes.includes(self.name)) {
      await writeCniConfig(self);
    }
    // Every node re-asserts its route to the repaired nodes; the repaired nodes all of theirs.
    const routes = routeCommands(self, all).filter(
      (r) => nodes.includes(self.name) || all.some((n) => nodes.includes(n.name) && r[3] === n.podCIDR),
    );
    for (const route of routes) await dockerExec(self.name, route);
  }
}

export interface PodNetworkCheck {
  readonly whole: boolean;
  readonly problems: readonly string[];
  /** Nodes not checked because they are paused or stopped (another fault in progress). */
  readonly skipped: readonly string[];
}

/**
 * Proves the pod network's host-written state around one node (or every node): its InternalIP is its container address,
 * it routes every other podCIDR, every other node routes its podCIDR, and its CNI config uses its podCIDR. Nodes another
 * fault holds paused or stopped are skipped and listed.
 */
export async function checkPodNetwork(kube: KubeClients, around?: string): Promise<PodNetworkCheck> {
  const nodes = (await kube.core.listNode()).items;
  const all = nodes.map(nodeNetworkOf).filter((n): n is NodeNetwork => n !== undefined);
  const notReady = new Set(nodes.filter((n) => !isNodeReady(n)).map((n) => n.metadata?.name));
  const problems: string[] = [];
  const skipped: string[] = [];
  for (const self of all) {
    // Another node not Ready is another fault in progress (its recovery re-asserts its routes): not this check's business.
    if (around !== undefined && self.name !== around && notReady.has(self.name)) {
      skipped.push(self.name);
      continue;
    }
    if (!(await containerRunningUnpaused(self.name))) {
      skipped.push(self.name);
      continue;
    }
    const concerned = around === undefined || self.name === around;
    const address = await containerIP(self.name);
    if (concerned && address !== self.internalIP)
      problems.push(`${self.name}: InternalIP ${self.internalIP} but container address ${address}`);
    const routes = await dockerExecStatus(self.name, ['ip', '-4', 'route']);
    // Another node can be stopped or paused by another fault between the state check and the exec
    // (bench flakes: "OCI runtime exec failed … setns" on the other loss worker): skipped, like a node
    // found stopped. On the node of concern the failure is this check's own.
    if (routes.exitCode !== 0 && !concerned) {
      skipped.push(self.name);
      continue;
    }
    if (routes.exitCode !== 0) throw new Error(`ip -4 route in ${self.name} failed (exit ${routes.exitCode}): ${routes.stderr.trim()}`);
    const stdout = routes.stdout;
    const wanted = concerned ? all : all.filter((n) => n.name === around || n.name === self.name);
    for (const missing of missingRoutes(self, wanted, stdout)) problems.push(`${self.name}: no route ${missing}`);
    if (!concerned) continue;
    const cni = await dockerExecStatus(self.name, ['cat', cniConfigPath]);
    if (!cni.stdout.includes(self.podCIDR)) problems.push(`${self.name}: CNI config does not use podCIDR ${self.podCIDR}`);
  }
  return { whole: problems.length === 0, problems, skipped };
}
