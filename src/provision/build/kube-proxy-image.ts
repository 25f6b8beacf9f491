/**
 * kube-proxy's image needs nft and iptables with their shared libraries. They are
 * staged out of the node's Debian root file system (the same glibc), resolving each
 * binary's libraries with ldd inside a chroot, like kind's stage-binary-and-deps.sh.
 */
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { versions } from '../versions.ts';
import { imageRefs } from './image-refs.ts';
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { cachedImage } from './image-step.ts';
import { checkNftListsWhatItLoaded } from './nft-listing-check.ts';

/** Binaries kube-proxy execs in nftables mode and when cleaning up iptables rules left by other modes. */
const stagedBinaries = ['/usr/sbin/nft', '/usr/sbin/xtables-nft-multi', '/usr/sbin/conntrack', '/bin/sh'] as const;
/**
 * Data files those binaries read at run time. /etc/protocols (Debian's netbase): without it nft
 * lists inet_proto values as numbers (6, not tcp), kube-proxy's hourly full resync then takes
 * every element of its maps for a stale one and deletes it (see nft-listing-check.ts).
 */
const stagedFiles = ['/etc/protocols'] as const;
const iptablesCommands = [
  'iptables',
  'iptables-save',
  'iptables-restore',
  'ip6tables',
  'ip6tables-save',
  'ip6tables-restore',
  'iptables-nft',
  'iptables-nft-save',
  'iptables-nft-restore',
  'ip6tables-nft',
  'ip6tables-nft-save',
  'ip6tables-nft-restore',
] as const;

const recipe = 4;

/** Parses ldd output into the absolute paths of the libraries it resolved. */
export function parseLdd(output: string): string[] {
  const paths = new Set<string>();
  for (const line of output.split('\n')) {
    const arrow = /=>\s+(\/\S+)/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path !== undefined) paths.add(path);
  }
  return [...paths].sort();
}

function copyPreservingLinks(rootfs: string, path: string, out: string): void {
  const source = join(rootfs, path);
  const target = join(out, path);
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target)) return;
  const stat = lstatSync(source);
  if (stat.isSymbolicLink()) {
    const link = readlinkSync(source);
    symlinkSync(link, target);
    copyPreservingLinks(rootfs, link.startsWith('/') ? link : join(dirname(path), link), out);
  } else {
    copyFileSync(source, target);
    chmodSync(target, stat.mode & 0o7777);
  }
}

export async function buildKubeProxyImage(progress: Progress, rootfs: string, kubeProxyBinary: string): Promise<ImageArchive> {
  const built = await cachedImage(progress, {
    name: 'image-kube-proxy',
    spec: { ref: imageRefs.kubeProxy, entrypoint: ['/usr/local/bin/kube-proxy'] },
    inputs: { kubernetes: versions.kubernetes, rootfs, binary: kubeProxyBinary, recipe },
    layers: async (stageRoot) => {
      const layer = join(stageRoot, 'kube-proxy');
      for (const binary of stagedBinaries) {
        copyPreservingLinks(rootfs, binary, layer);
        const { stdout } = await execa('chroot', [rootfs, 'ldd', binary], { reject: false });
        for (const lib of parseLdd(stdout)) copyPreservingLinks(rootfs, lib, layer);
      }
      for (const command of iptablesCommands) symlinkSync('xtables-nft-multi', join(layer, 'usr/sbin', command));
      // Shared libraries xtables loads at run time (extensions) are not visible to ldd.
      // verbatimSymlinks: the extensions are mostly relative links (libxt_MASQUERADE.so -> libxt_NAT.so),
      // which cpSync would otherwise rewrite into absolute paths of this host's cache.
      cpSync(join(rootfs, 'usr/lib/x86_64-linux-gnu/xtables'), join(layer, 'usr/lib/x86_64-linux-gnu/xtables'), {
        recursive: true,
        verbatimSymlinks: true,
      });
      mkdirSync(join(layer, 'usr/local/bin'), { recursive: true });
      copyFileSync(kubeProxyBinary, join(layer, 'usr/local/bin/kube-proxy'));
      chmodSync(join(layer, 'usr/local/bin/kube-proxy'), 0o755);
      for (const d of ['tmp', 'run', 'var/run', 'etc']) mkdirSync(join(layer, d), { recursive: true });
      for (const file of stagedFiles) copyPreservingLinks(rootfs, file, layer);
      await checkNftListsWhatItLoaded(layer);
      return [{ dir: layer, createdBy: 'podlaw: kube-proxy with nft and iptables from the node root fs' }];
    },
  });
  return built.value;
}
