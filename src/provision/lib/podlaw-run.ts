/**
 * Starts `podlaw run` the way the main job does (src/cli/main.ts), against the existing
 * cluster by its context so no cluster is built, checked or recreated, in its own
 * process group (as a terminal job is): the benches signal the whole group, as Ctrl-C or
 * a killed CI job would. Output goes to a log file; lines are handed to a listener.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { repoRoot } from '../../paths.ts';
import { kubeContext } from '../../podlaw-cluster.ts';

export interface PodlawRun {
  readonly child: ChildProcess;
  readonly startedAt: Date;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to every process of the run's process group. */
  signalGroup(signal: NodeJS.Signals): void;
}

export function startPodlawRun(
  args: readonly string[],
  logFile: string,
  onLine: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = {},
): PodlawRun {
  const log = createWriteStream(logFile);
  const startedAt = new Date();
  const child = spawn(process.execPath, [join(repoRoot, 'src/cli/main.ts'), 'run', '--context', kubeContext, ...args], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    createInterface({ input: stream }).on('line', onLine);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  void exited.then(() => log.end());
  return {
    child,
    startedAt,
    exited,
    signalGroup(signal: NodeJS.Signals): void {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        // ESRCH: the group has already gone.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
}

/** Processes left in the group after its leader exited (orphaned Playwright workers…). */
export function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
