/**
 * The API server's version. Documented defaults are chosen by minor version, so the
 * parse must cope with provider forms such as minor "36+" and gitVersion "v1.36.3-eks-1".
 */
import type { VersionInfo } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';

export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly gitVersion: string;
}

export function parseServerVersion(info: Pick<VersionInfo, 'major' | 'minor' | 'gitVersion'>): ServerVersion {
  const fromGit = /^v?(\d+)\.(\d+)/.exec(info.gitVersion);
  const major = Number.parseInt(info.major, 10);
  const minor = Number.parseInt(info.minor, 10);
  if (Number.isInteger(major) && Number.isInteger(minor)) return { major, minor, gitVersion: info.gitVersion };
  if (fromGit?.[1] !== undefined && fromGit[2] !== undefined) {
    return { major: Number(fromGit[1]), minor: Number(fromGit[2]), gitVersion: info.gitVersion };
  }
  throw new Error(`cannot parse server version ${JSON.stringify(info)}`);
}

export function versionLabel(version: ServerVersion): string {
  return `v${version.major}.${version.minor}`;
}

export async function readServerVersion(kube: KubeClients): Promise<ServerVersion> {
  return parseServerVersion(await kube.version.getCode());
}
