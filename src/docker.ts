/**
 * The one wrapper over the docker CLI: the host preparation, the image build, the cluster
 * commands, node faults and node-level probes all go through these typed functions, so
 * every docker invocation podlaw makes is listed here.
 */
import { execa } from 'execa';

/** What a command run inside a container gave back, when a non-zero exit is an answer rather than an error. */
export interface DockerExecResult {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

// ── engine ──────────────────────────────────────────────────────────────────────────

/** The engine's server version, or undefined when it does not answer within the timeout. */
export async function engineServerVersion(timeoutMs?: number): Promise<string | undefined> {
  const result = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {
    reject: false,
    ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The engine's server version; fails when the engine does not answer. */
export async function requireEngineServerVersion(): Promise<string> {
  const { stdout } = await execa('docker', ['version', '--format', '{{.Server.Version}}']);
  return stdout.trim();
}

/** `docker info` with a Go template. */
export async function engineInfo(format: string): Promise<string> {
  const { stdout } = await execa('docker', ['info', '--format', format]);
  return stdout;
}

// ── images ──────────────────────────────────────────────────────────────────────────

export async function imageExists(ref: string): Promise<boolean> {
  const result = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { reject: false });
  return result.exitCode === 0;
}

/** What `docker pull` answered: pulled, or why not (its last stderr line, or the time bound it hit). */
export type PullOutcome = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly ms: number; readonly reason: string };

/** `docker pull ref`, ended (SIGTERM) when it has not finished within `timeoutMs`. */
export async function pullImage(ref: string, timeoutMs: number): Promise<PullOutcome> {
  const started = Date.now();
  const result = await execa('docker', ['pull', '--quiet', ref], { reject: false, timeout: timeoutMs });
  const ms = Date.now() - started;
  if (result.exitCode === 0 && !result.timedOut) return { ok: true, ms };
  if (result.timedOut) return { ok: false, ms, reason: `no answer within ${timeoutMs / 1000} s` };
  const lines = result.stderr.trim().split('\n');
  return { ok: false, ms, reason: lines[lines.length - 1] ?? `exit ${result.exitCode ?? 'none'}` };
}

/** `docker tag` and `docker rmi` of a name (the image itself stays while other names hold it). */
export async function tagImage(source: string, target: string): Promise<void> {
  await execa('docker', ['tag', source, target]);
}

export async function untagImage(ref: string): Promise<void> {
  await execa('docker', ['rmi', '--no-prune', ref]);
}

/** `tar -C dir -cf - . | docker import --change … - tag`: an image from a root file system directory. */
export async function importRootfs(dir: string, tag: string, changes: readonly string[]): Promise<void> {
  // buffer: false — the root fs tar is larger than execa's default maxBuffer, past which it kills the process.
  await execa('tar', ['-C', dir, '--numeric-owner', '-cf', '-', '.'], { buffer: false }).pipe('docker', [
    'import',
    ...changes.flatMap((change) => ['--change', change]),
    '-',
    tag,
  ]);
}

export async function commitContainer(container: string, tag: string, changes: readonly string[]): Promise<void> {
  await execa('docker', ['commit', ...changes.flatMap((change) => ['--change', change]), container, tag]);
}

// ── containers ──────────────────────────────────────────────────────────────────────

/**
 * A container's state. "Does not exist" is answered only when the engine says so: a
 * failed inspect is confirmed with a listing, and an engine that does not answer is an
 * error — a fault's recovery must never mistake a daemon hiccup for "nothing to undo".
 */
export async function containerState(name: string): Promise<{ exists: boolean; running: boolean; paused: boolean }> {
  const result = await execa('docker', ['inspect', '--format', '{{.State.Running}} {{.State.Paused}}', name], { reject: false });
  if (result.exitCode !== 0) {
    const listing = await execa('docker', ['ps', '-a', '-q', '--filter', `name=^/${name}$`]);
    if (listing.stdout.trim() !== '') throw new Error(`docker inspect ${name} failed although the container exists: ${result.stderr}`);
    return { exists: false, running: false, paused: false };
  }
  const [running, paused] = result.stdout.trim().split(' ');
  return { exists: true, running: running === 'true', paused: paused === 'true' };
}

/** The image a container was created from; '' when it does not exist. */
export async function containerImage(name: string): Promise<string> {
  const result = await execa('docker', ['inspect', '--format', '{{.Config.Image}}', name], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : '';
}

/** A label of a container; undefined when the container does not exist. */
export async function containerLabel(name: string, label: string): Promise<string | undefined> {
  const result = await execa('docker', ['inspect', '--format', `{{index .Config.Labels ${JSON.stringify(label)}}}`, name], {
    reject: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** Whether the container runs and is not paused; false also when it does not exist or the engine does not answer. */
export async function containerRunningUnpaused(name: string): Promise<boolean> {
  const result = await execa('docker', ['inspect', '--format', '{{.State.Running}} {{.State.Paused}}', name], { reject: false });
  return result.stdout.trim() === 'true false';
}

/** The container's first address on its networks ('' when it has none). */
export async function containerIPAddress(name: string): Promise<string> {
  const { stdout } = await execa('docker', ['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', name]);
  return stdout.trim().split(' ')[0] ?? '';
}

/** Names of the containers `docker ps` lists with these filters ("label=…", "status=paused"). */
export async function containerNames(filters: readonly string[]): Promise<string[]> {
  const { stdout } = await execa('docker', ['ps', ...filters.flatMap((f) => ['--filter', f]), '--format', '{{.Names}}']);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name !== '');
}

/** Ids of the containers (running or not) whose name matches the filter. */
export async function containerIdsNamed(namePattern: string): Promise<string[]> {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `name=${namePattern}`]);
  return stdout.split('\n').filter((line) => line !== '');
}

export async function runDetached(
  name: string,
  image: string,
  entrypoint: string,
  args: readonly string[],
  options: readonly string[] = [],
): Promise<void> {
  await execa('docker', ['run', '-d', '--name', name, ...options, `--entrypoint=${entrypoint}`, image, ...args]);
}

export async function copyIntoContainer(from: string, container: string, to: string): Promise<void> {
  await execa('docker', ['cp', from, `${container}:${to}`]);
}

/** Removes a container and its anonymous volumes; one that is already gone is fine. */
export async function removeContainer(name: string): Promise<void> {
  await execa('docker', ['rm', '-f', '-v', name], { reject: false });
}

/** `docker kill --signal`: one signal to the container's init, nothing after it. */
export async function signalContainer(name: string, signal: string): Promise<void> {
  await execa('docker', ['kill', '--signal', signal, name]);
}

/** `docker stop`: SIGTERM (or the image's STOPSIGNAL) to the container's init, SIGKILL after `graceSeconds`. */
export async function stopContainer(name: string, graceSeconds: number): Promise<void> {
  await execa('docker', ['stop', '--time', String(graceSeconds), name]);
}

/**
 * Waits for a container a stop was requested for to stop, bounded by that stop's grace
 * period + 5 s (docker SIGKILLs at the grace period's end); returns early when it is
 * already stopped, and at the bound when it keeps running (nothing was stopping it).
 */
export async function waitForStop(name: string, stopGraceSeconds: number): Promise<void> {
  const state = await containerState(name);
  if (!state.running) return;
  await execa('docker', ['wait', name], { reject: false, timeout: (stopGraceSeconds + 5) * 1000 });
}

export async function startContainer(name: string): Promise<void> {
  await execa('docker', ['start', name]);
}

/** Pauses a container; the result says whether it worked (runc's freezer can fail on a busy cgroup). */
export async function pauseContainer(name: string): Promise<DockerExecResult> {
  return dockerStatus(['pause', name]);
}

/** Unpauses a container; the result says whether it worked (recoveries may race, so a failure is for the caller to judge). */
export async function unpauseContainer(name: string): Promise<DockerExecResult> {
  return dockerStatus(['unpause', name]);
}

/** A docker command whose failure is for the caller to judge. */
async function dockerStatus(args: readonly string[]): Promise<DockerExecResult> {
  const result = await execa('docker', args, { reject: false });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** One `docker stats` sample: "name\tmemory usage" lines. */
export async function memoryUsageLines(names: readonly string[]): Promise<string[]> {
  const { stdout } = await execa('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...names]);
  return stdout.split('\n').filter((line) => line.trim() !== '');
}

// ── exec ────────────────────────────────────────────────────────────────────────────

/** Runs a command in a container (its stdin fed from `input` or `inputFile` when given); fails on a non-zero exit; returns its stdout. */
export async function dockerExec(
  container: string,
  args: readonly string[],
  options?: { input?: string; inputFile?: string },
): Promise<string> {
  const stdin =
    options?.inputFile !== undefined ? { inputFile: options.inputFile } : options?.input !== undefined ? { input: options.input } : {};
  const interactive = Object.keys(stdin).length > 0 ? ['-i'] : [];
  const { stdout } = await execa('docker', ['exec', ...interactive, container, ...args], stdin);
  return stdout;
}

/** Runs a command in a container whose exit code is the answer (a probe): never throws on a non-zero exit. */
export async function dockerExecStatus(
  container: string,
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<DockerExecResult> {
  const result = await execa('docker', ['exec', container, ...args], {
    reject: false,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a long-running command in a container (a monitor) and hands back the running client process. */
// The return type is execa's own subprocess type, left to inference.
export function dockerExecStream(container: string, args: readonly string[]) {
  return execa('docker', ['exec', container, ...args], { reject: false });
}
