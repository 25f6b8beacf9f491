/** podlaw.local/shell:1 — busybox and nothing else, for fixtures that need a shell, sleep, wget or nc. */
import { join } from 'node:path';
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import type { StepResult } from './cached-step.ts';
import type { BusyboxRoot } from './busybox.ts';
import { imageRefs } from './image-refs.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

export async function buildShellImage(progress: Progress, busybox: StepResult<BusyboxRoot>): Promise<ImageArchive> {
  const image = await cachedImage(progress, {
    name: 'image-shell',
    spec: { ref: imageRefs.shell, cmd: ['sh'] },
    inputs: { busyboxBuild: busybox.key, recipe: 1 },
    layers: async (stage) => [
      { dir: busybox.value.rootDir, createdBy: `podlaw: busybox ${busybox.value.debianVersion} (Debian busybox-static)` },
      { dir: stageLayer(join(stage, 'base'), minimalBaseEntries()), createdBy: 'podlaw: minimal base (passwd, group, tmp)' },
    ],
  });
  return image.value;
}
