/**
 * One build step = one cache artifact shown as one progress step: the shape every
 * recipe in this directory shares.
 */
import { join } from 'node:path';
import { artifactDir, ensureArtifact } from '../lib/cache.ts';
import type { Progress } from '../lib/progress.ts';

export type CacheInputs = Readonly<Record<string, string | number | boolean>>;

export interface StepResult<T> {
  readonly value: T;
  /** The artifact's cache key; steps built on top of this one put it in their own inputs. */
  readonly key: string;
}

/** Build output of every step goes here, inside the artifact directory. */
export function buildLog(outDir: string): string {
  return join(outDir, 'build.log');
}

export async function cachedStep<T>(
  progress: Progress,
  step: { readonly name: string; readonly detail: string; readonly inputs: CacheInputs },
  build: (outDir: string) => Promise<void>,
  result: (dir: string) => T,
): Promise<StepResult<T>> {
  const artifact = artifactDir(step.name, step.inputs);
  const value = await progress.step(step.name, step.detail, async () => {
    const { source, dir } = await ensureArtifact(artifact, build);
    return { source, value: result(dir) };
  });
  return { value, key: artifact.key };
}
