/**
 * `cluster up`: prepares the host, builds (or reuses) everything, then reuses a
 * healthy cluster or recreates a broken one. Idempotent.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join, dirname } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { repoRoot } from '../../paths.ts';
import { buildAll } from '../build/all.ts';
import { loadImageIntoNodes } from './load-images.ts';
import type { BuiltToolchain } from '../build/all.ts';
import { prepareHost } from '../host/prepare.ts';
import { requireFreeSpace } from '../host/disk.ts';
import { cacheRoot } from '../lib/cache.ts';
import type { Progress } from '../lib/progress.ts';
import { findLeftovers, leftoverSweepers } from '../../faults/leftovers.ts';
import { clusterName, hostNodePort, kubeContext, nodeContainers, ownKubeconfigPath } from '../../podlaw-cluster.ts';
import { configurePodNetwork } from '../../net/pod-network.ts';
import { checkPodNetwork } from '../../faults/pod-network-repair.ts';
import { connect } from '../../kube/client.ts';
import { requirePortFree } from './port.ts';
import { acquireHostLock } from '../lib/host-lock.ts';
import { namedTimeout } from '../../kube/named-timeout.ts';
import { renderKindConfig } from './render-config.ts';
import { stampConfig } from './config-stamp.ts';
import { readClusterState } from './state.ts';
import { chooseNodeImage, describeChoice, lookUpOfficialImage } from './node-image-choice.ts';

/** A cold build (Go caches, Debian root fs, images, node image) takes about this much. */
const coldBuildGiB = 20;

export interface UpResult {
  readonly toolchain: BuiltToolchain;
  readonly created: boolean;
}

/**
 * A node fault whose run was killed (SIGKILL, a crash of the runner) leaves its node
 * frozen or stopped, and a cluster with such a node looks broken and would be recreated.
 * So up first recovers every trace the leftover sweepers find (src/faults/leftovers.ts),
 * each through its fault's own recovery. Unlike a run's start, up does not spare faults a
 * live run claims: up needs every node working, and recreating the cluster instead would
 * end that run all the same.
 */
async function recoverLeftovers(progress: Progress): Promise<void> {
  for (const leftover of await findLeftovers(leftoverSweepers({ podlawCluster: true }))) {
    await leftover.recover();
    progress.log(`  recovered a leftover ${leftover.kind} fault: ${leftover.description}`);
  }
}

/** Where one `cluster up` or `cluster down` at a time holds the host (src/provision/lib/host-lock.ts). */
export function clusterLockPath(): string {
  // Not under the cache: sessions with another PODLAW_CACHE or HOME drive the same Docker engine and cluster.
  return join('/tmp', 'podlaw-locks', `cluster-${clusterName}.lock`);
}

/** A cold build (about 13 min; 22 min 35 s measured at nice 19 beside the suites) and the cluster after it. */
const clusterLockBound = namedTimeout('a cold build of the cluster, 22 min 35 s measured, + 7 min', 30 * 60_000);

/** Runs `work` holding the cluster lock; another up or down on this host waits for it, saying who it waits for. */
export async function withClusterLock<T>(progress: Progress, command: string, work: () => Promise<T>): Promise<T> {
  const release = await acquireHostLock(clusterLockPath(), command, clusterLockBound, (holder) =>
    progress.log(`waiting for ${holder.command} (pid ${holder.pid}, since ${holder.since}) to finish with cluster ${clusterName}`),
  );
  try {
    return await work();
  } finally {
    release();
  }
}

export async function clusterUp(progress: Progress, options: { recreate?: boolean } = {}): Promise<UpResult> {
  return withClusterLock(progress, `cluster up (${[basename(process.argv[1] ?? 'node'), ...process.argv.slice(2)].join(' ')})`, () =>
    lockedClusterUp(progress, options),
  );
}

