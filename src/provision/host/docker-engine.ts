/**
 * Makes a Docker engine available: installs Debian's docker.io when dockerd is absent,
 * registers the capability-stripping runtime only on hosts that lack CAP_SYS_RESOURCE,
 * and starts dockerd when it is not running. On a machine where Docker already works
 * (a laptop) it changes nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { engineInfo, engineServerVersion, requireEngineServerVersion } from '../../docker.ts';
import { repoRoot } from '../../paths.ts';
import { hostLacksSysResource } from './capabilities.ts';
import { ensureDebPackages } from '../lib/apt.ts';
import { waitUntil } from './wait-until.ts';

export const wrapperRuntimeName = 'podlaw-runc';
export const wrapperPath = '/usr/local/libexec/podlaw/runc-capstrip';
export const daemonConfigPath = '/etc/docker/daemon.json';
export const dockerdLogPath = '/var/log/podlaw-dockerd.log';

export interface EngineReport {
  readonly installed: boolean;
  readonly wrapper: 'not needed' | 'registered' | 'already registered';
  readonly started: boolean;
  readonly serverVersion: string;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function commandExists(name: string): Promise<boolean> {
  const result = await execa('sh', ['-c', `command -v ${name}`], { reject: false });
  return result.exitCode === 0;
}

async function engineAnswers(): Promise<boolean> {
  return (await engineServerVersion(10_000)) !== undefined;
}

async function runtimeRegistered(): Promise<boolean> {
  const stdout = await engineInfo('{{json .Runtimes}} {{.DefaultRuntime}}');
  return stdout.includes(wrapperRuntimeName) && stdout.trim().endsWith(wrapperRuntimeName);
}

async function buildWrapper(): Promise<void> {
  const realRunc = (await execa('sh', ['-c', 'command -v runc'], { reject: false })).stdout.trim();
  if (realRunc === '') {
    throw new PodlawError(
      'dockerd',
      'runc is not installed, so the runtime wrapper has nothing to call',
      "install Debian's runc package (it comes with docker.io)",
    );
  }
  mkdirSync(dirname(wrapperPath), { recursive: true });
  await execa('go', ['build', '-trimpath', '-buildvcs=false', '-ldflags', `-s -w -X main.realRunc=${realRunc}`, '-o', wrapperPath, '.'], {
    cwd: join(repoRoot, 'tools', 'runc-capstrip'),
    env: { GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
  });
}

/** Merges our runtime into daemon.json, keeping whatever else is configured there. */
function registerRuntime(): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(daemonConfigPath)) {
    try {
      existing = JSON.parse(readFileSync(daemonConfigPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new PodlawError(
        'dockerd',
        `${daemonConfigPath} is not valid JSON, so podlaw cannot add its runtime to it`,
        'fix or remove that file and rerun',
        { cause: error },
      );
    }
  }
  const runtimes = (existing['runtimes'] as Record<string, unknown> | undefined) ?? {};
  const merged = {
    ...existing,
    runtimes: { ...runtimes, [wrapperRuntimeName]: { path: wrapperPath } },
    'default-runtime': wrapperRuntimeName,
  };
  mkdirSync(dirname(daemonConfigPath), { recursive: true });
  writeFileSync(daemonConfigPath, `${JSON.stringify(merged, null, 2)}\n`);
}

function logTail(lines = 15): string {
  if (!existsSync(dockerdLogPath)) return '(no dockerd log)';
  return readFileSync(dockerdLogPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

async function startDockerd(): Promise<void> {
  const log = openSync(dockerdLogPath, 'a');
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  child.unref();
  await waitUntil({
    what: 'dockerd to answer on its socket',
    timeoutMs: 60_000,
    check: async () => {
      if (exited !== null) {
        throw new PodlawError('dockerd', `dockerd exited with code ${exited} while starting`, `see ${dockerdLogPath}`, {
          detail: logTail(),
        });
      }
      return engineAnswers();
    },
    onTimeout: () =>
      new PodlawError('dockerd', 'dockerd did not answer within 60 s of starting', `see ${dockerdLogPath}`, { detail: logTail() }),
  });
}

async function noEngineWithoutRoot(): Promise<PodlawError> {
  const user = process.env['USER'] ?? `uid ${process.getuid?.() ?? '?'}`;
  if (existsSync('/var/run/docker.sock')) {
    return new PodlawError(
      'noPermission',
      `the Docker engine does not answer ${user} on /var/run/docker.sock`,
      'add this user to the docker group, or rerun as root',
    );
  }
  if (await commandExists('dockerd')) {
    return new PodlawError(
      'noPermission',
      'dockerd is not running and podlaw is not root, so it cannot start it',
      'start the Docker engine yourself, or rerun as root',
    );
  }
  return new PodlawError(
    'noPermission',
    'the Docker engine is not installed and podlaw is not running as root',
    'rerun as root, or install Docker (Debian: apt-get install docker.io) and start it',
  );
}

export async function ensureDockerEngine(log: (line: string) => void): Promise<EngineReport> {
  const needsWrapper = hostLacksSysResource();
  if (await engineAnswers()) {
    // A running engine is the user's: only verify it can run kind's privileged nodes.
    if (needsWrapper && !(await runtimeRegistered())) {
      throw new PodlawError(
        'dockerd',
        'this host lacks CAP_SYS_RESOURCE and the running dockerd has no capability-stripping runtime, so kind nodes cannot start',
        `stop dockerd and rerun (podlaw then starts it with ${wrapperRuntimeName}), or add it to ${daemonConfigPath} yourself`,
      );
    }
    return {
      installed: false,
      wrapper: needsWrapper ? 'already registered' : 'not needed',
      started: false,
      serverVersion: await requireEngineServerVersion(),
    };
  }

  // Everything below installs, configures or starts system software.
  if (!isRoot()) throw await noEngineWithoutRoot();

  let installed = false;
  if (!(await commandExists('dockerd'))) {
    log('installing the Docker engine (Debian package docker.io)');
    // daemon.json is written first: the package's maintainer script may start dockerd itself.
    if (needsWrapper) {
      await ensureDebPackages(['runc']);
      await buildWrapper();
      registerRuntime();
    }
    await ensureDebPackages(['docker.io']);
    installed = true;
  }

  let wrapper: EngineReport['wrapper'] = 'not needed';
  if (needsWrapper) {
    await buildWrapper();
    registerRuntime();
    wrapper = 'registered';
    log(`host lacks CAP_SYS_RESOURCE: dockerd runs containers through ${wrapperPath}`);
  }
  let started = false;
  if (!(await engineAnswers())) {
    log(`starting dockerd (log: ${dockerdLogPath})`);
    await startDockerd();
    started = true;
  } else if (needsWrapper && !(await runtimeRegistered())) {
    // The package's own start raced our config: restart so the runtime is used.
    await execa('sh', ['-c', 'pkill -x dockerd; true']);
    await startDockerd();
    started = true;
  }
  return { installed, wrapper, started, serverVersion: await requireEngineServerVersion() };
}
