/**
 * The four CNI plugins kind's node image carries (kindnet's config uses ptp,
 * host-local, portmap; loopback for every pod). No cgo, as in kind's base image;
 * the module zip has no vendor/ directory, so dependencies come from the proxy.
 */
import { join } from 'node:path';
import { goInstall, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';

const modulePath = 'github.com/containernetworking/plugins';
export const cniPluginNames = ['host-local', 'loopback', 'ptp', 'portmap'] as const;
const packages = [
  `${modulePath}/plugins/ipam/host-local`,
  `${modulePath}/plugins/main/loopback`,
  `${modulePath}/plugins/main/ptp`,
  `${modulePath}/plugins/meta/portmap`,
];

export async function buildCniPlugins(progress: Progress): Promise<StepResult<{ readonly cniPluginDir: string }>> {
  const inputs = { cniPlugins: versions.cniPlugins, go: await goToolchainVersion(), recipe: 1 };
  return cachedStep(
    progress,
    { name: 'cni-plugins', detail: `${modulePath}@${versions.cniPlugins}: ${cniPluginNames.join(', ')}`, inputs },
    async (out) => {
      await goInstall(modulePath, versions.cniPlugins, packages, {
        outDir: join(out, 'bin'),
        logFile: buildLog(out),
        cgo: false,
        // The stamp the project's release script sets, so `<plugin> --version`-style output names the version.
        ldflags: `-X ${modulePath}/pkg/utils/buildversion.BuildVersion=${versions.cniPlugins}`,
      });
    },
    (dir) => ({ cniPluginDir: join(dir, 'bin') }),
  );
}
