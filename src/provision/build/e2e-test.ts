/**
 * The upstream e2e test binary (`e2e.test`) of the pinned k8s.io/kubernetes, for the
 * side-by-side speed bench (`npm run bench -- upstream`). Built like the Kubernetes
 * binaries: a generated wrapper module requires k8s.io/kubernetes and replaces its
 * staging modules with their published versions; `go test -c` compiles the e2e suite.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { versions } from '../versions.ts';
import { runBuildStep } from '../lib/logged-run.ts';
import type { Progress } from '../lib/progress.ts';
import { cachedStep } from './cached-step.ts';
import { versionLdflags, wrapperModule } from './kubernetes.ts';

const e2ePackage = 'k8s.io/kubernetes/test/e2e';
const recipe = 1;

/** The path of the compiled e2e.test binary. */
export async function buildE2eTest(progress: Progress): Promise<string> {
  const step = {
    name: 'e2e-test',
    detail: `${versions.kubernetes}: go test -c ${e2ePackage} (cold: about 5 min on 2 cores)`,
    inputs: { kubernetes: versions.kubernetes, staging: versions.kubernetesStaging, recipe },
  };
  const built = await cachedStep(
    progress,
    step,
    async (out) => {
      // The e2e package's own imports, so that `go mod tidy -e` records every module its tests need.
      const { work, env, logFile } = await wrapperModule(out, 'e2e', [e2ePackage], ['mod', 'tidy', '-e']);
      mkdirSync(join(out, 'bin'), { recursive: true });
      await runBuildStep(
        `go test -c ${e2ePackage}`,
        'go',
        ['test', '-c', '-trimpath', '-ldflags', versionLdflags(versions.kubernetes), '-o', join(out, 'bin', 'e2e.test'), e2ePackage],
        { cwd: work, env: { ...env, CGO_ENABLED: '0' }, logFile },
      );
    },
    (dir) => join(dir, 'bin', 'e2e.test'),
  );
  return built.value;
}
