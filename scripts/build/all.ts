/**
 * Everything `cluster up` needs, in dependency order: Kubernetes binaries, runtime
 * and component images, the node root fs, kube-proxy's image, the node image. Each
 * step is cached by its pinned versions; a warm run only checks stamps.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../lib/cache.ts';
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { buildComponents } from './components.ts';
import { buildDebianRootfs } from './debian-rootfs.ts';
import { buildK6Image } from './k6-image.ts';
import { buildKubeProxyImage } from './kube-proxy-image.ts';
import { buildKubernetes } from './kubernetes.ts';
import { buildNodeImage } from './node-image.ts';
import { imageRefs } from './image-refs.ts';

export interface BuiltToolchain {
  readonly nodeImage: string;
  readonly kind: string;
  readonly kubectl: string;
  readonly k6: string;
  /** k6 for the in-cluster load placement; loaded into running nodes by `cluster up`, not baked into the node image. */
  readonly k6Image: ImageArchive;
  /** Holds kind, kubectl and k6 (symlinks), for PATH. */
  readonly binDir: string;
}

export async function buildAll(progress: Progress): Promise<BuiltToolchain> {
  const kube = await buildKubernetes(progress);
  const components = await buildComponents(progress, { kubeBinDir: kube.binDir, agnhost: kube.path('agnhost') });
  const rootfs = await buildDebianRootfs(progress);
  const kubeProxyImage = await buildKubeProxyImage(progress, rootfs, kube.path('kube-proxy'));
  const node = components.node;
  const nodeImage = await buildNodeImage(progress, {
    rootfs,
    files: [
      { from: node.containerd, to: '/usr/local/bin/containerd' },
      { from: node.ctr, to: '/usr/local/bin/ctr' },
      { from: node.containerdShimRuncV2, to: '/usr/local/bin/containerd-shim-runc-v2' },
      { from: node.runc, to: '/usr/local/sbin/runc' },
      { from: node.crictl, to: '/usr/local/bin/crictl' },
      { from: `${node.cniPluginDir}/.`, to: '/opt/cni/bin' },
      { from: kube.path('kubeadm'), to: '/usr/bin/kubeadm' },
      { from: kube.path('kubelet'), to: '/usr/bin/kubelet' },
      { from: kube.path('kubectl'), to: '/usr/bin/kubectl' },
    ],
    images: [...components.images, kubeProxyImage],
    sandboxImage: imageRefs.pause,
  });
  const k6Image = await buildK6Image(progress, components.host.k6);
  const binDir = join(cacheRoot(), 'bin');
  mkdirSync(binDir, { recursive: true });
  const link = (target: string, name: string): string => {
    const path = join(binDir, name);
    rmSync(path, { force: true });
    symlinkSync(target, path);
    return path;
  };
  return {
    nodeImage,
    kind: link(components.host.kind, 'kind'),
    kubectl: link(kube.path('kubectl'), 'kubectl'),
    k6: link(components.host.k6, 'k6'),
    k6Image,
    binDir,
  };
}

