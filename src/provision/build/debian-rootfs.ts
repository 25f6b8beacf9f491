/**
 * The Debian root file system of a kind node: debootstrap of bookworm (systemd 252,
 * which still supports this host's cgroup v1), the packages kind's base Dockerfile
 * installs, kind's own files from its Go module, and the same systemd trimming.
 * The container runtime and Kubernetes are added by later steps.
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync, appendFileSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { versions } from '../versions.ts';
import { ensureDebPackages } from '../lib/apt.ts';
import { runBuildStep } from '../lib/logged-run.ts';
import type { Progress } from '../lib/progress.ts';
import { kindBaseFilesDir, kindModuleDir } from './kind-module.ts';
import { cachedStep } from './cached-step.ts';

/** From kind's images/base/Dockerfile, less nfs-common/open-iscsi (no storage drivers here) and fuse-overlayfs (rootless only). */
export const nodePackages = [
  'systemd',
  'conntrack',
  'iptables',
  'nftables',
  'iproute2',
  'ethtool',
  'util-linux',
  'mount',
  'kmod',
  'libseccomp2',
  'pigz',
  'e2fsprogs',
  'bash',
  'ca-certificates',
  'curl',
  'jq',
  'procps',
  'socat',
] as const;

const recipe = 3;

export async function buildDebianRootfs(progress: Progress): Promise<string> {
  const step = {
    name: 'debian-rootfs',
    detail: `node root filesystem: debootstrap ${versions.debianSuite} + ${nodePackages.length} packages + kind ${versions.kind} files`,
    inputs: { suite: versions.debianSuite, mirror: versions.debianMirror, kind: versions.kind, packages: nodePackages.join(','), recipe },
  };
  const built = await cachedStep(
    progress,
    step,
    async (out) => {
      await ensureDebPackages(['debootstrap']);
      const rootfs = join(out, 'rootfs');
      const logFile = join(out, 'build.log');
      await runBuildStep(
        'debootstrap',
        'debootstrap',
        ['--variant=minbase', `--include=${nodePackages.join(',')}`, versions.debianSuite, rootfs, versions.debianMirror],
        { logFile },
      );
      await addKindFiles(rootfs);
      await trimSystemd(rootfs, logFile);
      for (const d of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'var/log/apt']) {
        rmSync(join(rootfs, d), { recursive: true, force: true });
        mkdirSync(join(rootfs, d), { recursive: true });
      }
    },
    (dir) => join(dir, 'rootfs'),
  );
  return built.value;
}

async function addKindFiles(rootfs: string): Promise<void> {
  const files = kindBaseFilesDir(await kindModuleDir());
  const copy = (from: string, to: string, mode: number): void => {
    mkdirSync(join(rootfs, to), { recursive: true });
    for (const name of readdirSync(join(files, from), { withFileTypes: true })) {
      if (!name.isFile()) continue;
      const target = join(rootfs, to, name.name);
      cpSync(join(files, from, name.name), target);
      chmodSync(target, mode);
    }
  };
  copy('usr/local/bin', 'usr/local/bin', 0o755);
  copy('kind', 'kind', 0o644);
  copy('kind/bin', 'kind/bin', 0o755);
  copy('etc', 'etc', 0o644);
  copy('etc/containerd', 'etc/containerd', 0o644);
  copy('etc/default', 'etc/default', 0o644);
  copy('etc/sysctl.d', 'etc/sysctl.d', 0o644);
  copy('etc/systemd/system', 'etc/systemd/system', 0o644);
  copy('etc/systemd/system/kubelet.service.d', 'etc/systemd/system/kubelet.service.d', 0o644);
  chmodSync(join(rootfs, 'kind'), 0o755);
  chmodSync(join(rootfs, 'kind', 'bin'), 0o755);
  mkdirSync(join(rootfs, 'etc/kubernetes/manifests'), { recursive: true });
}

/** The same trimming kind's base Dockerfile does, so systemd boots cleanly inside a container. */
async function trimSystemd(rootfs: string, logFile: string): Promise<void> {
  const removeAll = (dir: string): void => {
    const path = join(rootfs, dir);
    if (!existsSync(path)) return;
    for (const entry of readdirSync(path)) rmSync(join(path, entry), { recursive: true, force: true });
  };
  rmSync(join(rootfs, 'lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service'), { force: true });
  removeAll('lib/systemd/system/multi-user.target.wants');
  for (const wants of readdirSync(join(rootfs, 'etc/systemd/system')).filter((d) => d.endsWith('.wants'))) {
    rmSync(join(rootfs, 'etc/systemd/system', wants), { recursive: true, force: true });
  }
  removeAll('lib/systemd/system/local-fs.target.wants');
  for (const entry of existsSync(join(rootfs, 'lib/systemd/system/sockets.target.wants'))
    ? readdirSync(join(rootfs, 'lib/systemd/system/sockets.target.wants'))
    : []) {
    if (entry.includes('udev') || entry.includes('initctl'))
      rmSync(join(rootfs, 'lib/systemd/system/sockets.target.wants', entry), { force: true });
  }
  removeAll('lib/systemd/system/basic.target.wants');
  appendFileSync(join(rootfs, 'etc/systemd/journald.conf'), 'ReadKMsg=no\n');
  rmSync(join(rootfs, 'sbin/init'), { force: true });
  symlinkSync('/usr/lib/systemd/systemd', join(rootfs, 'sbin/init'));
  await runBuildStep(
    'enable node services',
    'chroot',
    [rootfs, 'systemctl', 'enable', 'kubelet.service', 'containerd.service', 'undo-mount-hacks.service'],
    { logFile },
  );
  await runBuildStep('mask systemd-binfmt', 'chroot', [rootfs, 'systemctl', 'mask', 'systemd-binfmt.service'], { logFile });
  writeFileSync(join(rootfs, 'etc/hostname'), 'kind-node\n');
}
