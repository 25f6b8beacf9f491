import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { laws } from '../../src/laws/catalog/index.ts';
import type { LawId } from '../../src/laws/catalog/index.ts';
import { countVerdicts, lawVerdicts, summaryLine, verdictFor } from '../../src/report/verdicts.ts';
import type { LawTestResult, TestStatus } from '../../src/report/verdicts.ts';
import { renderJson, renderMarkdown } from '../../src/report/render.ts';
import { annotationOf, durationObservation, factObservation } from '../../src/timeline/observation.ts';
import { readinessFlip } from '../../src/laws/expectations/index.ts';
import { tolerances } from '../../src/laws/expectation.ts';

function result(laws: LawId[], status: TestStatus, notApplicableReason?: string): LawTestResult {
  return {
    title: `t ${laws.join(',')} ${status}`,
    file: 'f.spec.ts',
    laws,
    status,
    notApplicableReason,
    observations: [],
    error: status === 'failed' ? 'boom' : undefined,
    durationMs: 1,
  };
}

describe('verdictFor', () => {
  it('is not run without tests', () => {
    assert.equal(verdictFor([]).verdict, 'not run');
  });
  it('fails if any test failed or timed out', () => {
    assert.equal(verdictFor([result(['PRB-1'], 'passed'), result(['PRB-1'], 'timedOut')]).verdict, 'failed');
  });
  it('is not applicable only when every test declared it, with the reasons', () => {
    const v = verdictFor([result(['NPE-7'], 'skipped', 'oom_score_adj clamped')]);
    assert.deepEqual(v, { verdict: 'not applicable', reason: 'oom_score_adj clamped' });
  });
  it('treats a plain skip as not run, never as passed or not applicable', () => {
    assert.equal(verdictFor([result(['PRB-1'], 'passed'), result(['PRB-1'], 'skipped')]).verdict, 'not run');
  });
  it('reads not run, with the reason, for a test that met a cluster that failed its smoke checks, skipped or failed', () => {
    const reason = 'not judged: the cluster failed its smoke checks: dns (failed)';
    for (const status of ['skipped', 'failed'] as const) {
      assert.deepEqual(verdictFor([{ ...result(['NOD-5'], status), notJudgedReason: reason }]), { verdict: 'not run', reason });
    }
  });
  it('passes when tests passed and the others were not applicable', () => {
    assert.equal(verdictFor([result(['PRB-1'], 'passed'), result(['PRB-1'], 'skipped', 'x')]).verdict, 'passed');
  });
  it('reports interrupted runs as not run', () => {
    assert.equal(verdictFor([result(['PRB-1'], 'interrupted')]).verdict, 'not run');
  });
});

describe('law verdicts and the summary line', () => {
  const results = [result(['PRB-1'], 'passed'), result(['PRB-2'], 'failed'), result(['RST-2', 'NPE-7'], 'skipped', 'clamped')];
  const verdicts = lawVerdicts(laws, results);
  const counts = countVerdicts(verdicts);
  it('lists every law of the registry', () => {
    assert.equal(verdicts.length, laws.length);
  });
  it('counts verdicts and prints the closing line', () => {
    assert.deepEqual(counts, { passed: 1, failed: 1, deviatesKnown: 0, notApplicable: 2, notRun: laws.length - 4 });
    assert.equal(summaryLine(counts), `laws: 1 passed, 1 failed, 0 deviates (known), 2 not applicable, ${laws.length - 4} not run`);
    assert.equal(
      summaryLine({ passed: 3, failed: 0, deviatesKnown: 1, notApplicable: 1, notRun: 0 }),
      'laws: 3 passed, 0 failed, 1 deviates (known), 1 not applicable',
    );
  });
  it('renders JSON and Markdown with every law', () => {
    const run = { startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1000, runId: 'r', playwrightStatus: 'failed' };
    const json = JSON.parse(renderJson(run, counts, verdicts)) as { laws: { id: string; verdict: string }[] };
    assert.equal(json.laws.length, laws.length);
    assert.equal(json.laws.find((l) => l.id === 'NPE-7')?.verdict, 'not applicable');
    const md = renderMarkdown(run, counts, verdicts);
    for (const law of laws) assert.ok(md.includes(`[${law.id}]`), law.id);
    assert.ok(md.includes('not applicable: clamped'));
  });
});

describe('observations', () => {
  it('puts the measured figure next to the expected one, with the source', () => {
    const o = durationObservation('PRB-3', readinessFlip('unready', 1, 2), 2_340, tolerances.none);
    assert.equal(o.ok, true);
    assert.equal(o.measured, '2.3 s');
    assert.match(o.expected, /^0.001 s–3 s \(\(threshold 2 − 1\) × period 1 s/);
    const a = annotationOf(o);
    assert.equal(a.type, 'measured:PRB-3 readiness failure → Ready=False');
    assert.match(a.description, /^2\.3 s \(expected 0.001 s–3 s/);
    assert.match(a.description, /source: readiness probe fields/);
  });
  it('flags a mismatch', () => {
    const o = durationObservation('PRB-3', readinessFlip('unready', 1, 2), 9_000, tolerances.timestampResolution);
    assert.equal(o.ok, false);
    assert.match(annotationOf(o).description, /MISMATCH/);
    assert.equal(factObservation('PRB-1', 'periodSeconds', '10', '10', 'docs').ok, true);
  });
});