/** `clusterUp` for a caller that already holds the cluster lock (withClusterLock): a nested clusterUp would wait for itself. */
export async function lockedClusterUp(progress: Progress, options: { recreate?: boolean } = {}): Promise<UpResult> {
  await prepareHost(progress);
  if (!existsSync(join(cacheRoot(), 'artifacts'))) requireFreeSpace(cacheRoot(), coldBuildGiB, 'a cold build of the cluster');
  const choice = chooseNodeImage(await lookUpOfficialImage());
  progress.log(describeChoice(choice));
  const toolchain = await buildAll(progress, choice.source === 'official' ? { officialNodeImage: choice.image } : {});

  await recoverLeftovers(progress);
  const renderedConfig = renderKindConfig(readFileSync(join(repoRoot, 'kind-config.yaml'), 'utf8'));
  const state = await readClusterState(toolchain.kind, toolchain.nodeImage, renderedConfig);
  const problems = [...state.problems];
  if (state.exists && problems.length === 0 && options.recreate !== true) {
    const networkProblems = await progress.step('cluster', `reuse healthy cluster ${clusterName}`, async () => {
      // Routes live in the node containers' network namespaces; re-assert them cheaply, then read them back.
      await configurePodNetwork();
      return { source: 'reused', value: await podNetworkProblems() };
    });
    if (networkProblems.length === 0) {
      await loadExtraImages(progress, toolchain);
      return { toolchain, created: false };
    }
    problems.push(...networkProblems);
  }
  if (state.exists) {
    await progress.step('delete cluster to recreate it', problems.join('; ') || 'asked to (--recreate)', async () => {
      await execa(toolchain.kind, ['delete', 'cluster', '--name', clusterName]);
      return { source: 'done', value: undefined };
    });
  }
  await requirePortFree(hostNodePort);
  const configPath = join(cacheRoot(), 'kind-config.rendered.yaml');
  mkdirSync(dirname(configPath), { recursive: true });
  writeFileSync(configPath, renderedConfig);

  await progress.step('create cluster', `kind create cluster --name ${clusterName} --image ${toolchain.nodeImage}`, async () => {
    const create = await execa(
      toolchain.kind,
      ['create', 'cluster', '--name', clusterName, '--image', toolchain.nodeImage, '--config', configPath, '--retain'],
      {
        reject: false,
        stdout: 'inherit',
        stderr: 'inherit',
      },
    );
    if (create.failed) {
      const logs = join(cacheRoot(), 'kind-logs');
      await execa(toolchain.kind, ['export', 'logs', logs, '--name', clusterName], { reject: false });
      await execa(toolchain.kind, ['delete', 'cluster', '--name', clusterName], { reject: false });
      throw new PodlawError(
        'cluster',
        `kind create cluster failed (exit ${create.exitCode ?? 'none'})`,
        `node logs were exported to ${logs}; fix the cause and rerun`,
      );
    }
    await stampConfig(renderedConfig);
    return { source: 'built', value: undefined };
  });

  await progress.step('pod network', 'ptp/host-local CNI config and routes on every node', async () => {
    await configurePodNetwork();
    return { source: 'done', value: undefined };
  });
  await progress.step('wait for nodes and CoreDNS', 'all nodes Ready, CoreDNS rolled out', async () => {
    const kubectl = (args: string[]): Promise<unknown> => execa(toolchain.kubectl, ['--context', kubeContext, ...args]);
    try {
      await kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s']);
      await kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=180s']);
    } catch (error) {
      throw new PodlawError(
        'cluster',
        'the new cluster did not become Ready within 180 s',
        `inspect it with: ${toolchain.kubectl} --context ${kubeContext} get nodes,pods -A`,
        { cause: error },
      );
    }
    return { source: 'done', value: undefined };
  });
  await progress.step(
    'pod network check',
    "each node's InternalIP is its container's address and every node routes every podCIDR to it",
    async () => {
      const problems = await podNetworkProblems();
      if (problems.length > 0) {
        throw new PodlawError(
          'cluster',
          `the new cluster's pod network is not whole: ${problems.join('; ')}`,
          `inspect it with: ${toolchain.kubectl} --context ${kubeContext} get nodes -o wide; docker exec <node> ip -4 route`,
        );
      }
      return { source: 'done', value: undefined };
    },
  );
  await loadExtraImages(progress, toolchain);
  return { toolchain, created: true };
}

/**
 * The pod network podlaw wrote, read back from every node: a route pointing at an address no node container has
 * (a node that came back on another address) makes cross-node pod traffic fail with "no route to host" while every
 * node reads Ready. Every node of the cluster must be checked: one paused or stopped, one without an address or a
 * podCIDR, or a node container without a Node, is a problem too. Empty when whole.
 */
async function podNetworkProblems(): Promise<string[]> {
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

/**
 * The k6 image for in-cluster load, and with the official node image the fixtures' images:
 * imported into each node's containerd, not part of the node image.
 */
async function loadExtraImages(progress: Progress, toolchain: BuiltToolchain): Promise<void> {
  const images = [toolchain.k6Image, ...toolchain.fixtureImages];
  await progress.step('node images', `import ${images.map((i) => i.ref).join(', ')} into the nodes`, async () => {
    const nodes = (await execa(toolchain.kind, ['get', 'nodes', '--name', clusterName])).stdout.split('\n').filter((n) => n !== '');
    let loaded = 0;
    for (const image of images) loaded += (await loadImageIntoNodes(nodes, image)).length;
    return { source: loaded === 0 ? 'reused' : 'done', value: undefined };
  });
}
