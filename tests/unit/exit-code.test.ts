import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFromRun } from '../../src/report/exit-code.ts';

describe('run exit code from the law verdicts', () => {
  it('is 0 when every law passed', () => assert.equal(exitCodeFromRun(0, { failed: 0, deviatesKnown: 0 }), 0));
  it('is 0 when only known deviations are left', () => assert.equal(exitCodeFromRun(0, { failed: 0, deviatesKnown: 1 }), 0));
  it('is 1 when a law failed in a test Playwright passed (off-range measurement)', () =>
    assert.equal(exitCodeFromRun(0, { failed: 1, deviatesKnown: 0 }), 1));
  it('is 1 when Playwright failed', () => assert.equal(exitCodeFromRun(1, { failed: 0 }), 1));
  it('is 1 when no law summary was written', () => assert.equal(exitCodeFromRun(0, undefined), 1));
});
