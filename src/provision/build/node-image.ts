/**
 * Assembles the kind node image the way kind's node-image builder does
 * (pkg/build/nodeimage/buildcontext.go), but from local artifacts only — kind's own
 * builder fetches every image from a registry, and this machine has none:
 * import the Debian root fs as a base image, start a build container from it, copy
 * the runtime and Kubernetes binaries in, write /kind/version, import every image
 * into containerd's k8s.io namespace pinned, and commit with kind's entrypoint.
 */
import { createHash } from 'node:crypto';
import { versions } from '../versions.ts';
import { PodlawError } from '../../errors.ts';
import {
  commitContainer,
  containerIdsNamed,
  containerState,
  copyIntoContainer,
  dockerExec,
  dockerExecStatus,
  imageExists,
  importRootfs,
  removeContainer,
  runDetached,
} from '../../docker.ts';
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { waitUntil } from '../host/wait-until.ts';

export interface NodeFile {
  /** Path on the host (a file, or a directory copied as a whole). */
  readonly from: string;
  /** Absolute path inside the node. */
  readonly to: string;
}

export interface NodeImageInputs {
  readonly rootfs: string;
  readonly files: readonly NodeFile[];
  readonly images: readonly ImageArchive[];
  /** The sandbox image containerd must use; kubeadm lists it as pause:<version>. */
  readonly sandboxImage: string;
}

const recipe = 3;

/**
 * kind applies /kind/manifests/default-cni.yaml unless a config disables the default
 * CNI, and fails when the file is absent. podlaw's own config disables it and sets the
 * pod network up from the host (src/provision/cluster/pod-network.ts); this placeholder only
 * keeps a plain `kind create cluster --image <this image>` working, as a baseline.
 */
export const placeholderCniManifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: podlaw-pod-network
  namespace: kube-system
data:
  note: "Pod networking is configured from the host by podlaw (npm run cluster:up)."
`;

export function nodeImageTag(inputs: NodeImageInputs): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ recipe, kubernetes: versions.kubernetes, kind: versions.kind, ...inputs }))
    .digest('hex')
    .slice(0, 12);
  return `podlaw.local/node:${versions.kubernetes}-${hash}`;
}

export function baseImageTag(rootfs: string): string {
  return `podlaw.local/node-base:${createHash('sha256').update(rootfs).digest('hex').slice(0, 12)}`;
}

/** Rewrites the sandbox image of kind's containerd config (both config schema spellings). */
export function withSandboxImage(containerdConfig: string, sandboxImage: string): string {
  const replaced = containerdConfig
    .replace(/^(\s*sandbox_image\s*=\s*)"[^"]*"/m, `$1"${sandboxImage}"`)
    .replace(/^(\s*sandbox\s*=\s*)"[^"]*"/m, `$1"${sandboxImage}"`);
  if (replaced === containerdConfig && !containerdConfig.includes(sandboxImage)) {
    throw new Error('kind containerd config has no sandbox image setting to rewrite');
  }
  return replaced;
}

// Docker 20.10 (Debian's) rejects STOPSIGNAL in --change; kind removes nodes with
// `docker rm -f`, so systemd's preferred stop signal is never needed.
async function importBaseImage(rootfs: string, tag: string): Promise<void> {
  if (await imageExists(tag)) return;
  await importRootfs(rootfs, tag, ['ENV container=docker', 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]']);
}

export async function buildNodeImage(progress: Progress, inputs: NodeImageInputs): Promise<string> {
  const tag = nodeImageTag(inputs);
  return progress.step('node image', `${tag} (${inputs.images.length} images imported into containerd)`, async () => {
    if (await imageExists(tag)) return { source: 'cache', value: tag };
    const base = baseImageTag(inputs.rootfs);
    await importBaseImage(inputs.rootfs, base);
    const container = `podlaw-node-build-${process.pid}-${Date.now()}`;
    await runDetached(container, base, 'sleep', ['infinity'], ['--security-opt', 'seccomp=unconfined']);
    try {
      for (const file of inputs.files) {
        await dockerExec(container, ['mkdir', '-p', file.to.replace(/\/[^/]*$/, '') || '/']);
        await copyIntoContainer(file.from, container, file.to);
        await dockerExec(container, ['chown', '-R', 'root:root', file.to]);
      }
      await dockerExec(container, [
        'sh',
        '-c',
        'ctr oci spec | jq \'.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}\' | jq \'del(.process.rlimits)\' > /etc/containerd/cri-base.json',
      ]);
      await dockerExec(container, ['sh', '-c', 'cat > /kind/version && chmod 0644 /kind/version'], { input: versions.kubernetes });
      await dockerExec(container, ['sh', '-c', 'mkdir -p /kind/manifests && cat > /kind/manifests/default-cni.yaml'], {
        input: placeholderCniManifest,
      });
      const config = await dockerExec(container, ['cat', '/etc/containerd/config.toml']);
      await dockerExec(container, ['cp', '/dev/stdin', '/etc/containerd/config.toml'], {
        input: withSandboxImage(config, inputs.sandboxImage),
      });
      await loadImages(container, inputs.images);
      await commitContainer(container, tag, ['ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]', 'CMD []', 'ENV container=docker']);
    } finally {
      await removeContainer(container);
    }
    return { source: 'built', value: tag };
  });
}

async function loadImages(container: string, images: readonly ImageArchive[]): Promise<void> {
  await dockerExec(container, ['sh', '-c', 'nohup containerd > /var/log/containerd-image-load.log 2>&1 &']);
  await waitUntil({
    what: 'containerd in the build container',
    timeoutMs: 60_000,
    check: async () => (await dockerExecStatus(container, ['ctr', 'version'])).exitCode === 0,
    onTimeout: () =>
      new PodlawError(
        'build',
        'containerd did not start in the node build container within 60 s',
        'see /var/log/containerd-image-load.log in the build container',
      ),
  });
  for (const image of images) {
    await dockerExec(
      container,
      [
        'ctr',
        '--namespace=k8s.io',
        'images',
        'import',
        '--label=io.cri-containerd.pinned=pinned',
        '--all-platforms',
        '--no-unpack',
        '--digests',
        '-',
      ],
      {
        inputFile: image.archive,
      },
    );
  }
  const listed = new Set((await dockerExec(container, ['ctr', '--namespace=k8s.io', 'images', 'list', '-q'])).split('\n'));
  const missing = images.filter((i) => !listed.has(i.ref)).map((i) => i.ref);
  if (missing.length > 0) {
    throw new PodlawError(
      'build',
      `images missing from the node's containerd after import: ${missing.join(', ')}`,
      'check the image archives (tar -tf) and rerun',
    );
  }
  // The build container's PID 1 (sleep) reaps nothing, so an exited containerd stays a
  // zombie: wait only while a containerd that is not a zombie remains.
  await dockerExec(container, ['sh', '-c', 'pkill -x containerd; while ps -C containerd -o stat= | grep -qv Z; do sleep 0.2; done']);
}

export async function removeStaleBuildContainers(): Promise<void> {
  for (const id of await containerIdsNamed('podlaw-node-build-')) {
    if ((await containerState(id)).exists) await removeContainer(id);
  }
}
