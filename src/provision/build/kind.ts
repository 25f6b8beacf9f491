/** The kind CLI for the host (its version is a constant in the source; the Makefile only adds commit stamps). */
import { join } from 'node:path';
import { goInstall, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';

export async function buildKind(progress: Progress): Promise<StepResult<{ readonly kind: string }>> {
  const inputs = { kind: versions.kind, go: await goToolchainVersion(), recipe: 2 };
  return cachedStep(
    progress,
    { name: 'kind', detail: `sigs.k8s.io/kind@${versions.kind}`, inputs },
    async (out) => {
      await goInstall('sigs.k8s.io/kind', versions.kind, ['sigs.k8s.io/kind'], {
        outDir: join(out, 'bin'),
        logFile: buildLog(out),
        cgo: false,
        // kind's Makefile flags for reproducible builds, without its commit stamps (see go-build.ts).
        ldflags: '-buildid= -s -w',
      });
    },
    (dir) => ({ kind: join(dir, 'bin', 'kind') }),
  );
}
