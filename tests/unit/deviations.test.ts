import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviationFor, knownDeviations } from '../../src/laws/deviations.ts';
import { isLawId } from '../../src/laws/catalog/index.ts';
import { verdictFor } from '../../src/report/verdicts.ts';
import type { LawTestResult } from '../../src/report/verdicts.ts';

const base: LawTestResult = {
  title: 't',
  file: 'f',
  laws: ['PRB-7'],
  status: 'passed',
  notApplicableReason: undefined,
  observations: [],
  error: undefined,
  durationMs: 1,
};

test('every known deviation names a law of the catalog and a minor version', () => {
  for (const d of knownDeviations) {
    assert.ok(isLawId(d.law), d.law);
    assert.ok(
      d.minors.every((m) => /^\d+\.\d+$/.test(m)),
      d.minors.join(),
    );
  }
});

test('a deviation applies only to the minors it was seen on', () => {
  assert.equal(deviationFor('PRB-7', { major: 1, minor: 36 })?.law, 'PRB-7');
  assert.equal(deviationFor('PRB-7', { major: 1, minor: 37 }), undefined);
  assert.equal(deviationFor('PRB-2', { major: 1, minor: 36 }), undefined);
});

test('an expected failure from a known deviation is still a failed law, with the deviation as reason', () => {
  const result = verdictFor([{ ...base, status: 'failed', knownDeviation: 'Ready stays True' }]);
  assert.equal(result.verdict, 'failed');
  assert.match(result.reason ?? '', /^known deviation: Ready stays True/);
});

test('a pass despite a declared deviation is a pass that says the entry is stale', () => {
  const result = verdictFor([{ ...base, knownDeviation: 'Ready stays True' }]);
  assert.equal(result.verdict, 'passed');
  assert.match(result.reason ?? '', /stale|remove it/);
});

test('a passed test with a measurement outside its documented range fails its law', () => {
  const offRange = { law: 'PRB-7' as const, name: 'delete → unready', measured: '9 s', expected: '≤ 2 s', source: 'pod spec', ok: false };
  const result = verdictFor([{ ...base, observations: [offRange] }]);
  assert.equal(result.verdict, 'failed');
  assert.match(result.reason ?? '', /measured 9 s, expected ≤ 2 s/);
});
