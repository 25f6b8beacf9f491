/**
 * One `cluster up` (or `cluster down`) at a time on a host. Two at once destroy each other's work: seen here, a
 * `podlaw run` started while `cluster up --recreate` was joining its workers found a cluster whose API did not
 * answer, deleted it, and the first one died on an exec into a container that had gone ("unexpected internal
 * error"). The second comer now waits for the first, then finds the cluster it left.
 *
 * The lock is a file that names its holder: pid and the process's start time (field 22 of /proc/<pid>/stat), so a
 * pid the kernel reused is not taken for the holder. It is created whole: written to a file of its own, then
 * hard-linked to the lock's name (link fails when the name exists), so no one ever reads a half-written lock. A
 * holder killed with SIGKILL leaves its file; the next comer sees the holder gone and takes the lock over, under a
 * second lock of the same kind (`<lock>.takeover`), so two comers cannot remove each other's fresh lock.
 *
 * Not covered: a holder killed with SIGKILL leaves its children running (kind create, docker exec); the next comer
 * does not wait for them.
 */
import { accessSync, chmodSync, constants, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
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

/** Pure: the holder a lock file names; undefined for anything else (another format, a corrupt file). */
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
  if (statLineNow === undefined || startTicksOf(statLineNow) !== holder.startTicks) return false;
  // A zombie (state Z) has ended; only its parent has not reaped it yet.
  return statLineNow.slice(statLineNow.lastIndexOf(')') + 2, statLineNow.lastIndexOf(')') + 3) !== 'Z';
}

/** A lock file that names no holder (not written by this code) is judged only once it is this old. */
const foreignLockAgeMs = 5_000;

/** The process's /proc stat line; undefined when it has gone (ESRCH: it exited between the open and the read). */
function statLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw error;
  }
}

/**
 * Whether the holder runs. Its /proc entry decides; when that is missing, the kernel is asked too, since /proc can hide
 * other users' processes (hidepid): a process that answers is taken as the holder, never removed by mistake.
 */
