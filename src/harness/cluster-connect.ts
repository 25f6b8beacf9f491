/**
 * A worker's connection to the cluster under test: API clients, the server's version, and the timing settings the run's
 * globalSetup read at its start (src/cluster/run-start-timing.ts says why not here).
 */
import { PodlawError } from '../errors.ts';
import type { HarnessSettings } from '../run-settings.ts';
import { connectAs } from '../kube/client.ts';
import type { KubeClients } from '../kube/client.ts';
import { readServerVersion } from '../cluster/version.ts';
import type { ServerVersion } from '../cluster/version.ts';
import { readClusterTiming } from '../cluster/cluster-timing.ts';
import type { ClusterContext } from '../cluster/context.ts';
import { readRunStartTiming, runStartTimingEnv } from '../cluster/run-start-timing.ts';

async function answeringVersion(kube: KubeClients, settings: HarnessSettings): Promise<ServerVersion> {
  try {
    return await readServerVersion(kube);
  } catch (error) {
    throw new PodlawError(
      'cluster',
      `the API server of context ${settings.context} does not answer`,
      'start the cluster (npm run cluster:up) or point PODLAW_KUBECONFIG / PODLAW_CONTEXT at a running one',
      { cause: error },
    );
  }
}

/**
 * `run start`: the timing globalSetup handed over for this context, read here when there is none (a runner without that
 * globalSetup). `now`: read from the cluster, whatever the environment carries (globalSetup itself).
 */
export async function connectToCluster(settings: HarnessSettings, timingAt: 'run start' | 'now'): Promise<ClusterContext> {
  const kube = connectAs(settings);
  const version = await answeringVersion(kube, settings);
  const handedOver = timingAt === 'run start' ? readRunStartTiming(process.env[runStartTimingEnv], settings.context) : undefined;
  return { settings, kube, version, timing: handedOver ?? (await readClusterTiming(kube, version)) };
}
