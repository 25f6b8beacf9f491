/**
 * CoreDNS for kubeadm's kube-dns Deployment. Upstream's image runs as nonroot with
 * a file capability to bind port 53; this image runs as root instead (no file
 * capabilities in the layer), which the Deployment's securityContext (drop ALL,
 * add NET_BIND_SERVICE) still confines to binding low ports.
 */
import { join } from 'node:path';
import type { ImageArchive } from '../lib/image-archive.ts';
import { goInstall, goToolchainVersion } from '../lib/go-build.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildLog, cachedStep, type StepResult } from './cached-step.ts';
import { imageRefs } from './image-refs.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

const modulePath = 'github.com/coredns/coredns';

export async function buildCoredns(progress: Progress): Promise<StepResult<{ readonly coredns: string }>> {
  const inputs = { coredns: versions.coredns, go: await goToolchainVersion(), recipe: 2 };
  return cachedStep(
    progress,
    { name: 'coredns', detail: `${modulePath}@${versions.coredns}`, inputs },
    async (out) => {
      await goInstall(modulePath, versions.coredns, [modulePath], {
        outDir: join(out, 'bin'),
        logFile: buildLog(out),
        cgo: false,
        // CoreDNS's Makefile flags minus its GitCommit stamp (see go-build.ts).
        ldflags: '-s -w',
      });
    },
    (dir) => ({ coredns: join(dir, 'bin', 'coredns') }),
  );
}

export async function buildCorednsImage(progress: Progress, coredns: StepResult<{ readonly coredns: string }>): Promise<ImageArchive> {
  const image = await cachedImage(progress, {
    name: 'image-coredns',
    spec: { ref: imageRefs.coredns, entrypoint: ['/coredns'], exposedPorts: ['53/tcp', '53/udp'] },
    inputs: { corednsBuild: coredns.key, recipe: 1 },
    layers: async (stage) => [
      { dir: stageLayer(join(stage, 'base'), minimalBaseEntries()), createdBy: 'podlaw: minimal base (passwd, group, tmp)' },
      {
        dir: stageLayer(join(stage, 'coredns'), [{ kind: 'file', path: 'coredns', from: coredns.value.coredns }]),
        createdBy: `podlaw: coredns ${versions.coredns} at /coredns`,
      },
    ],
  });
  return image.value;
}
