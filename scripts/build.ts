/**
 * `npm run build`: builds (or finds in the cache) everything the cluster needs —
 * Kubernetes, the runtime, the images, the node image — without creating a cluster.
 * `cluster:up` runs the same steps first; this is for warming a cache ahead of time.
 */
import { reportFatal } from '../src/errors.ts';
import { buildAll } from './build/all.ts';
import { prepareHost } from './host.ts';
import { Progress } from './lib/progress.ts';

const progress = new Progress();
try {
  await prepareHost(progress);
  const built = await buildAll(progress);
  progress.log(`node image ${built.nodeImage}; tools in ${built.binDir}`);
  progress.log(progress.summary('build complete'));
} catch (error) {
  process.exitCode = reportFatal(error);
}
