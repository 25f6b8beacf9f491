/**
 * Everything `cluster up` needs, in dependency order: Kubernetes binaries, runtime
 * and component images, the node root fs, kube-proxy's image, the node image. Each
 * step is cached by its pinned versions; a warm run only checks stamps. Given the
 * official kindest/node image (src/provision/cluster/node-image-choice.ts), the node
 * root fs, kube-proxy image and node image are not built; the host tools (kind, kubectl,
 * k6) and the images podlaw's fixtures use are, as the official image has no copy of them.
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
  /** Images the fixtures use that the node image lacks (only with the official node image): loaded like k6Image. */
  readonly fixtureImages: readonly ImageArchive[];
  /** Holds kind, kubectl and k6 (symlinks), for PATH. */
  readonly binDir: string;
}

export interface BuildOptions {
  /** Create the cluster from this official node image instead of building one. */
  readonly officialNodeImage?: string;
}

export async function buildAll(progress: Progress, options: BuildOptions = {}): Promise<BuiltToolchain> {
  const kube = await buildKubernetes(progress);
  const components = await buildComponents(progress, { kubeBinDir: kube.binDir, agnhost: kube.path('agnhost') });
  const official = options.officialNodeImage;
  const nodeImage = official ?? (await buildOfflineNodeImage(progress, kube, components));
  const fixtureRefs: readonly string[] = [imageRefs.agnhost, imageRefs.shell];
  const fixtureImages = official === undefined ? [] : components.images.filter((image) => fixtureRefs.includes(image.ref));
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
    fixtureImages,
    binDir,
  };
}

/** The offline node image: Debian root fs, kube-proxy's image, the node image assembled from them (recipe and cache key unchanged). */
async function buildOfflineNodeImage(
  progress: Progress,
  kube: Awaited<ReturnType<typeof buildKubernetes>>,
  components: Awaited<ReturnType<typeof buildComponents>>,
): Promise<string> {
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
  return nodeImage;
}
