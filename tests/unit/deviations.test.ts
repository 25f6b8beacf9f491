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

const v = (gitVersion: string) => {
  const [major, minor] = gitVersion.slice(1).split('.').map(Number);
  return { major: major ?? 0, minor: minor ?? 0, gitVersion };
};
const deviating = {
  law: 'PRB-7' as const,
  name: 'delete → pod Ready=False',
  measured: 'still Ready',
  expected: 'Ready=False',
  source: 's',
  ok: false,
};

test('every known deviation names a law of the catalog, a release range and a signature', () => {
  for (const d of knownDeviations) {
    assert.ok(isLawId(d.law), d.law);
    assert.doesNotThrow(() => deviationFor(d.law, v('v1.36.3')), d.releases);
    assert.ok(d.signature.length > 0, `${d.law} has a signature`);
  }
});

test('a deviation applies only to the releases it declares', () => {
  assert.equal(deviationFor('PRB-7', v('v1.36.3'))?.law, 'PRB-7');
  assert.equal(deviationFor('PRB-7', v('v1.37.0')), undefined);
  assert.equal(deviationFor('PRB-7', v('v1.35.9')), undefined);
  assert.equal(deviationFor('PRB-2', v('v1.36.3')), undefined);
});

test('exactly the signature failing in a passed test is "deviates (known)", not passed or failed', () => {
  const result = verdictFor([
    { ...base, knownDeviation: 'Ready stays True', deviationSignature: [deviating.name], observations: [deviating] },
  ]);
  assert.equal(result.verdict, 'deviates (known)');
});

test('another observation failing besides the signature is a new failure', () => {
  const other = { ...deviating, name: 'endpoint ready condition' };
  const result = verdictFor([{ ...base, deviationSignature: [deviating.name], observations: [deviating, other] }]);
  assert.equal(result.verdict, 'failed');
  assert.match(result.reason ?? '', /new failure.*endpoint ready condition/);
});

test('a test that failed or timed out is failed even with a declared deviation (a harness error is not the deviation)', () => {
  const result = verdictFor([{ ...base, status: 'timedOut', knownDeviation: 'Ready stays True', deviationSignature: [deviating.name] }]);
  assert.equal(result.verdict, 'failed');
});

test('a declared deviation that no longer deviates is failed as stale', () => {
  const result = verdictFor([{ ...base, deviationSignature: [deviating.name], observations: [{ ...deviating, ok: true }] }]);
  assert.equal(result.verdict, 'failed');
  assert.match(result.reason ?? '', /no longer seen/);
});

test('a passed test with a measurement outside its documented range fails its law', () => {
  const offRange = { law: 'PRB-7' as const, name: 'delete → unready', measured: '9 s', expected: '≤ 2 s', source: 'pod spec', ok: false };
  const result = verdictFor([{ ...base, observations: [offRange] }]);
  assert.equal(result.verdict, 'failed');
  assert.match(result.reason ?? '', /measured 9 s, expected ≤ 2 s/);
});

test('a passed test of several laws fails only the law whose observation is off range', () => {
  const offRange = { ...deviating, law: 'NOD-4' as const, name: 'client: failed requests after endpoint removal' };
  const inRange = { ...deviating, law: 'NOD-1' as const, name: 'last heartbeat → Ready=Unknown', ok: true };
  const lossTest: LawTestResult = { ...base, laws: ['NOD-1', 'NOD-4'], observations: [inRange, offRange] };
  assert.equal(verdictFor([lossTest], 'NOD-4').verdict, 'failed');
  assert.equal(verdictFor([lossTest], 'NOD-1').verdict, 'passed');
  // The same test failing outright fails both: its error belongs to no one law.
  assert.equal(verdictFor([{ ...lossTest, status: 'failed', error: 'timeout' }], 'NOD-1').verdict, 'failed');
});