function holderAlive(holder: LockHolder): boolean {
  const line = statLine(holder.pid);
  if (line !== undefined) return holderRuns(holder, line);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file this process may not read or remove (another user's, under the sticky bit), said in one line. */
function notOurs(path: string, error: unknown): PodlawError {
  return new PodlawError(
    'cluster',
    `${path} cannot be read or removed by this user (${(error as NodeJS.ErrnoException).code ?? 'error'}): it belongs to another user`,
    `remove it as that user or root (sudo rm ${path}) once nothing of theirs runs`,
    { cause: error },
  );
}

function permissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'EACCES';
}

function readLock(path: string): { text: string; holder: LockHolder | undefined; ageMs: number } | undefined {
  try {
    const ageMs = Date.now() - statSync(path).mtimeMs;
    const text = readFileSync(path, 'utf8');
    return { text, holder: parseLockHolder(text), ageMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (permissionError(error)) throw notOurs(path, error);
    throw error;
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if (permissionError(error)) throw notOurs(path, error);
    throw error;
  }
}

/** Creates `path` with `content` whole, or not at all when it exists; true when this call created it. */
function createWhole(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.draft`;
  try {
    // Readable by every user of the host's Docker engine, whatever the umask: they judge its holder.
    writeFileSync(draft, content, { mode: 0o644 });
    chmodSync(draft, 0o644);
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkIfPresent(draft);
  }
}

/** Whether what a lock file names is gone: its holder no longer runs, or it names none and is old enough to judge. */
function abandoned(seen: { holder: LockHolder | undefined; ageMs: number }): boolean {
  return seen.holder === undefined ? seen.ageMs >= foreignLockAgeMs : !holderAlive(seen.holder);
}

/**
 * Removes the lock file if it still holds exactly `judged`, under the takeover lock. False when another comer holds
 * that: the caller then waits like any waiter. A comer killed inside its takeover (a few milliseconds) leaves its file,
 * judged like the lock and removed. Two comers judging the same such file at once could both remove it and then run
 * two takeovers; the re-read of the lock's text narrows that to microseconds, and only a kernel lock (flock, which
 * Node lacks) would close it.
 */
function takeOver(path: string, judged: string, mine: string): boolean {
  const takeover = `${path}.takeover`;
  if (!createWhole(takeover, mine)) {
    const other = readLock(takeover);
    if (other !== undefined && abandoned(other) && readLock(takeover)?.text === other.text) unlinkIfPresent(takeover);
    return false;
  }
  try {
    // Only the takeover holder unlinks, and an abandoned holder never releases: the text cannot change before this.
    if (readLock(path)?.text === judged) unlinkIfPresent(path);
    return true;
  } finally {
    unlinkIfPresent(takeover);
  }
}

/**
 * Resolves when the lock or its takeover file changes, or after `pollMs` (a SIGKILLed holder changes nothing). Other
 * names in the directory (every comer's drafts) do not wake it: waiters would wake each other without end.
 */
function nextChange(path: string, pollMs: number): Promise<void> {
  return new Promise((resolve) => {
    let watcher: ReturnType<typeof watch> | undefined;
    const timer = setTimeout(() => finish(), pollMs);
    function finish(): void {
      clearTimeout(timer);
      watcher?.close();
      resolve();
    }
    try {
      const names = [basename(path), `${basename(path)}.takeover`];
      watcher = watch(dirname(path), (_event, name) => {
        if (name === null || names.includes(name)) finish();
      });
      watcher.on('error', () => finish());
    } catch {
      // No inotify left (ENOSPC, EMFILE): the poll alone.
      watcher = undefined;
    }
  });
}

/**
 * The locks' directory, shared by every user who drives the host's Docker engine: world-writable with the sticky bit,
 * like /tmp, so each may create locks and only a lock's owner (or root) removes it.
 */
function prepareLockDir(dir: string): void {
  try {
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new PodlawError('cluster', `cannot create a lock in ${dir}`, `let this user write there (chmod 1777 ${dir}), or remove it`);
  }
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
  prepareLockDir(dirname(path));
  const ownStat = statLine(process.pid);
  if (ownStat === undefined) {
    throw new PodlawError('cluster', `/proc/${process.pid}/stat cannot be read`, 'the cluster lock names its holder from /proc: mount it');
  }
  const startTicks = startTicksOf(ownStat) ?? '';
  const deadline = Date.now() + bound.ms;
  let announced: string | undefined;
  for (;;) {
    // Written at each attempt: `since` is when the lock was taken, not when the wait began.
    const mine = JSON.stringify({ pid: process.pid, startTicks, command, since: new Date().toISOString() } satisfies LockHolder);
    if (createWhole(path, mine)) {
      return () => {
        if (readLock(path)?.text === mine) unlinkIfPresent(path);
      };
    }
    const seen = readLock(path);
    if (seen === undefined) continue;
    const { holder } = seen;
    if (holder?.pid === process.pid && holder.startTicks === startTicks) {
      throw new Error(`this process already holds ${path} (${holder.command}): a nested acquire would wait for itself`);
    }
    if (abandoned(seen)) {
      if (takeOver(path, seen.text, mine)) continue;
      // Another comer is taking it over: wait below like any waiter, within the bound.
    } else if (announced !== seen.text) {
      if (holder !== undefined) onWait(holder);
      announced = seen.text;
    }
    if (Date.now() >= deadline && abandoned(seen)) {
      const taking = readLock(`${path}.takeover`)?.holder;
      throw new PodlawError(
        'cluster',
        `${path} was left by a process that is gone, and ${taking === undefined ? 'another comer' : `${taking.command} (pid ${taking.pid})`} has been taking it over for ${describeTimeout(bound)}`,
        `stop that process, or remove ${path}.takeover if nothing else runs`,
      );
    }
    if (Date.now() >= deadline) {
      const who = holder === undefined ? 'a lock file of unknown format' : `${holder.command} (pid ${holder.pid}, since ${holder.since})`;
      throw new PodlawError(
        'cluster',
        `${who} still holds ${path} after ${describeTimeout(bound)}`,
        holder === undefined ? `remove ${path} if nothing else runs` : `wait for it to end, or stop it (kill ${holder.pid}) and rerun`,
      );
    }
    await nextChange(path, Math.min(abandoned(seen) ? 50 : 1_000, Math.max(1, deadline - Date.now())));
  }
}
