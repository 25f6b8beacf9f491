/**
 * The machine-readable reports against their schemas: laws.json against
 * schemas/laws.schema.json (ajv, JSON Schema 2020-12), junit.xml against schemas/junit.xsd
 * (xmllint, libxml2's validator), plus the JUnit mapping of verdicts (classname, properties,
 * failure message, skipped reason).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { laws } from '../../src/laws/catalog/index.ts';
import type { LawId } from '../../src/laws/catalog/index.ts';
import { tolerances } from '../../src/laws/expectation.ts';
import { readinessFlip } from '../../src/laws/expectations/index.ts';
import { failureMessage, renderJunit, xmlEscape } from '../../src/report/junit.ts';
import { lawsJsonSchemaId, lawsJsonSchemaVersion, renderJson } from '../../src/report/render.ts';
import { countVerdicts, lawVerdicts } from '../../src/report/verdicts.ts';
import type { LawTestResult, TestStatus } from '../../src/report/verdicts.ts';
import { durationObservation, factObservation, type Observation } from '../../src/timeline/observation.ts';

const root = resolve(import.meta.dirname, '..', '..');

function result(ids: LawId[], status: TestStatus, observations: Observation[] = [], notApplicableReason?: string): LawTestResult {
  return {
    title: `t ${ids.join(',')}`,
    file: 'suites/x.spec.ts',
    laws: ids,
    status,
    notApplicableReason,
    observations,
    error: status === 'failed' ? 'expect(received).toBe(expected) <&> "quoted"' : undefined,
    durationMs: 1234,
  };
}

const slow = durationObservation('PRB-3', readinessFlip('unready', 1, 2), 9_000, tolerances.timestampResolution);
const fine = factObservation('PRB-1', 'livenessProbe.periodSeconds', '10', '10', 'documented default');
const results = [
  result(['PRB-1'], 'passed', [fine]),
  result(['PRB-3'], 'passed', [slow]),
  result(['PRB-2'], 'failed'),
  result(['NPE-7'], 'skipped', [], 'oom_score_adj clamped by the host'),
];
const verdicts = lawVerdicts(laws, results);
const counts = countVerdicts(verdicts);
const run = { startedAt: '2026-11-23T05:00:00.000Z', durationMs: 61_000, runId: 'abc123', playwrightStatus: 'failed' };

describe('laws.json schema', () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/laws.schema.json'), 'utf8')) as { $id: string };
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
  it('has the $id and version the writer puts in laws.json', () => {
    assert.equal(schema.$id, lawsJsonSchemaId);
    const json = JSON.parse(renderJson(run, counts, verdicts)) as { $schema: string; schemaVersion: number };
    assert.equal(json.$schema, lawsJsonSchemaId);
    assert.equal(json.schemaVersion, lawsJsonSchemaVersion);
  });
  it('accepts what renderJson writes', () => {
    const json: unknown = JSON.parse(renderJson(run, counts, verdicts));
    assert.ok(validate(json), JSON.stringify(validate.errors));
  });
  it('rejects an unknown verdict and a missing schema version', () => {
    const json = JSON.parse(renderJson(run, counts, verdicts)) as { laws: { verdict: string }[]; schemaVersion?: number };
    json.laws[0]!.verdict = 'probably fine';
    assert.equal(validate(json), false);
    const unversioned = JSON.parse(renderJson(run, counts, verdicts)) as { schemaVersion?: number };
    delete unversioned.schemaVersion;
    assert.equal(validate(unversioned), false);
  });
});

async function xsdErrors(xml: string): Promise<string | undefined> {
  const file = join(mkdtempSync(join(tmpdir(), 'podlaw-junit-')), 'junit.xml');
  writeFileSync(file, xml);
  const lint = await execa('xmllint', ['--noout', '--schema', join(root, 'schemas/junit.xsd'), file], { reject: false });
  if (lint.exitCode === 0) return undefined;
  return `${lint.stderr} (xmllint exit ${String(lint.exitCode)}${lint.failed && lint.exitCode === undefined ? ': install libxml2-utils' : ''})`;
}

describe('junit.xml', () => {
  const xml = renderJunit(run, verdicts);
  it('validates against schemas/junit.xsd', async () => {
    assert.equal(await xsdErrors(xml), undefined);
  });
  it('fails schema validation when a testcase lacks its classname (the XSD is really applied)', async () => {
    assert.notEqual(await xsdErrors(xml.replace(/ classname="[^"]*"/, '')), undefined);
  });
  it('has one testcase per law, classname = family', () => {
    assert.equal(xml.match(/<testcase /g)?.length, laws.length);
    assert.match(xml, /<testcase classname="Probes and restarts" name="PRB-1 /);
  });
  it('puts measured, expected, source and the doc link in properties', () => {
    assert.match(xml, /<property name="livenessProbe.periodSeconds: measured" value="10"\/>/);
    assert.match(xml, /<property name="livenessProbe.periodSeconds: source" value="documented default"\/>/);
    assert.match(xml, /<property name="doc" value="https:\/\/kubernetes.io\//);
  });
  it('gives a failed law the failing observation as its message', () => {
    const prb3 = verdicts.find((v) => v.law.id === 'PRB-3')!;
    assert.equal(prb3.verdict, 'failed');
    assert.match(failureMessage(prb3), /^readiness failure → Ready=False: measured 9 s, expected .* \(source: readiness probe fields/);
    assert.ok(xml.includes(`message="${xmlEscape(failureMessage(prb3))}"`));
  });
  it('gives a law whose test failed the test error, escaped', () => {
    assert.match(xml, /message="t PRB-2: expect\(received\)\.toBe\(expected\) &lt;&amp;&gt; &quot;quoted&quot;"/);
  });
  it('skips not applicable and not run laws with the reason', () => {
    assert.match(xml, /<skipped message="not applicable: oom_score_adj clamped by the host"\/>/);
    assert.match(xml, /<skipped message="not run: no test checks this law yet, or it was not selected"\/>/);
  });
});
