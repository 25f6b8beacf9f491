/**
 * kind's own node-image files (entrypoint, containerd config, systemd units) ship in
 * the kind Go module; they are read from the module cache at build time rather than
 * copied into this repository.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { versions } from '../versions.ts';
import { goEnv } from '../lib/cache.ts';

export async function kindModuleDir(): Promise<string> {
  const { stdout } = await execa('go', ['mod', 'download', '-json', `sigs.k8s.io/kind@${versions.kind}`], { env: goEnv() });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (info.Dir === undefined) throw new Error(`cannot download sigs.k8s.io/kind@${versions.kind}: ${info.Error ?? 'no Dir'}`);
  return info.Dir;
}

export function kindBaseFilesDir(moduleDir: string): string {
  return join(moduleDir, 'images', 'base', 'files');
}
