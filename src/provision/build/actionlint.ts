/**
 * actionlint, the GitHub Actions workflow linter, built from its Go module and cached like the
 * cluster's tools (~/.cache/podlaw/artifacts/actionlint-<key>/bin/actionlint). Used by the unit
 * test that lints .github/workflows/podlaw.yml; not part of the cluster build.
 */
import { join } from 'node:path';
import { artifactDir, ensureArtifact } from '../lib/cache.ts';
import { goInstall, goToolchainVersion } from '../lib/go-build.ts';

export const actionlintModule = 'github.com/rhysd/actionlint';
/** Newest release on the Go module proxy (go list -m github.com/rhysd/actionlint@latest, 2026-11-23). */
export const actionlintVersion = 'v1.7.12';

/** The actionlint binary, built on first use (about a minute of CPU), then from the cache. */
export async function ensureActionlint(): Promise<string> {
  const artifact = artifactDir('actionlint', { actionlint: actionlintVersion, go: await goToolchainVersion(), recipe: 1 });
  const { dir } = await ensureArtifact(artifact, async (out) => {
    await goInstall(actionlintModule, actionlintVersion, [`${actionlintModule}/cmd/actionlint`], {
      outDir: join(out, 'bin'),
      logFile: join(out, 'build.log'),
      cgo: false,
      ldflags: `-buildid= -s -w -X ${actionlintModule}.version=${actionlintVersion}`,
    });
  });
  return join(dir, 'bin', 'actionlint');
}
