/**
 * Pod networking without kindnetd (its module is not served here, so it cannot be
 * built): the same thing kindnetd sets up, written from the host. Each node gets a
 * CNI config using the ptp and host-local plugins (built into the node image) over
 * its own podCIDR, and a route to every other node's podCIDR through that node's IP
 * on the shared Docker bridge. Idempotent: rerunning rewrites the same state.
 */
import type { V1Node } from '@kubernetes/client-node';
import { dockerExec } from '../docker.ts';
import { connect } from '../kube/client.ts';
import { kubeContext, ownKubeconfigPath } from '../podlaw-cluster.ts';

export interface NodeNetwork {
  readonly name: string;
  readonly internalIP: string;
  readonly podCIDR: string;
}

export function cniConfig(podCIDR: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'podlaw',
      plugins: [
        {
          type: 'ptp',
          ipMasq: false,
          mtu: 1500,
          ipam: { type: 'host-local', dataDir: '/run/cni-ipam-state', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: podCIDR }]] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

/** The `ip route replace` commands node `self` needs to reach the other nodes' pods. */
export function routeCommands(self: NodeNetwork, all: readonly NodeNetwork[]): string[][] {
  return all.filter((n) => n.name !== self.name).map((n) => ['ip', 'route', 'replace', n.podCIDR, 'via', n.internalIP]);
}

export function nodeNetworks(list: readonly V1Node[]): NodeNetwork[] {
  return list.map((item) => {
    const name = item.metadata?.name ?? '';
    const internalIP = item.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (internalIP === undefined) throw new Error(`node ${name} has no InternalIP yet`);
    if (item.spec?.podCIDR === undefined) throw new Error(`node ${name} has no podCIDR (is --allocate-node-cidrs on?)`);
    return { name, internalIP, podCIDR: item.spec.podCIDR };
  });
}

/** Where the node's CNI config goes (the ptp + host-local conflist). */
export const cniConfigPath = '/etc/cni/net.d/10-podlaw.conflist';

/** Writes the node's CNI config for its podCIDR, atomically (a temporary file, then a rename). */
export async function writeCniConfig(node: NodeNetwork): Promise<void> {
  const write = `mkdir -p /etc/cni/net.d && cat > ${cniConfigPath}.tmp && mv ${cniConfigPath}.tmp ${cniConfigPath}`;
  await dockerExec(node.name, ['sh', '-c', write], { input: cniConfig(node.podCIDR) });
}

/** Writes the CNI config and the routes on every node of podlaw's own cluster. */
export async function configurePodNetwork(): Promise<readonly NodeNetwork[]> {
  const kube = connect(ownKubeconfigPath(), kubeContext);
  const nodes = nodeNetworks((await kube.core.listNode()).items);
  for (const node of nodes) {
    await writeCniConfig(node);
    for (const route of routeCommands(node, nodes)) await dockerExec(node.name, route);
  }
  return nodes;
}
