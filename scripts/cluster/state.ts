/**
 * What exists of the podlaw cluster right now, and whether it is usable: every node
 * container running and not paused, the API answering, every node Ready, and built
 * from the node image this checkout would build.
 */
import { execa } from 'execa';
import { containerState } from '../../src/docker.ts';
import { clusterName, kubeContext, nodeContainers } from '../../src/podlaw-cluster.ts';

/** The kubernetes Service's ClusterIP: the first address of kind's default service range 10.96.0.0/16. */
const apiServiceIP = '10.96.0.1';

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
  if (exists && problems.length === 0) problems.push(...(await serviceRoutingProblems()));
  return { exists, containers, nodes, problems };
}

/**
 * Every node must route ClusterIP traffic: the API server's Service (default/kubernetes,
 * first address of the service range) has to answer from each node's own network
 * namespace, through kube-proxy's rules there.
 */
async function serviceRoutingProblems(): Promise<string[]> {
  const problems: string[] = [];
  for (const name of nodeContainers) {
    const probe = await execa('docker', ['exec', name, 'curl', '-sk', '-o', '/dev/null', '--max-time', '5', '-w', '%{http_code}', `https://${apiServiceIP}:443/healthz`], { reject: false });
    if (probe.exitCode !== 0) problems.push(`node ${name} cannot reach the kubernetes Service at ${apiServiceIP} (curl exit ${probe.exitCode ?? 'none'})`);
  }
  return problems;
}
