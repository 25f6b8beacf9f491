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
import { clusterName, hostNodePort, kubeContext } from '../../podlaw-cluster.ts';
import { configurePodNetwork } from '../../net/pod-network.ts';
import { requirePortFree } from './port.ts';
import { withClusterLock } from './lock.ts';
import { podNetworkProblems } from './pod-network-check.ts';
import { renderKindConfig } from './render-config.ts';
import { stampConfig } from './config-stamp.ts';
import { kindClusterExists, readClusterState } from './state.ts';
import { recoverInNodeLeftovers } from './in-node-leftovers.ts';
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
  if (await kindClusterExists(toolchain.kind)) await recoverInNodeLeftovers(progress, toolchain.kubectl);
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
