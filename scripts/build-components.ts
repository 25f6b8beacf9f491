/**
 * Builds (or finds in the cache) the node's runtime binaries, the host's kind and
 * k6, and the image archives; prints where they are and a one-line summary.
 * PODLAW_KUBE_BIN: a directory of version-stamped Kubernetes binaries
 * (kube-apiserver, kube-controller-manager, kube-scheduler, agnhost) to use instead
 * of the Kubernetes build step's.
 */
import { reportFatal } from '../src/errors.ts';
import { buildComponents } from './build/components.ts';
import { buildKubernetes } from './build/kubernetes.ts';
import { Progress } from './lib/progress.ts';

const progress = new Progress();
try {
  const fromEnv = process.env['PODLAW_KUBE_BIN'];
  const kubeBinDir = fromEnv !== undefined && fromEnv !== '' ? fromEnv : (await buildKubernetes(progress)).binDir;
  const components = await buildComponents(progress, { kubeBinDir });
  for (const [name, path] of Object.entries({ ...components.node, ...components.host })) progress.log(`  ${name}: ${path}`);
  for (const image of components.images) progress.log(`  ${image.ref} ${image.imageId.slice(0, 19)}: ${image.archive}`);
  progress.log(progress.summary('components ready'));
} catch (error) {
  process.exitCode = reportFatal(error);
}
