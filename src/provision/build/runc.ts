/**
 * runc as its Makefile's default `runc` target builds it: cgo (nsenter needs it),
 * seccomp through libseccomp, a PIE binary dynamically linked against the bookworm
 * glibc and libseccomp2 that the node root fs carries (kind's base installs both).
 */
import { join } from 'node:path';
import { ensureDebPackages } from '../lib/apt.ts';
import { buildModuleAsMain, downloadModule, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';

const modulePath = 'github.com/opencontainers/runc';

export async function buildRunc(progress: Progress): Promise<StepResult<{ readonly runc: string }>> {
  const inputs = { runc: versions.runc, go: await goToolchainVersion(), recipe: 2 };
  return cachedStep(
    progress,
    { name: 'runc', detail: `${modulePath}@${versions.runc} (cgo, seccomp)`, inputs },
    async (out) => {
      // libseccomp-dev for the seccomp tag; pkg-config is how libseccomp-golang finds it.
      await ensureDebPackages(['gcc', 'libc6-dev', 'libseccomp-dev', 'pkg-config']);
      const module = await downloadModule(modulePath, versions.runc);
      // main.version comes from the module's embedded VERSION file; the Makefile's only stamp is the commit (see go-build.ts on commits).
      await buildModuleAsMain(module, [
        {
          packages: ['.'],
          outDir: join(out, 'bin'),
          logFile: buildLog(out),
          cgo: true,
          buildmode: 'pie',
          tags: ['seccomp', 'urfave_cli_no_docs'],
        },
      ]);
    },
    (dir) => ({ runc: join(dir, 'bin', 'runc') }),
  );
}
