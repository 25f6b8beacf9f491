/**
 * etcd for kubeadm's static pod: the server's main package (go.etcd.io/etcd/server/v3,
 * main.go at the module root) built in a wrapper module, because the server's go.mod
 * replaces its sibling modules with ../ paths that only exist in etcd's repository.
 * Built without cgo, as etcd's build script does; the image runs `etcd` through PATH.
 */
import { join } from 'node:path';
import type { ImageArchive } from '../lib/image-archive.ts';
import { buildInWrapperModule, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';
import { imageRefs } from './image-refs.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

const serverModule = 'go.etcd.io/etcd/server/v3';

export async function buildEtcd(progress: Progress): Promise<StepResult<{ readonly etcd: string }>> {
  const inputs = { etcd: versions.etcd, go: await goToolchainVersion(), recipe: 2 };
  return cachedStep(
    progress,
    { name: 'etcd', detail: `${serverModule}@${versions.etcd}`, inputs },
    async (out) => {
      await buildInWrapperModule(
        { name: 'podlaw.local/build/etcd', require: [{ path: serverModule, version: versions.etcd }] },
        { package: serverModule, binaryName: 'etcd' },
        {
          outDir: join(out, 'bin'),
          logFile: buildLog(out),
          cgo: false,
          // etcd's version is a constant in go.etcd.io/etcd/api/v3/version; its build script's only stamp is the commit (see go-build.ts).
          ldflags: '-s -w',
        },
      );
    },
    (dir) => ({ etcd: join(dir, 'bin', 'etcd') }),
  );
}

export async function buildEtcdImage(progress: Progress, etcd: StepResult<{ readonly etcd: string }>): Promise<ImageArchive> {
  const image = await cachedImage(progress, {
    name: 'image-etcd',
    spec: { ref: imageRefs.etcd, exposedPorts: ['2379/tcp', '2380/tcp'] },
    inputs: { etcdBuild: etcd.key, recipe: 1 },
    layers: async (stage) => [
      { dir: stageLayer(join(stage, 'base'), minimalBaseEntries()), createdBy: 'podlaw: minimal base (passwd, group, tmp)' },
      {
        dir: stageLayer(join(stage, 'etcd'), [
          { kind: 'file', path: 'usr/local/bin/etcd', from: etcd.value.etcd },
          // kubeadm mounts the data dir here; having it in the image keeps `docker run` of the image usable too.
          { kind: 'dir', path: 'var/lib/etcd', mode: 0o700 },
        ]),
        createdBy: `podlaw: etcd ${versions.etcd} at /usr/local/bin/etcd`,
      },
    ],
  });
  return image.value;
}
