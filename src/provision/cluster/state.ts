/**
 * What exists of the podlaw cluster right now, and whether it is usable: every node
 * container running and not paused, the API answering, every node Ready, and built
 * from the node image this checkout would build.
 */
import { execa } from 'execa';
import type { V1Node } from '@kubernetes/client-node';
import { containerImage, containerState, dockerExecStatus } from '../../docker.ts';
import { connect } from '../../kube/client.ts';
import { nodeReadyStatus } from '../../kube/node-status.ts';
import { clusterName, kubeContext, nodeContainers, ownKubeconfigPath } from '../../podlaw-cluster.ts';
import { configDrift, readConfigStamp } from './config-stamp.ts';

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

export function readyConditions(nodes: readonly V1Node[]): NodeCondition[] {
  return nodes.map((n) => ({ name: n.metadata?.name ?? '', ready: nodeReadyStatus(n) ?? 'Unknown' }));
}

/** How long the API server has to answer the node listing (what kubectl's --request-timeout=10s gave). */
const apiRequestTimeoutMs = 10_000;

async function listNodesWithin(timeoutMs: number): Promise<V1Node[]> {
  const kube = connect(ownKubeconfigPath(), kubeContext);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return (await Promise.race([kube.core.listNode(), timeout])).items;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `renderedConfig`: the kind config this checkout would create the cluster from; a cluster
 * created from another one is a problem (config-stamp.ts). Undefined: not judged.
 */
export async function readClusterState(kind: string, expectedImage: string | undefined, renderedConfig?: string): Promise<ClusterState> {
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
    let listed: V1Node[] | undefined;
    try {
      listed = await listNodesWithin(apiRequestTimeoutMs);
    } catch (error) {
      problems.push(`the API server does not answer (${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''})`);
    }
    if (listed !== undefined) {
      nodes = readyConditions(listed);
      for (const node of nodes) if (node.ready !== 'True') problems.push(`node ${node.name} is Ready=${node.ready}`);
      if (nodes.length !== nodeContainers.length) problems.push(`${nodes.length} nodes registered, ${nodeContainers.length} expected`);
    }
  }
  if (exists && problems.length === 0 && renderedConfig !== undefined) {
    const drift = configDrift(await readConfigStamp(), renderedConfig);
    if (drift !== undefined) problems.push(drift);
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
    const probe = await dockerExecStatus(name, [
      'curl',
      '-sk',
      '-o',
      '/dev/null',
      '--max-time',
      '5',
      '-w',
      '%{http_code}',
      `https://${apiServiceIP}:443/healthz`,
    ]);
    if (probe.exitCode !== 0)
      problems.push(`node ${name} cannot reach the kubernetes Service at ${apiServiceIP} (curl exit ${probe.exitCode ?? 'none'})`);
  }
  return problems;
}
