/**
 * What exists of the podlaw cluster right now, and whether it is usable: every node
 * container running and not paused, the API answering, every node Ready, and built
 * from the node image this checkout would build.
 */
import { execa } from 'execa';
import { containerState } from '../../src/docker.ts';
import { clusterName, kubeContext, nodeContainers } from '../../src/podlaw-cluster.ts';

export interface NodeCondition {
  readonly name: string;
  readonly ready: string;
}

export interface ClusterState {
  readonly exists: boolean;
  readonly containers: readonly { name: string; exists: boolean; running: boolean; paused: boolean; image: string }[];
  readonly nodes: readonly NodeCondition[] | undefined;
  readonly problems: readonly string[];
}

export async function kindClusterExists(kind: string): Promise<boolean> {
  const { stdout } = await execa(kind, ['get', 'clusters']);
  return stdout.split('\n').some((line) => line.trim() === clusterName);
}

async function containerImage(name: string): Promise<string> {
  const result = await execa('docker', ['inspect', '--format', '{{.Config.Image}}', name], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : '';
}

export function readyConditions(nodeListJson: string): NodeCondition[] {
  const list = JSON.parse(nodeListJson) as { items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] };
  return list.items.map((n) => ({ name: n.metadata.name, ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown' }));
}

export async function readClusterState(kind: string, kubectl: string, expectedImage: string | undefined): Promise<ClusterState> {
  const exists = await kindClusterExists(kind);
  const problems: string[] = [];
  const containers = [];
  for (const name of nodeContainers) {
    const state = await containerState(name);
    const image = state.exists ? await containerImage(name) : '';
    containers.push({ name, ...state, image });
    if (!exists) continue;
    if (!state.exists) problems.push(`node container ${name} is missing`);
    else if (state.paused) problems.push(`node container ${name} is paused`);
    else if (!state.running) problems.push(`node container ${name} is not running`);
    else if (expectedImage !== undefined && image !== expectedImage) problems.push(`node ${name} runs ${image}, not ${expectedImage}`);
  }
  let nodes: NodeCondition[] | undefined;
  if (exists) {
    const result = await execa(kubectl, ['--context', kubeContext, '--request-timeout=10s', 'get', 'nodes', '-o', 'json'], { reject: false });
    if (result.exitCode !== 0) problems.push(`the API server does not answer (${result.stderr.split('\n')[0] ?? ''})`);
    else {
      nodes = readyConditions(result.stdout);
      for (const node of nodes) if (node.ready !== 'True') problems.push(`node ${node.name} is Ready=${node.ready}`);
      if (nodes.length !== nodeContainers.length) problems.push(`${nodes.length} nodes registered, ${nodeContainers.length} expected`);
    }
  }
  return { exists, containers, nodes, problems };
}
