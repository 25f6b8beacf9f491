/**
 * One `cluster up` (or `cluster down`) at a time on a host. Two at once destroy each other's work: seen here, a
 * `podlaw run` started while `cluster up --recreate` was joining its workers found a cluster whose API did not
 * answer, deleted it, and the first one died on an exec into a container that had gone ("unexpected internal
 * error"). The second comer now waits for the first, then finds the cluster it left.
 *
 * The lock is a file created with O_EXCL that names its holder: pid and the process's start time (field 22 of
 * /proc/<pid>/stat), so a pid the kernel reused is not taken for the holder. A holder killed with SIGKILL leaves its
 * file; the next comer sees the holder gone and takes the lock over.
 */
import { mkdirSync, readFileSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PodlawError } from '../../errors.ts';
import { describeTimeout, type NamedTimeout } from '../../kube/named-timeout.ts';

export interface LockHolder {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  readonly startTicks: string;
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

/** Pure: the holder a lock file names; undefined for anything else (a torn write, another format). */
export function parseLockHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    if (typeof value.startTicks !== 'string' || typeof value.command !== 'string' || typeof value.since !== 'string') return undefined;
    return { pid: value.pid, startTicks: value.startTicks, command: value.command, since: value.since };
  } catch {
    return undefined;
  }
}

/** Pure: field 22 (starttime) of a /proc/<pid>/stat line; the command name may hold spaces and parentheses. */
export function startTicksOf(statLine: string): string | undefined {
  const afterName = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // Fields after the name start at field 3 (state): starttime, field 22, is index 19.
  return afterName[19];
}

/** Pure: whether the holder still runs, given its /proc stat line now (undefined when the pid does not exist). */
export function holderRuns(holder: LockHolder, statLineNow: string | undefined): boolean {
  return statLineNow !== undefined && startTicksOf(statLineNow) === holder.startTicks;
}

function statLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    return { text, holder: parseLockHolder(text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Creates the lock file if no one holds it; true when this process now holds it. */
function tryCreate(path: string, mine: string): boolean {
  try {
    writeFileSync(path, mine, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Resolves at the lock file's next change, or after `pollMs` (a SIGKILLed holder changes nothing). */
function nextChange(path: string, pollMs: number): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(path), () => finish());
    const timer = setTimeout(() => finish(), pollMs);
    function finish(): void {
      clearTimeout(timer);
      watcher.close();
      resolve();
    }
  });
}

/**
 * Takes the lock at `path`, waiting while a live process holds it (saying once who), at most `bound`. Returns the
 * release, which removes the file only while it is still this process's.
 */
export async function acquireHostLock(
  path: string,
  command: string,
  bound: NamedTimeout,
  onWait: (holder: LockHolder) => void,
): Promise<() => void> {
  mkdirSync(dirname(path), { recursive: true });
  const ownStat = statLine(process.pid);
  const startTicks = ownStat === undefined ? '' : (startTicksOf(ownStat) ?? '');
  const mine = JSON.stringify({ pid: process.pid, startTicks, command, since: new Date().toISOString() } satisfies LockHolder);
  const release = (): void => {
    if (readHolder(path)?.text === mine) unlinkSync(path);
  };
  const deadline = Date.now() + bound.ms;
  let announced: number | undefined;
  for (;;) {
    if (tryCreate(path, mine)) return release;
    const seen = readHolder(path);
    if (seen === undefined) continue;
    const { holder } = seen;
    if (holder === undefined || !holderRuns(holder, statLine(holder.pid))) {
      // Gone without releasing (killed), or not a lock of ours: remove exactly what was judged, then race for it.
      if (readHolder(path)?.text === seen.text) unlinkSync(path);
      continue;
    }
    if (announced !== holder.pid) {
      onWait(holder);
      announced = holder.pid;
    }
    if (Date.now() >= deadline) {
      throw new PodlawError(
        'cluster',
        `${holder.command} (pid ${holder.pid}, since ${holder.since}) still holds ${path} after ${describeTimeout(bound)}`,
        `wait for it to end, or stop it (kill ${holder.pid}) and rerun`,
      );
    }
    await nextChange(path, Math.min(1_000, Math.max(1, deadline - Date.now())));
  }
}
