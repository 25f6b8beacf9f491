/**
 * kube-apiserver, kube-controller-manager and kube-scheduler images from the
 * binaries the Kubernetes step builds: /usr/local/bin/<name> as in upstream's
 * images, found through PATH because kubeadm's static pods run the bare name.
 * The cache key is the binary's content hash, since it comes from another step.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { sha256File, type ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { imageRefs } from './image-refs.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

const controlPlane = [
  { binary: 'kube-apiserver', ref: imageRefs.kubeApiserver },
  { binary: 'kube-controller-manager', ref: imageRefs.kubeControllerManager },
  { binary: 'kube-scheduler', ref: imageRefs.kubeScheduler },
] as const;

export function requireKubeBinary(kubeBinDir: string, name: string): string {
  const path = join(kubeBinDir, name);
  if (!existsSync(path)) {
    throw new PodlawError(
      'build',
      `${path} does not exist`,
      'build the Kubernetes binaries first (the Kubernetes step), or point PODLAW_KUBE_BIN at their directory',
    );
  }
  return path;
}

/**
 * kubeadm compares the control plane's reported version with its own; a binary
 * built without the version ldflags reports v0.0.0-master and the cluster would
 * fail later and far less clearly, so it is refused here.
 */
async function requireStampedVersion(binary: string): Promise<void> {
  const run = await execa(binary, ['--version'], { reject: false });
  const expected = `Kubernetes ${versions.kubernetes}`;
  if (run.failed || run.stdout.trim() !== expected) {
    throw new PodlawError(
      'build',
      `${binary} --version says "${run.stdout.trim()}", not "${expected}"`,
      'use binaries built with the version stamped (-X k8s.io/component-base/version.gitVersion=...), e.g. from the Kubernetes step',
      { detail: run.stderr },
    );
  }
}

export async function buildControlPlaneImages(progress: Progress, kubeBinDir: string): Promise<ImageArchive[]> {
  const images: ImageArchive[] = [];
  for (const component of controlPlane) {
    const binary = requireKubeBinary(kubeBinDir, component.binary);
    await requireStampedVersion(binary);
    const image = await cachedImage(progress, {
      name: `image-${component.binary}`,
      spec: { ref: component.ref },
      inputs: { binary: await sha256File(binary), recipe: 1 },
      layers: async (stage) => [
        { dir: stageLayer(join(stage, 'base'), minimalBaseEntries()), createdBy: 'podlaw: minimal base (passwd, group, tmp)' },
        {
          dir: stageLayer(join(stage, component.binary), [{ kind: 'file', path: `usr/local/bin/${component.binary}`, from: binary }]),
          createdBy: `podlaw: ${component.binary} at /usr/local/bin/${component.binary}`,
        },
      ],
    });
    images.push(image.value);
  }
  return images;
}
