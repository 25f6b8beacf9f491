/**
 * The node side of a failed test on podlaw's own cluster: for every node container, whether it
 * runs or is paused (another lane's fault), its routes, its neighbour table and its nftables
 * tables (a partition fault's table, kube-proxy's). A pod-to-pod failure such as "no route to
 * host" is an unanswered ARP on one hop; this names the hop. Nothing here changes a node.
 */
import { containerState, dockerExecStatus } from '../docker.ts';
import { nodeContainers } from '../podlaw-cluster.ts';
import type { Artifact } from './artifacts.ts';

/** Each command's bound: a stuck exec must not hold a failed test's teardown. */
const execBoundMs = 5_000;

const probes: readonly (readonly string[])[] = [
  ['ip', '-4', 'route'],
  ['ip', '-4', 'neigh'],
  ['nft', 'list', 'tables'],
];

async function describeNode(node: string): Promise<string> {
  const state = await containerState(node);
  const header = `== ${node}: ${!state.exists ? 'no container' : state.paused ? 'paused' : state.running ? 'running' : 'stopped'}`;
  if (!state.running || state.paused) return header;
  const sections = await Promise.all(
    probes.map(async (args) => {
      const result = await dockerExecStatus(node, args, { timeoutMs: execBoundMs });
      const body = result.exitCode === 0 ? result.stdout : `exit ${String(result.exitCode)}: ${result.stderr}`;
      return `-- ${args.join(' ')}\n${body}`;
    }),
  );
  return [header, ...sections].join('\n');
}

/** The artifact, taken at the failure's teardown; the caller decides the cluster is podlaw's own. */
export async function collectNodeNetworkArtifact(takenAt: Date = new Date()): Promise<Artifact> {
  const nodes = await Promise.all(nodeContainers.map(describeNode));
  return { name: 'nodes-network.txt', contentType: 'text/plain', body: [`taken ${takenAt.toISOString()}`, ...nodes].join('\n\n') };
}
