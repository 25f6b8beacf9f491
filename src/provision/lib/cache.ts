/**
 * The build cache: one directory per artifact, named by the artifact and a hash of
 * every input that decides its content. A directory counts only once its stamp is
 * written, so a build interrupted half-way is redone rather than trusted.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const stampName = '.podlaw-complete.json';

export function cacheRoot(): string {
  const fromEnv = process.env['PODLAW_CACHE'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.cache', 'podlaw');
}

/** A stable short hash of the inputs (key order does not matter). */
export function cacheKey(inputs: Readonly<Record<string, string | number | boolean>>): string {
  const canonical = JSON.stringify(
    Object.keys(inputs)
      .sort()
      .map((k) => [k, inputs[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

export interface CachedArtifact {
  readonly name: string;
  readonly key: string;
  readonly dir: string;
}

export function artifactDir(name: string, inputs: Readonly<Record<string, string | number | boolean>>): CachedArtifact {
  const key = cacheKey(inputs);
  return { name, key, dir: join(cacheRoot(), 'artifacts', `${name}-${key}`) };
}

export function isComplete(artifact: CachedArtifact): boolean {
  return existsSync(join(artifact.dir, stampName));
}

/**
 * Builds the artifact unless a complete copy is cached. `build` writes into a
 * scratch directory that replaces the artifact directory only when it succeeds.
 */
export async function ensureArtifact(
  artifact: CachedArtifact,
  build: (outDir: string) => Promise<void>,
): Promise<{ source: 'cache' | 'built'; dir: string }> {
  if (isComplete(artifact)) return { source: 'cache', dir: artifact.dir };
  const scratch = `${artifact.dir}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const started = Date.now();
  await build(scratch);
  const stamp: ArtifactStamp = {
    name: artifact.name,
    key: artifact.key,
    builtAt: new Date().toISOString(),
    buildSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(join(scratch, stampName), JSON.stringify(stamp));
  rmSync(artifact.dir, { recursive: true, force: true });
  renameSync(scratch, artifact.dir);
  return { source: 'built', dir: artifact.dir };
}

/** Written when an artifact is complete; buildSeconds is what the cold build of that step took. */
export interface ArtifactStamp {
  readonly name: string;
  readonly key: string;
  readonly builtAt: string;
  readonly buildSeconds?: number;
}

export function readStampIn(dir: string): ArtifactStamp | undefined {
  const path = join(dir, stampName);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ArtifactStamp) : undefined;
}

/**
 * Environment for every Go build. Go's own build and module caches (under $HOME by
 * default) already key compiled packages by their inputs, so they are shared by all
 * steps and survive between runs on the same machine; only the toolchain is pinned.
 */
export function goEnv(): Record<string, string> {
  return {
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
  };
}
