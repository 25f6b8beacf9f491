/** k6, the load generator, for the host (it has no real npm package). */
import { join } from 'node:path';
import { goInstall, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';

export async function buildK6(progress: Progress): Promise<StepResult<{ readonly k6: string }>> {
  const inputs = { k6: versions.k6, go: await goToolchainVersion(), recipe: 1 };
  return cachedStep(
    progress,
    { name: 'k6', detail: `go.k6.io/k6@${versions.k6}`, inputs },
    async (out) => {
      await goInstall('go.k6.io/k6', versions.k6, ['go.k6.io/k6'], { outDir: join(out, 'bin'), logFile: buildLog(out), cgo: false });
    },
    (dir) => ({ k6: join(dir, 'bin', 'k6') }),
  );
}
