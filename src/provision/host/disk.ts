/** Free-space check before a cold build, so it fails in seconds rather than after half an hour. */
import { statfsSync, mkdirSync } from 'node:fs';
import { PodlawError } from '../../errors.ts';

export function freeBytes(path: string): number {
  mkdirSync(path, { recursive: true });
  const stats = statfsSync(path);
  return stats.bavail * stats.bsize;
}

export function requireFreeSpace(path: string, requiredGiB: number, purpose: string): void {
  const freeGiB = freeBytes(path) / 2 ** 30;
  if (freeGiB < requiredGiB) {
    throw new PodlawError(
      'diskSpace',
      `only ${freeGiB.toFixed(1)} GiB free at ${path}, ${purpose} needs about ${requiredGiB} GiB`,
      `free space there, or point PODLAW_CACHE at a larger disk`,
    );
  }
}
