/**
 * containerd v2 for the kind node: containerd and ctr with cgo (dynamic against
 * the glibc of the bookworm node root fs), the runc shim static without cgo — the
 * targets and flags of containerd's Makefile, with the build tags kind's base image
 * uses (no optional snapshotters: kind never selects them).
 */
import { join } from 'node:path';
import { ensureDebPackages } from '../lib/apt.ts';
import { buildModuleAsMain, downloadModule, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';

const modulePath = 'github.com/containerd/containerd/v2';
const kindBuildTags = ['no_aufs', 'no_zfs', 'no_btrfs', 'no_devmapper'];
/** containerd's Makefile adds this to every binary (no man-page generation code). */
const makefileTags = ['urfave_cli_no_docs'];

export interface ContainerdBinaries {
  readonly containerd: string;
  readonly ctr: string;
  readonly containerdShimRuncV2: string;
}

export async function buildContainerd(progress: Progress): Promise<StepResult<ContainerdBinaries>> {
  const inputs = { containerd: versions.containerd, go: await goToolchainVersion(), recipe: 2 };
  return cachedStep(
    progress,
    { name: 'containerd', detail: `${modulePath}@${versions.containerd}: containerd, ctr (cgo), containerd-shim-runc-v2 (static)`, inputs },
    async (out) => {
      await ensureDebPackages(['gcc', 'libc6-dev']);
      const module = await downloadModule(modulePath, versions.containerd);
      // The Makefile's Version and Package stamps; its Revision (the commit) is left out, see go-build.ts.
      const stamp = `-X ${modulePath}/version.Version=${versions.containerd} -X ${modulePath}/version.Package=${modulePath}`;
      const outDir = join(out, 'bin');
      const logFile = buildLog(out);
      await buildModuleAsMain(module, [
        {
          packages: ['./cmd/containerd', './cmd/ctr'],
          outDir,
          logFile,
          cgo: true,
          tags: [...kindBuildTags, ...makefileTags],
          ldflags: `${stamp} -s -w`,
        },
        {
          packages: ['./cmd/containerd-shim-runc-v2'],
          outDir,
          logFile,
          cgo: false,
          tags: [...kindBuildTags, ...makefileTags, 'no_grpc'],
          ldflags: `${stamp} -extldflags "-static" -s -w`,
        },
      ]);
    },
    (dir) => ({
      containerd: join(dir, 'bin', 'containerd'),
      ctr: join(dir, 'bin', 'ctr'),
      containerdShimRuncV2: join(dir, 'bin', 'containerd-shim-runc-v2'),
    }),
  );
}
