import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeClaims, seedClaims, type SeedClaim } from '../../src/report/claims.ts';
import type { Observation } from '../../src/timeline/observation.ts';

const wrongClaim: SeedClaim = {
  source: 'x.txt',
  sentence: 's',
  law: 'NOD-4',
  observation: 'lost node: pod phase',
  agreesWithDocs: false,
  documentedTruth: 't',
};
const observation = (ok: boolean): Observation => ({
  law: 'NOD-4',
  name: 'lost node: pod phase',
  measured: 'Running',
  expected: 'Running',
  source: 'docs',
  ok,
});

describe('judgeClaims', () => {
  it('reports a claim without its deciding observation as not checked', () => {
    assert.equal(judgeClaims([wrongClaim], [])[0]?.verdict, 'not checked in this run');
  });
  it('calls a claim that contradicts a documented rule that held false, with the evidence', () => {
    const [result] = judgeClaims([wrongClaim], [observation(true)]);
    assert.equal(result?.verdict, 'false');
    assert.deepEqual(result?.evidence, ['lost node: pod phase: measured Running, expected Running']);
  });
  it('calls a claim held when the documented rule it contradicts did not hold', () => {
    assert.equal(judgeClaims([wrongClaim], [observation(false)])[0]?.verdict, 'held');
  });
  it('calls a claim agreeing with the docs held when its observation is ok', () => {
    assert.equal(judgeClaims([{ ...wrongClaim, agreesWithDocs: true }], [observation(true)])[0]?.verdict, 'held');
  });
  it('lists the four wrong claims named in the issue, and the wrong init-request sum, as contradicting the docs', () => {
    assert.deepEqual(
      seedClaims.filter((c) => !c.agreesWithDocs).map((c) => c.law),
      ['TRM-1', 'NPE-5', 'NOD-4', 'NOD-4', 'INI-1'],
    );
  });
});

it('an observation recorded per object (name + " (web)") decides the claim of that name', () => {
  const [result] = judgeClaims(
    seedClaims.filter((c) => c.observation === 'lost node: pod phase'),
    [
      {
        law: 'NOD-4',
        name: 'lost node: pod phase (web)',
        measured: 'Running with Ready=False',
        expected: 'Running with Ready=False',
        source: 's',
        ok: true,
      },
      { law: 'NOD-4', name: 'lost node: pod phase unrelated', measured: 'x', expected: 'y', source: 's', ok: false },
    ],
  );
  assert.equal(result?.verdict, 'false');
  assert.equal(result?.evidence.length, 1);
});

describe('seed claims name observations the suites record', () => {
  // A renamed observation leaves its claim "not checked" forever (SA-1's did): each name must appear in a suite or helper.
  const sources = ['suites', 'src/harness']
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(f, 'utf8'));
  for (const claim of seedClaims) {
    it(`${claim.law}: "${claim.observation}"`, () => {
      // The whole name as a literal, or as the head of "name (object)": claims decide by exact name or that prefix.
      const escaped = claim.observation.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const literal = new RegExp(`[\`'"]${escaped}(?:[\`'"]| \\()`);
      assert.ok(
        sources.some((text) => literal.test(text)),
        `no suite or harness helper records "${claim.observation}"`,
      );
    });
  }
});
