/**
 * The smoke checks' verdict, handed from Playwright's runner process (the smoke-gate reporter sees every
 * test end) to the workers through one file per run.
 *
 * Why not a project dependency: Playwright runs a project only after its dependencies' whole phase has
 * ended, and a phase starts new worker processes. With smoke as a dependency, the loss chains (the run's
 * critical path) began 12 s into a run: 3 s to start, 5 s of smoke, 4 s to start the next phase's workers.
 * Every project now starts at once, and what must follow smoke waits for this verdict instead: a fault
 * (nothing is broken on a cluster that failed its smoke checks) and a law test's start (a cluster that fails
 * them is not worth judging).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Playwright project of the smoke checks (playwright.config.ts). */
export const smokeProject = 'smoke';
/** Their tag: `podlaw run --grep` adds it, so a run of a few laws still checks the cluster first. */
export const smokeTag = '@smoke';
/** Set by `podlaw run --shard`: the smoke project becomes every other project's dependency (playwright.config.ts). */
export const smokeAsDependencyEnv = 'PODLAW_SMOKE_AS_DEPENDENCY';
/** Where a test waits for the verdict: at its start, before its first fault (its body's end at the latest), or not. */
export type SmokeGatePoint = 'test start' | 'first fault' | 'none';

export interface SmokeVerdict {
  readonly state: 'passed' | 'failed';
  /** How many smoke checks this run selected; 0 when a grep left them all out (podlaw run adds them). */
  readonly checks: number;
  /** The checks that did not pass, each with its Playwright status. */
  readonly failed: readonly string[];
}

/** A smoke check that ended: its title and Playwright's status. */
export interface SmokeCheckEnd {
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
}

/**
 * The verdict once it is known: failed at the first check that failed, passed once every selected check ended
 * without failing (a check that is not applicable to this cluster is skipped, not failed); undefined before.
 */
export function decideSmokeVerdict(selected: number, ended: readonly SmokeCheckEnd[]): SmokeVerdict | undefined {
  const failed = ended.filter((c) => c.status !== 'passed' && c.status !== 'skipped').map((c) => `${c.title} (${c.status})`);
  if (failed.length > 0) return { state: 'failed', checks: selected, failed };
  if (ended.length >= selected) return { state: 'passed', checks: selected, failed: [] };
  return undefined;
}

const runDirPrefix = 'podlaw-run-';

/** The run's directory for the verdict: one per run id, so runs side by side never read each other's. */
export function smokeVerdictDir(runId: string): string {
  return join(tmpdir(), `${runDirPrefix}${runId}`);
}

export const smokeVerdictFile = 'smoke-verdict.json';

/**
 * A file of the run's own beside that directory (the cluster's timing read at the run's start): named by the run id
 * under the same prefix, so the sweep below removes what a killed run left of it too.
 */
export function runFilePath(runId: string, name: string): string {
  return join(tmpdir(), `${runDirPrefix}${runId}-${name}`);
}

/** An empty directory: a verdict left by a killed run with the same run id is never read. */
export function prepareSmokeVerdictDir(runId: string): void {
  removeSmokeVerdictDir(runId);
  mkdirSync(smokeVerdictDir(runId), { recursive: true });
}

/** Written whole or not at all (a rename), so a reader never sees half a file. */
export function writeSmokeVerdict(runId: string, verdict: SmokeVerdict): void {
  const dir = smokeVerdictDir(runId);
  const partial = join(dir, `${smokeVerdictFile}.partial`);
  writeFileSync(partial, JSON.stringify(verdict));
  renameSync(partial, join(dir, smokeVerdictFile));
}

export function removeSmokeVerdictDir(runId: string): void {
  rmSync(smokeVerdictDir(runId), { recursive: true, force: true });
}

/**
 * A run killed with SIGKILL never reaches its reporter's onExit and leaves its directory. A run lasts minutes, and its
 * workers may read the verdict until its end, so a directory is left alone for a day: older, its run is long gone.
 */
export const staleSmokeVerdictAgeMs = 24 * 60 * 60_000;

/** The run directories and files older than the stale age, by their modification time; returns what it removed. */
export function sweepStaleRunLeftovers(nowMs: number, base = tmpdir()): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!(entry.isDirectory() || entry.isFile()) || !entry.name.startsWith(runDirPrefix)) continue;
    const path = join(base, entry.name);
    try {
      if (nowMs - statSync(path).mtimeMs < staleSmokeVerdictAgeMs) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch (error) {
      // Removed meanwhile by its own run: nothing left to sweep.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

/** The verdict once written; undefined before. */
export function readSmokeVerdict(runId: string): SmokeVerdict | undefined {
  try {
    return JSON.parse(readFileSync(join(smokeVerdictDir(runId), smokeVerdictFile), 'utf8')) as SmokeVerdict;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
