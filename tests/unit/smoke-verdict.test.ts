import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import {
  decideSmokeVerdict,
  prepareSmokeVerdictDir,
  removeSmokeVerdictDir,
  staleSmokeVerdictAgeMs,
  sweepStaleRunLeftovers,
  writeSmokeVerdict,
} from '../../src/smoke-verdict.ts';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmokeVerdictMissingError, waitForSmokeVerdict } from '../../src/lifecycle/smoke-verdict-wait.ts';
import { notJudgedReason } from '../../src/harness/smoke-gate.ts';

test('the verdict waits for every selected check, and passes when none failed (a not-applicable one is skipped)', () => {
  assert.equal(decideSmokeVerdict(3, [{ title: 'a', status: 'passed' }]), undefined);
  assert.equal(
    decideSmokeVerdict(3, [
      { title: 'a', status: 'passed' },
      { title: 'b', status: 'skipped' },
    ]),
    undefined,
  );
  assert.deepEqual(
    decideSmokeVerdict(3, [
      { title: 'a', status: 'passed' },
      { title: 'b', status: 'skipped' },
      { title: 'c', status: 'passed' },
    ]),
    { state: 'passed', checks: 3, failed: [] },
  );
});

test('the verdict fails at the first check that fails, before the others end', () => {
  assert.deepEqual(decideSmokeVerdict(5, [{ title: 'dns', status: 'timedOut' }]), {
    state: 'failed',
    checks: 5,
    failed: ['dns (timedOut)'],
  });
  assert.equal(decideSmokeVerdict(5, [{ title: 'dns', status: 'interrupted' }])?.state, 'failed');
});

test('a run that selected no smoke check passes at once, saying so', () => {
  assert.deepEqual(decideSmokeVerdict(0, []), { state: 'passed', checks: 0, failed: [] });
});

test('a waiting worker sees a verdict written after it began to wait', async () => {
  const runId = `unit-${randomUUID()}`;
  prepareSmokeVerdictDir(runId);
  try {
    const waiting = waitForSmokeVerdict(runId, namedTimeout('unit test 5 s', 5_000));
    setImmediate(() => writeSmokeVerdict(runId, { state: 'failed', checks: 2, failed: ['x (failed)'] }));
    assert.deepEqual(await waiting, { state: 'failed', checks: 2, failed: ['x (failed)'] });
    // And one written before it began.
    assert.equal((await waitForSmokeVerdict(runId, namedTimeout('unit test 5 s', 5_000))).state, 'failed');
  } finally {
    removeSmokeVerdictDir(runId);
  }
});

test('no verdict: a run without the reporter fails at once, a verdict that never comes at its named timeout', async () => {
  const runId = `unit-${randomUUID()}`;
  await assert.rejects(waitForSmokeVerdict(runId, namedTimeout('unit test 5 s', 5_000)), (error: unknown) => {
    return error instanceof SmokeVerdictMissingError && error.timeout === undefined && error.message.includes('smoke-gate-reporter');
  });
  prepareSmokeVerdictDir(runId);
  try {
    await assert.rejects(waitForSmokeVerdict(runId, namedTimeout('unit test 0.2 s', 200)), (error: unknown) => {
      return error instanceof SmokeVerdictMissingError && error.timeout?.ms === 200 && error.message.includes('unit test 0.2 s');
    });
  } finally {
    removeSmokeVerdictDir(runId);
  }
});

test('a test is judged only after smoke checks that ran and passed', () => {
  assert.equal(notJudgedReason({ state: 'passed', checks: 5, failed: [] }), undefined);
  assert.match(notJudgedReason({ state: 'failed', checks: 5, failed: ['dns (failed)'] }) ?? '', /failed its smoke checks: dns \(failed\)/);
  assert.match(notJudgedReason({ state: 'passed', checks: 0, failed: [] }) ?? '', /selected no smoke check/);
});

test('a new run never reads the verdict a killed run left under the same id', async () => {
  const runId = `unit-${randomUUID()}`;
  prepareSmokeVerdictDir(runId);
  try {
    writeSmokeVerdict(runId, { state: 'passed', checks: 5, failed: [] });
    prepareSmokeVerdictDir(runId);
    await assert.rejects(waitForSmokeVerdict(runId, namedTimeout('unit test 0.2 s', 200)), SmokeVerdictMissingError);
  } finally {
    removeSmokeVerdictDir(runId);
  }
});

test("a killed run's directory and files are swept a day later, a live one is left, and nothing else is touched", () => {
  const base = mkdtempSync(join(tmpdir(), 'podlaw-sweep-'));
  try {
    const nowMs = Date.now();
    const at = (name: string, ageMs: number): string => {
      const path = join(base, name);
      mkdirSync(path);
      const seconds = (nowMs - ageMs) / 1000;
      utimesSync(path, seconds, seconds);
      return path;
    };
    const stale = at('podlaw-run-killed', staleSmokeVerdictAgeMs + 1_000);
    at('podlaw-run-live', staleSmokeVerdictAgeMs - 60_000);
    at('not-podlaw', staleSmokeVerdictAgeMs + 1_000);
    // A killed run's timing file (runFilePath) goes with its directory.
    const staleFile = join(base, 'podlaw-run-killed-cluster-timing.json');
    writeFileSync(staleFile, '{}');
    const staleSeconds = (nowMs - staleSmokeVerdictAgeMs - 1_000) / 1000;
    utimesSync(staleFile, staleSeconds, staleSeconds);
    assert.deepEqual(sweepStaleRunLeftovers(nowMs, base).sort(), [stale, staleFile].sort());
    assert.deepEqual(sweepStaleRunLeftovers(nowMs, base), []);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
