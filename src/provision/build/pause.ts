/**
 * The pause image (every pod's sandbox): pause.c from the kubernetes module,
 * compiled static with the flags of build/pause/Makefile, run as 65535:65535 like
 * upstream's image.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebPackages } from '../lib/apt.ts';
import { downloadModule } from '../lib/go-build.ts';
import type { ImageArchive } from '../lib/image-archive.ts';
import { runBuildStep } from '../lib/logged-run.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';
import { imageRefs } from './image-refs.ts';
import { cachedImage } from './image-step.ts';
import { stageLayer } from './layer-stage.ts';

export async function buildPause(progress: Progress): Promise<StepResult<{ readonly pause: string }>> {
  const inputs = { kubernetes: versions.kubernetes, pause: versions.pause, debianSuite: versions.debianSuite, recipe: 1 };
  return cachedStep(
    progress,
    { name: 'pause', detail: `build/pause/linux/pause.c of k8s.io/kubernetes@${versions.kubernetes}, gcc -static`, inputs },
    async (out) => {
      await ensureDebPackages(['gcc', 'libc6-dev']);
      const kubernetes = await downloadModule('k8s.io/kubernetes', versions.kubernetes);
      mkdirSync(join(out, 'bin'));
      // Upstream's VERSION is v<tag>-<git describe of the kubernetes repo>; the module version stands in for the describe.
      await runBuildStep(
        'gcc pause.c',
        'gcc',
        [
          '-Os',
          '-Wall',
          '-Werror',
          '-static',
          `-DVERSION=v${versions.pause}-${versions.kubernetes}`,
          '-o',
          join(out, 'bin', 'pause'),
          join(kubernetes.dir, 'build', 'pause', 'linux', 'pause.c'),
        ],
        { logFile: buildLog(out) },
      );
    },
    (dir) => ({ pause: join(dir, 'bin', 'pause') }),
  );
}

export async function buildPauseImage(progress: Progress, pause: StepResult<{ readonly pause: string }>): Promise<ImageArchive> {
  const image = await cachedImage(progress, {
    name: 'image-pause',
    spec: { ref: imageRefs.pause, entrypoint: ['/pause'], user: '65535:65535' },
    inputs: { pauseBuild: pause.key, recipe: 1 },
    layers: async (stage) => [
      {
        dir: stageLayer(join(stage, 'pause'), [{ kind: 'file', path: 'pause', from: pause.value.pause }]),
        createdBy: `podlaw: pause ${versions.pause} at /pause`,
      },
    ],
  });
  return image.value;
}
