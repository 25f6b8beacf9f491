/**
 * Builds (or finds in the cache) the node's runtime binaries, the host's kind and
 * k6, and the image archives; prints where they are and a one-line summary.
 * PODLAW_KUBE_BIN: directory of the Kubernetes binaries (kube-apiserver, ..., agnhost).
 */
import { reportFatal } from '../src/errors.ts';
import { buildComponents, defaultKubeBinDir } from './build/components.ts';
import { Progress } from './lib/progress.ts';

const progress = new Progress();
try {
  const components = await buildComponents(progress, { kubeBinDir: defaultKubeBinDir() });
  for (const [name, path] of Object.entries({ ...components.node, ...components.host })) progress.log(`  ${name}: ${path}`);
  for (const image of components.images) progress.log(`  ${image.ref} ${image.imageId.slice(0, 19)}: ${image.archive}`);
  progress.log(progress.summary('components ready'));
} catch (error) {
  process.exitCode = reportFatal(error);
}
