/**
 * Everything the kind node image and the host need that is not Kubernetes itself
 * nor the node's root fs: container runtime binaries, CNI plugins, the host's kind
 * and k6, and the image archives the node's containerd is seeded with. Built from
 * Go modules and Debian packages only; each piece is its own cached step.
 */
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { buildAgnhostImage } from './agnhost-image.ts';
import { buildBusyboxRoot } from './busybox.ts';
import { buildCniPlugins } from './cni-plugins.ts';
import { buildContainerd } from './containerd.ts';
import { buildControlPlaneImages, requireKubeBinary } from './control-plane-images.ts';
import { buildCoredns, buildCorednsImage } from './coredns.ts';
import { buildCrictl } from './crictl.ts';
import { buildEtcd, buildEtcdImage } from './etcd.ts';
import { buildK6 } from './k6.ts';
import { buildKind } from './kind.ts';
import { buildPause, buildPauseImage } from './pause.ts';
import { buildRunc } from './runc.ts';
import { buildShellImage } from './shell-image.ts';

export interface NodeBinaries {
  readonly containerd: string;
  readonly ctr: string;
  readonly containerdShimRuncV2: string;
  readonly runc: string;
  readonly crictl: string;
  /** Holds host-local, loopback, ptp, portmap (goes to /opt/cni/bin). */
  readonly cniPluginDir: string;
}

export interface HostBinaries {
  readonly kind: string;
  readonly k6: string;
}

export interface Components {
  readonly node: NodeBinaries;
  readonly host: HostBinaries;
  readonly images: readonly ImageArchive[];
}

export interface ComponentInputs {
  /** Directory with kube-apiserver, kube-controller-manager, kube-scheduler (and agnhost unless given). */
  readonly kubeBinDir: string;
  /** The agnhost binary; defaults to <kubeBinDir>/agnhost. */
  readonly agnhost?: string;
}

/**
 * Order: what the node image cannot do without first (runtime, CNI), then images
 * that depend only on pinned sources, host tools, and last the images made from
 * the Kubernetes step's binaries, which are the likeliest to be still missing.
 */
export async function buildComponents(progress: Progress, inputs: ComponentInputs): Promise<Components> {
  const runc = await buildRunc(progress);
  const containerd = await buildContainerd(progress);
  const crictl = await buildCrictl(progress);
  const cni = await buildCniPlugins(progress);

  const pause = await buildPause(progress);
  const pauseImage = await buildPauseImage(progress, pause);
  const busybox = await buildBusyboxRoot(progress);
  const shellImage = await buildShellImage(progress, busybox);
  const etcd = await buildEtcd(progress);
  const etcdImage = await buildEtcdImage(progress, etcd);
  const coredns = await buildCoredns(progress);
  const corednsImage = await buildCorednsImage(progress, coredns);

  const kind = await buildKind(progress);
  const k6 = await buildK6(progress);

  const controlPlaneImages = await buildControlPlaneImages(progress, inputs.kubeBinDir);
  const agnhost = inputs.agnhost ?? requireKubeBinary(inputs.kubeBinDir, 'agnhost');
  const agnhostImage = await buildAgnhostImage(progress, agnhost, busybox);

  return {
    node: {
      containerd: containerd.value.containerd,
      ctr: containerd.value.ctr,
      containerdShimRuncV2: containerd.value.containerdShimRuncV2,
      runc: runc.value.runc,
      crictl: crictl.value.crictl,
      cniPluginDir: cni.value.cniPluginDir,
    },
    host: { kind: kind.value.kind, k6: k6.value.k6 },
    images: [pauseImage, etcdImage, corednsImage, ...controlPlaneImages, agnhostImage, shellImage],
  };
}
