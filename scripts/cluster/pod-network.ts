/**
 * Pod networking without kindnetd (its module is not served here, so it cannot be
 * built): the same thing kindnetd sets up, written from the host. Each node gets a
 * CNI config using the ptp and host-local plugins (built into the node image) over
 * its own podCIDR, and a route to every other node's podCIDR through that node's IP
 * on the shared Docker bridge. Idempotent: rerunning rewrites the same state.
 */
import { execa } from 'execa';

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

export function parseNodeNetworks(nodeListJson: string): NodeNetwork[] {
  const list = JSON.parse(nodeListJson) as {
    items: { metadata: { name: string }; spec: { podCIDR?: string }; status: { addresses?: { type: string; address: string }[] } }[];
  };
  return list.items.map((item) => {
    const internalIP = item.status.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (internalIP === undefined) throw new Error(`node ${item.metadata.name} has no InternalIP yet`);
    if (item.spec.podCIDR === undefined) throw new Error(`node ${item.metadata.name} has no podCIDR (is --allocate-node-cidrs on?)`);
    return { name: item.metadata.name, internalIP, podCIDR: item.spec.podCIDR };
  });
}

export async function configurePodNetwork(kubectl: readonly string[]): Promise<readonly NodeNetwork[]> {
  const [command, ...args] = kubectl;
  if (command === undefined) throw new Error('no kubectl command');
  const { stdout } = await execa(command, [...args, 'get', 'nodes', '-o', 'json']);
  const nodes = parseNodeNetworks(stdout);
  for (const node of nodes) {
    await execa('docker', ['exec', '-i', node.name, 'sh', '-c', 'mkdir -p /etc/cni/net.d && cat > /etc/cni/net.d/10-podlaw.conflist.tmp && mv /etc/cni/net.d/10-podlaw.conflist.tmp /etc/cni/net.d/10-podlaw.conflist'], {
      input: cniConfig(node.podCIDR),
    });
    for (const route of routeCommands(node, nodes)) await execa('docker', ['exec', node.name, ...route]);
  }
  return nodes;
}
