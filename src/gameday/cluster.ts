/** The cluster a game day runs against: clients, version and timing settings with their sources. */
import type { ClusterContext } from '../cluster/context.ts';
import { readClusterTiming } from '../cluster/cluster-timing.ts';
import { readServerVersion } from '../cluster/version.ts';
import { PodlawError } from '../errors.ts';
import { connect } from '../kube/client.ts';
import type { HarnessSettings } from '../run-settings.ts';

export async function connectGameDay(settings: HarnessSettings): Promise<ClusterContext> {
  const kube = connect(settings.kubeconfigPath, settings.context);
  try {
    const version = await readServerVersion(kube);
    return { settings, kube, version, timing: await readClusterTiming(kube, version) };
  } catch (error) {
    throw new PodlawError(
      'cluster',
      `the API server of context ${settings.context} does not answer`,
      'start the cluster or pass --context',
      {
        cause: error,
      },
    );
  }
}
