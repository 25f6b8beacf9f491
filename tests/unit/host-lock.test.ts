import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../src/errors.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import { acquireHostLock, holderRuns, parseLockHolder, startTicksOf, type LockHolder } from '../../src/provision/lib/host-lock.ts';

const holder: LockHolder = { pid: 4242, startTicks: '123456', command: 'cluster up', since: '2026-11-24T16:00:00.000Z' };
/** A /proc/<pid>/stat line whose command name holds a space and a parenthesis; starttime (field 22) is 123456. */
const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 11 0 123456 1000 50';

test('a lock file names its holder; anything else names none', () => {
  assert.deepEqual(parseLockHolder(JSON.stringify(holder)), holder);
  assert.equal(parseLockHolder(''), undefined);
  assert.equal(parseLockHolder('{"pid":'), undefined);
  assert.equal(parseLockHolder(JSON.stringify({ ...holder, pid: 0 })), undefined);
  assert.equal(parseLockHolder(JSON.stringify({ ...holder, pid: 1.5 })), undefined);
  assert.equal(parseLockHolder(JSON.stringify({ ...holder, startTicks: 123456 })), undefined);
});

test("the start time is field 22 of /proc/<pid>/stat, whatever the command's name holds", () => {
  assert.equal(startTicksOf(stat), '123456');
  assert.match(startTicksOf(readFileSync('/proc/self/stat', 'utf8')) ?? '', /^\d+$/);
});

test('the holder runs only while its pid exists with the start time it wrote (a reused pid, a zombie are not it)', () => {
  assert.equal(holderRuns(holder, stat), true);
  assert.equal(holderRuns(holder, undefined), false);
  assert.equal(holderRuns(holder, stat.replace(' 123456 ', ' 123457 ')), false);
  assert.equal(holderRuns(holder, stat.replace(') S ', ') Z ')), false);
});

