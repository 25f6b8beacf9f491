/**
 * `npm run cluster:up | cluster:down | cluster:status` — the podlaw kind cluster.
 * up builds what is missing, reuses a healthy cluster, recreates a broken one;
 * down removes the cluster and nothing else; status says what exists.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PodlawError, exitCodes } from '../errors.ts';
import { cacheRoot } from '../provision/lib/cache.ts';
import { Progress } from '../provision/lib/progress.ts';
import { clusterName, kubeContext } from '../podlaw-cluster.ts';
import { readClusterState } from '../provision/cluster/state.ts';
import { clusterUp } from '../provision/cluster/up.ts';
import { withClusterLock } from '../provision/cluster/lock.ts';

const usage = 'usage: npm run cluster:up [-- --recreate] | cluster:down | cluster:status';

function installedTool(name: 'kind'): string {
  const path = join(cacheRoot(), 'bin', name);
  return existsSync(path) ? path : name;
}

export async function clusterCommand(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const progress = new Progress();
  switch (command) {
    case 'up': {
      const unknown = rest.filter((a) => a !== '--recreate');
      if (unknown.length > 0) throw new PodlawError('usage', `unknown option ${unknown.join(' ')}`, usage);
      const result = await clusterUp(progress, { recreate: rest.includes('--recreate') });
      progress.log(progress.summary(result.created ? `cluster ${clusterName} created` : `cluster ${clusterName} ready (reused)`));
      progress.log(`kube context: ${kubeContext}; tools: ${result.toolchain.binDir}`);
      return 0;
    }
    case 'down': {
      if (rest.length > 0) throw new PodlawError('usage', `unexpected argument ${rest.join(' ')}`, usage);
      const kind = installedTool('kind');
      await withClusterLock(progress, 'cluster down', () =>
        progress.step('delete cluster', `kind delete cluster --name ${clusterName}`, async () => {
          await execa(kind, ['delete', 'cluster', '--name', clusterName], { stdout: 'inherit', stderr: 'inherit' });
          return { source: 'done', value: undefined };
        }),
      );
      progress.log(progress.summary('cluster down'));
      return 0;
    }
    case 'status': {
      const state = await readClusterState(installedTool('kind'), undefined);
      if (!state.exists) {
        console.log(`cluster ${clusterName}: absent`);
        return exitCodes.cluster;
      }
      for (const c of state.containers)
        console.log(`container ${c.name}: ${!c.exists ? 'missing' : c.paused ? 'paused' : c.running ? 'running' : 'stopped'} (${c.image})`);
      for (const n of state.nodes ?? []) console.log(`node ${n.name}: Ready=${n.ready}`);
      console.log(
        state.problems.length === 0
          ? `cluster ${clusterName}: healthy`
          : `cluster ${clusterName}: unhealthy — ${state.problems.join('; ')}`,
      );
      return state.problems.length > 0 ? exitCodes.cluster : 0;
    }
    default:
      throw new PodlawError('usage', command === undefined ? 'no command given' : `unknown command ${command}`, usage);
  }
}
