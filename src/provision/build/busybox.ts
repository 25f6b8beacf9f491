/**
 * A busybox root: /bin/busybox from Debian's busybox-static (static, so it runs in
 * an image with no libc) and one symlink per applet, /bin/sh among them. The
 * package version is whatever the Debian suite publishes now, and is part of the
 * cache key: a Debian security update rebuilds the images that contain it.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { debCandidateVersion, fetchDeb } from '../lib/apt.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { cachedStep, type StepResult } from './cached-step.ts';
import { stageLayer, type StagedEntry } from './layer-stage.ts';

export interface BusyboxRoot {
  /** A directory holding bin/busybox and the applet links, ready to be a layer. */
  readonly rootDir: string;
  readonly debianVersion: string;
}

export async function buildBusyboxRoot(progress: Progress): Promise<StepResult<BusyboxRoot>> {
  const debianVersion = await debCandidateVersion(versions.busyboxDebianPackage);
  const inputs = { package: versions.busyboxDebianPackage, debianVersion, debianSuite: versions.debianSuite, recipe: 1 };
  return cachedStep(
    progress,
    { name: 'busybox', detail: `Debian ${versions.debianSuite} ${versions.busyboxDebianPackage} ${debianVersion}`, inputs },
    async (out) => {
      const debDir = join(out, 'deb');
      await fetchDeb(versions.busyboxDebianPackage, debDir, debianVersion);
      const busybox = join(debDir, 'bin', 'busybox');
      // The binary knows its own applets and where each belongs (bin/sh, usr/bin/wget, sbin/ip, ...).
      const list = await execa(busybox, ['--list-full'], { reject: false });
      if (list.failed) {
        throw new PodlawError(
          'build',
          `${busybox} --list-full failed (${list.exitCode ?? 'not started'})`,
          `check that ${versions.busyboxDebianPackage} ${debianVersion} is a static amd64 busybox`,
          {
            detail: list.stderr,
          },
        );
      }
      const applets = list.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && l !== 'bin/busybox');
      const entries: StagedEntry[] = [
        { kind: 'file', path: 'bin/busybox', from: busybox },
        ...applets.map((path): StagedEntry => ({ kind: 'symlink', path, target: '/bin/busybox' })),
      ];
      stageLayer(join(out, 'root'), entries);
      rmSync(debDir, { recursive: true, force: true });
      if (!readdirSync(join(out, 'root', 'bin')).includes('sh')) {
        throw new PodlawError(
          'build',
          'busybox lists no bin/sh applet',
          `the ${versions.busyboxDebianPackage} package changed; pick a busybox build with the shell applet`,
        );
      }
    },
    (dir) => ({ rootDir: join(dir, 'root'), debianVersion }),
  );
}