function tempLock(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-lock-test-'));
  mkdirSync(join(dir, 'locks'));
  return { path: join(dir, 'locks', 'cluster.lock'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

const shortBound = namedTimeout('test bound 1.5 s', 1_500);

const hostLockModule = new URL('../../src/provision/lib/host-lock.ts', import.meta.url).pathname;

/** A module script for a child process, with the lock's module imported as `acquireHostLock`. */
function childScript(lines: readonly string[]): string {
  return [`const { acquireHostLock } = await import(${JSON.stringify(hostLockModule)});`, ...lines].join('\n');
}

/** The pid of a process that has ended: a holder that is gone. */
async function pidOfEndedProcess(): Promise<number> {
  const child = execa('true');
  const pid = child.pid ?? 1;
  await child;
  return pid;
}

/** Another process holding the lock (this one may not wait for itself): resolves once it holds it; stop() ends it. */
async function holdInChild(path: string, command: string): Promise<{ pid: number; stop: () => Promise<void> }> {
  const script = childScript([
    `const release = await acquireHostLock(${JSON.stringify(path)}, ${JSON.stringify(command)}, { name: 'test bound 20 s', ms: 20000 }, () => {});`,
    `process.stdout.write('held\\n');`,
    `process.stdin.on('end', () => { release(); process.exit(0); });`,
    `process.stdin.resume();`,
  ]);
  const child = execa(process.execPath, ['--input-type=module', '-e', script], { stdin: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve();
    });
    child.catch(reject);
  });
  return {
    pid: child.pid ?? 0,
    stop: async () => {
      child.stdin?.end();
      await child;
    },
  };
}

test('a free lock is taken and released; the release removes only its own file', async () => {
  const lock = tempLock();
  try {
    const release = await acquireHostLock(lock.path, 'cluster up', shortBound, () => assert.fail('nobody to wait for'));
    assert.equal(parseLockHolder(readFileSync(lock.path, 'utf8'))?.pid, process.pid);
    release();
    assert.equal(existsSync(lock.path), false);
    const again = await acquireHostLock(lock.path, 'cluster up', shortBound, () => assert.fail('nobody to wait for'));
    writeFileSync(lock.path, JSON.stringify(holder));
    again();
    assert.equal(readFileSync(lock.path, 'utf8'), JSON.stringify(holder), "another holder's file stays");
  } finally {
    lock.done();
  }
});

test('a lock left by a process that is gone (killed, or its pid reused) is taken over without waiting', async () => {
  const lock = tempLock();
  try {
    const endedPid = await pidOfEndedProcess();
    for (const left of [
      { ...holder, pid: endedPid },
      { ...holder, pid: process.pid, startTicks: 'not-this-process' },
    ]) {
      writeFileSync(lock.path, JSON.stringify(left));
      const release = await acquireHostLock(lock.path, 'cluster up', shortBound, () => assert.fail(`waited for ${JSON.stringify(left)}`));
      assert.equal(parseLockHolder(readFileSync(lock.path, 'utf8'))?.pid, process.pid);
      release();
    }
  } finally {
    lock.done();
  }
});

test('a live holder is waited for, named once, and the wait ends at its bound with a one-line error', async () => {
  const lock = tempLock();
  try {
    const holding = await holdInChild(lock.path, 'cluster up --recreate');
    const waitedFor: LockHolder[] = [];
    const started = Date.now();
    await assert.rejects(
      acquireHostLock(lock.path, 'podlaw run', shortBound, (h) => waitedFor.push(h)),
      (error: unknown) =>
        error instanceof PodlawError &&
        error.kind === 'cluster' &&
        error.message.startsWith(`cluster up --recreate (pid ${holding.pid}`) &&
        error.message.includes('test bound 1.5 s') &&
        !error.message.includes('\n'),
    );
    assert.ok(Date.now() - started >= shortBound.ms, 'waited the whole bound');
    assert.deepEqual(
      waitedFor.map((h) => h.command),
      ['cluster up --recreate'],
    );
    await holding.stop();
  } finally {
    lock.done();
  }
});

test('a waiter takes the lock as soon as the holder releases it', async () => {
  const lock = tempLock();
  try {
    const holding = await holdInChild(lock.path, 'cluster up');
    const waiting = acquireHostLock(lock.path, 'podlaw run', namedTimeout('test bound 10 s', 10_000), () => undefined);
    const releasedAt = Date.now();
    await holding.stop();
    const releaseSecond = await waiting;
    // The directory's watch wakes the waiter; the 1 s re-check alone would take longer than this.
    assert.ok(Date.now() - releasedAt < 800, `woke ${Date.now() - releasedAt} ms after the release began`);
    assert.equal(JSON.parse(readFileSync(lock.path, 'utf8')).command, 'podlaw run');
    releaseSecond();
  } finally {
    lock.done();
  }
});

test("a lock file that names no holder is waited for while young (it may be another tool's), taken over once old", async () => {
  const lock = tempLock();
  try {
    writeFileSync(lock.path, 'not a holder');
    await assert.rejects(
      acquireHostLock(lock.path, 'cluster up', namedTimeout('test bound 0.5 s', 500), () => undefined),
      PodlawError,
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock.path, old, old);
    const release = await acquireHostLock(lock.path, 'cluster up', shortBound, () => assert.fail('nothing to wait for'));
    release();
  } finally {
    lock.done();
  }
});

test('a process that already holds the lock is stopped at once instead of waiting for itself', async () => {
  const lock = tempLock();
  try {
    const release = await acquireHostLock(lock.path, 'cluster up', shortBound, () => assert.fail('nobody to wait for'));
    const started = Date.now();
    await assert.rejects(
      acquireHostLock(lock.path, 'bench cluster', shortBound, () => undefined),
      /already holds/,
    );
    assert.ok(Date.now() - started < shortBound.ms);
    release();
  } finally {
    lock.done();
  }
});

/** Runs a module script in a child process (the lock's module imported as `acquireHostLock`); resolves to its stdout. */
async function runChild(body: string): Promise<string> {
  return (await execa(process.execPath, ['--input-type=module', '-e', childScript([body])])).stdout;
}

test("processes that keep taking over each other's abandoned lock are never inside together", async () => {
  const lock = tempLock();
  try {
    const inside = join(lock.path, '..', 'inside');
    // Each round: take the lock, mark being inside (fails if another is), then leave the lock as a killed holder would:
    // a dead pid's text, different every round, which the others must take over.
    const body = `
      import('node:fs').then(async ({ writeFileSync, unlinkSync }) => {
        let overlaps = 0;
        for (let round = 0; round < 40; round += 1) {
          await acquireHostLock(${JSON.stringify(lock.path)}, 'stress', { name: 'test bound 60 s', ms: 60000 }, () => {});
          try { writeFileSync(${JSON.stringify(inside)}, String(process.pid), { flag: 'wx' }); } catch { overlaps += 1; continue; }
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 4)));
          unlinkSync(${JSON.stringify(inside)});
          const dead = { pid: 2147483646, startTicks: '1', command: 'killed' + ' '.repeat(round) + process.pid, since: new Date().toISOString() };
          writeFileSync(${JSON.stringify(lock.path)}, JSON.stringify(dead));
        }
        console.log('overlaps ' + overlaps);
      });`;
    const outputs = await Promise.all([1, 2, 3, 4].map(() => runChild(body)));
    assert.deepEqual(outputs, ['overlaps 0', 'overlaps 0', 'overlaps 0', 'overlaps 0']);
  } finally {
    lock.done();
  }
});

test('a takeover file left by a comer that is gone is removed, and the lock taken', async () => {
  const lock = tempLock();
  try {
    const endedPid = await pidOfEndedProcess();
    const dead = JSON.stringify({ ...holder, pid: endedPid });
    writeFileSync(lock.path, dead);
    writeFileSync(`${lock.path}.takeover`, dead);
    const release = await acquireHostLock(lock.path, 'cluster up', shortBound, () => assert.fail('nothing alive to wait for'));
    release();
    assert.equal(existsSync(`${lock.path}.takeover`), false);
  } finally {
    lock.done();
  }
});

test('a takeover that never ends (its comer alive but stopped) ends the wait at its bound, timers still running', async () => {
  const lock = tempLock();
  const sleeper = execa('sleep', ['30']);
  try {
    const stat = readFileSync(`/proc/${sleeper.pid ?? 0}/stat`, 'utf8');
    writeFileSync(lock.path, JSON.stringify({ ...holder, pid: 2147483646 }));
    writeFileSync(`${lock.path}.takeover`, JSON.stringify({ ...holder, pid: sleeper.pid ?? 0, startTicks: startTicksOf(stat) ?? '' }));
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 100);
    await assert.rejects(
      acquireHostLock(lock.path, 'cluster up', shortBound, () => undefined),
      (error: unknown) => error instanceof PodlawError && error.message.includes('taking it over'),
    );
    clearInterval(ticker);
    assert.ok(ticks >= 10, `the event loop ran meanwhile (${ticks} ticks of 100 ms)`);
  } finally {
    sleeper.kill();
    await sleeper.catch(() => undefined);
    lock.done();
  }
});

test('waiters do not wake each other: two of them use little CPU while a holder keeps the lock', async () => {
  const lock = tempLock();
  try {
    const holding = await holdInChild(lock.path, 'cluster up');
    const body = `
      const before = process.cpuUsage();
      const waiting = acquireHostLock(${JSON.stringify(lock.path)}, 'waiter', { name: 'test bound 20 s', ms: 20000 }, () => {});
      const release = await waiting;
      const used = process.cpuUsage(before);
      release();
      console.log(String(Math.round((used.user + used.system) / 1000)));`;
    const waiters = [runChild(body), runChild(body)];
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await holding.stop();
    const cpuMs = (await Promise.all(waiters)).map(Number);
    for (const ms of cpuMs) assert.ok(ms < 300, `a waiter used ${ms} ms of CPU over a 2 s wait: ${cpuMs.join(', ')}`);
  } finally {
    lock.done();
  }
});
