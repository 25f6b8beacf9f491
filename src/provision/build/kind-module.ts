/**
 * kind's own node-image files (entrypoint, containerd config, systemd units) ship in
 * the kind Go module; they are read from the module cache at build time rather than
 * copied into this repository.
 */
import { join } from 'node:path';
import { versions } from '../versions.ts';
import { downloadModule } from '../lib/go-build.ts';

export async function kindModuleDir(): Promise<string> {
  return (await downloadModule('sigs.k8s.io/kind', versions.kind)).dir;
}

export function kindBaseFilesDir(moduleDir: string): string {
  return join(moduleDir, 'images', 'base', 'files');
}
