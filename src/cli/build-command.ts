/**
 * `npm run build`: builds (or finds in the cache) everything the cluster needs —
 * Kubernetes, the runtime, the images, the node image — without creating a cluster.
 * `cluster:up` runs the same steps first; this is for warming a cache ahead of time.
 */
import { buildAll } from '../provision/build/all.ts';
import { prepareHost } from '../provision/host/prepare.ts';
import { Progress } from '../provision/lib/progress.ts';

export async function buildCommand(): Promise<void> {
  const progress = new Progress();
  await prepareHost(progress);
  const built = await buildAll(progress);
  progress.log(`node image ${built.nodeImage}; tools in ${built.binDir}`);
  progress.log(progress.summary('build complete'));
}

/** `npm run host:prepare`: makes this machine able to run a kind cluster. */
export async function hostCommand(): Promise<void> {
  const progress = new Progress();
  await prepareHost(progress);
  progress.log(progress.summary('host ready'));
}
