/** crictl, built like cri-tools' Makefile does: no cgo, version stamped into pkg/version. */
import { join } from 'node:path';
import { goInstall, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';

export async function buildCrictl(progress: Progress): Promise<StepResult<{ readonly crictl: string }>> {
  const inputs = { criTools: versions.criTools, go: await goToolchainVersion(), recipe: 1 };
  return cachedStep(
    progress,
    { name: 'crictl', detail: `sigs.k8s.io/cri-tools/cmd/crictl@${versions.criTools}`, inputs },
    async (out) => {
      await goInstall('sigs.k8s.io/cri-tools', versions.criTools, ['sigs.k8s.io/cri-tools/cmd/crictl'], {
        outDir: join(out, 'bin'),
        logFile: buildLog(out),
        cgo: false,
        ldflags: `-X sigs.k8s.io/cri-tools/pkg/version.Version=${versions.criTools.replace(/^v/, '')}`,
      });
    },
    (dir) => ({ crictl: join(dir, 'bin', 'crictl') }),
  );
}
