/**
 * The node side of a failed test on podlaw's own cluster: for every node container, whether it
 * runs or is paused (another lane's fault), its container address beside the InternalIP and
 * podCIDR the API holds (other nodes route to that address), its routes, its neighbour table and
 * its nftables tables (a partition fault's table, kube-proxy's). A pod-to-pod failure such as "no route to
 * host" is an unanswered ARP on one hop; this names the hop. Nothing here changes a node.
 */
import type { V1Node } from '@kubernetes/client-node';
import { containerIPAddress, containerState, dockerExecStatus } from '../docker.ts';
import type { KubeClients } from '../kube/client.ts';
import { nodeContainers } from '../podlaw-cluster.ts';
import type { Artifact } from './artifacts.ts';

/** Each command's bound: a stuck exec must not hold a failed test's teardown. */
const execBoundMs = 5_000;

const probes: readonly (readonly string[])[] = [
  ['ip', '-4', 'route'],
  ['ip', '-4', 'neigh'],
  ['nft', 'list', 'tables'],
];

/** What the API says of the node: the address other nodes' routes to its podCIDR use, and that podCIDR. */
function apiView(node: V1Node | undefined): string {
  if (node === undefined) return 'no Node object';
  const internalIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? 'none';
  return `InternalIP ${internalIP}, podCIDR ${node.spec?.podCIDR ?? 'none'}`;
}

async function describeNode(name: string, node: V1Node | undefined): Promise<string> {
  const state = await containerState(name);
  const condition = !state.exists ? 'no container' : state.paused ? 'paused' : state.running ? 'running' : 'stopped';
  const address = state.exists ? await containerIPAddress(name) : '';
  const header = `== ${name}: ${condition}, container address ${address || 'none'}; ${apiView(node)}`;
  if (!state.running || state.paused) return header;
  const sections = await Promise.all(
    probes.map(async (args) => {
      const result = await dockerExecStatus(name, args, { timeoutMs: execBoundMs });
      const body =
        result.exitCode === 0
          ? result.stdout
          : result.exitCode === undefined
            ? `no exit within ${execBoundMs} ms`
            : `exit ${result.exitCode}: ${result.stderr}`;
      return `-- ${args.join(' ')}\n${body}`;
    }),
  );
  return [header, ...sections].join('\n');
}

/** The artifact, taken at the failure's teardown; the caller decides the cluster is podlaw's own. */
export async function collectNodeNetworkArtifact(kube: KubeClients, takenAt: Date = new Date()): Promise<Artifact> {
  const listed = await kube.core.listNode().catch(() => undefined);
  const byName = new Map((listed?.items ?? []).map((n) => [n.metadata?.name ?? '', n]));
  // A node that cannot be read (its container went between two calls) is a line, not the loss of every other attachment.
  const nodes = await Promise.all(
    nodeContainers.map((name) =>
      describeNode(name, byName.get(name)).catch(
        (error: unknown) => `== ${name}: not read (${error instanceof Error ? error.message : String(error)})`,
      ),
    ),
  );
  return { name: 'nodes-network.txt', contentType: 'text/plain', body: [`taken ${takenAt.toISOString()}`, ...nodes].join('\n\n') };
}
