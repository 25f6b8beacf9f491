/**
 * Debian packages the builds need: installs what is missing (and nothing else),
 * and takes files out of a package without installing it on the host.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';

const listsDir = '/var/lib/apt/lists';

/** apt-get update runs at most once per process; a second update would not find anything new. */
let listsRefreshed = false;

export async function isDebInstalled(name: string): Promise<boolean> {
  const query = await execa('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { reject: false });
  // dpkg-query exits 1 for a package it has never heard of; "config-files" means removed but not purged.
  return query.exitCode === 0 && query.stdout.trim() === 'installed';
}

function hasPackageLists(): boolean {
  try {
    return readdirSync(listsDir).some((f) => f.includes('_Packages') && statSync(join(listsDir, f)).size > 0);
  } catch {
    return false;
  }
}

function requireRoot(what: string, packages: readonly string[]): void {
  if (process.getuid?.() === 0) return;
  throw new PodlawError(
    'noPermission',
    `${what} needs root (apt-get) and podlaw is not running as root`,
    `run as root or install ${packages.join(' ')} manually`,
  );
}

async function aptGet(args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  const run = await execa('apt-get', args, {
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
  return { ok: !run.failed, output: run.all ?? '' };
}

async function refreshLists(packages: readonly string[]): Promise<void> {
  if (listsRefreshed) return;
  const update = await aptGet(['update']);
  if (!update.ok) {
    throw new PodlawError(
      'noPermission',
      'apt-get update failed',
      `run as root with access to the Debian mirror, or install ${packages.join(' ')} manually`,
      {
        detail: tail(update.output),
      },
    );
  }
  listsRefreshed = true;
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Runs an apt-get command that needs package lists; when it fails with lists that
 * may be stale (a superseded version is no longer on the mirror), refreshes them
 * once and tries again.
 */
async function withFreshListsOnFailure(args: readonly string[], packages: readonly string[]): Promise<{ ok: boolean; output: string }> {
  if (!hasPackageLists()) await refreshLists(packages);
  const first = await aptGet(args);
  if (first.ok || listsRefreshed) return first;
  await refreshLists(packages);
  return aptGet(args);
}

/** Installs the packages that are not installed yet; a no-op (no apt-get at all) when all are. */
export async function ensureDebPackages(names: readonly string[]): Promise<{ installed: readonly string[] }> {
  const missing: string[] = [];
  for (const name of names) if (!(await isDebInstalled(name))) missing.push(name);
  if (missing.length === 0) return { installed: [] };
  requireRoot(`installing ${missing.join(', ')}`, missing);
  const install = await withFreshListsOnFailure(['install', '-y', '--no-install-recommends', ...missing], missing);
  if (!install.ok) {
    throw new PodlawError(
      'noPermission',
      `apt-get install ${missing.join(' ')} failed`,
      `run as root or install ${missing.join(' ')} manually`,
      {
        detail: tail(install.output),
      },
    );
  }
  return { installed: missing };
}

/** The version apt would download for a package (its candidate), e.g. "1:1.35.0-4+deb12u1+b1". */
export async function debCandidateVersion(name: string): Promise<string> {
  if (!hasPackageLists()) {
    requireRoot(`looking up ${name}`, [name]);
    await refreshLists([name]);
  }
  const show = await execa('apt-cache', ['policy', name], { reject: false });
  const candidate = /^\s*Candidate:\s*(\S+)\s*$/m.exec(show.stdout)?.[1];
  if (show.failed || candidate === undefined || candidate === '(none)') {
    throw new PodlawError(
      'build',
      `Debian package ${name} is not known to apt`,
      `check /etc/apt/sources.list for the ${name} suite, then run apt-get update`,
      {
        detail: tail(show.stdout + show.stderr),
      },
    );
  }
  return candidate;
}

/**
 * Downloads one package version and unpacks its files into `intoDir` (dpkg-deb -x:
 * no maintainer scripts, nothing registered with dpkg).
 */
export async function fetchDeb(name: string, intoDir: string, version?: string): Promise<void> {
  // apt-get download and dpkg-deb -x work unprivileged; only refreshing the lists needs root.
  const downloadDir = mkdtempSync(join(tmpdir(), 'podlaw-deb-'));
  try {
    const spec = version === undefined ? name : `${name}=${version}`;
    const download = await execa('apt-get', ['download', spec], { cwd: downloadDir, reject: false, all: true, stdin: 'ignore' });
    let result = { ok: !download.failed, output: download.all ?? '' };
    if (!result.ok && !listsRefreshed) {
      await refreshLists([name]);
      const retry = await execa('apt-get', ['download', spec], { cwd: downloadDir, reject: false, all: true, stdin: 'ignore' });
      result = { ok: !retry.failed, output: retry.all ?? '' };
    }
    const deb = readdirSync(downloadDir).find((f) => f.endsWith('.deb'));
    if (!result.ok || deb === undefined) {
      throw new PodlawError(
        'build',
        `apt-get download ${spec} failed`,
        'check access to the Debian mirror (apt-get update), or whether that version is still published',
        {
          detail: tail(result.output),
        },
      );
    }
    const extract = await execa('dpkg-deb', ['-x', join(downloadDir, deb), intoDir], { reject: false, all: true });
    if (extract.failed) {
      throw new PodlawError('build', `dpkg-deb -x ${deb} failed`, `check free space and permissions of ${intoDir}`, {
        detail: tail(extract.all ?? ''),
      });
    }
  } finally {
    rmSync(downloadDir, { recursive: true, force: true });
  }
}
