/**
 * A cached image archive: a step whose artifact is one docker-archive tarball
 * (image.tar) plus a small record of its name and ID.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeImageArchive, type ImageArchive, type ImageSpec, type LayerSource } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { cachedStep, type CacheInputs, type StepResult } from './cached-step.ts';

export async function cachedImage(
  progress: Progress,
  image: {
    /** Step and artifact name, e.g. "image-etcd". */
    readonly name: string;
    readonly spec: ImageSpec;
    /** What the layers are made of (pins, upstream artifact keys, content hashes); the spec is added here. */
    readonly inputs: CacheInputs;
    /** Lays out the layer directories under stageRoot (scratch, removed afterwards), bottom-up. */
    readonly layers: (stageRoot: string) => Promise<readonly LayerSource[]>;
  },
): Promise<StepResult<ImageArchive>> {
  return cachedStep(
    progress,
    { name: image.name, detail: image.spec.ref, inputs: { ...image.inputs, spec: JSON.stringify(image.spec) } },
    async (out) => {
      const stageRoot = join(out, 'stage');
      const layers = await image.layers(stageRoot);
      const written = await writeImageArchive({ ...image.spec, layers, archive: join(out, 'image.tar') });
      rmSync(stageRoot, { recursive: true, force: true });
      writeFileSync(join(out, 'image.json'), JSON.stringify({ ref: written.ref, imageId: written.imageId }));
    },
    (dir) => {
      const record = JSON.parse(readFileSync(join(dir, 'image.json'), 'utf8')) as { ref: string; imageId: string };
      return { ref: record.ref, imageId: record.imageId, archive: join(dir, 'image.tar') };
    },
  );
}
