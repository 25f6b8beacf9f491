/**
 * The busybox image the upstream e2e tests name (test/utils/image/manifest.go of the
 * pinned release: registry.k8s.io/e2e-test-images/busybox:1.37.0-1), built offline from
 * the same Debian busybox-static root as podlaw's shell image. Only the upstream speed
 * bench imports it into the nodes; the node image does not carry it.
 */
import { join } from 'node:path';
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { buildBusyboxRoot } from './busybox.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

export const upstreamBusyboxRef = 'registry.k8s.io/e2e-test-images/busybox:1.37.0-1';

export async function buildE2eBusyboxImage(progress: Progress): Promise<ImageArchive> {
  const busybox = await buildBusyboxRoot(progress);
  const image = await cachedImage(progress, {
    name: 'image-e2e-busybox',
    spec: { ref: upstreamBusyboxRef, cmd: ['sh'] },
    inputs: { busyboxBuild: busybox.key, recipe: 1 },
    layers: async (stage) => [
      { dir: busybox.value.rootDir, createdBy: `podlaw: busybox ${busybox.value.debianVersion} (Debian busybox-static)` },
      { dir: stageLayer(join(stage, 'base'), minimalBaseEntries()), createdBy: 'podlaw: minimal base (passwd, group, tmp)' },
    ],
  });
  return image.value;
}
