import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, inRange, judgeDeviation, verdictCounts } from '../../src/laws/deviation-policy.ts';

const v = (major: number, minor: number, patch: number) => ({ major, minor, patch });

describe('deviation release ranges', () => {
  it('covers patch releases inside the range and nothing outside', () => {
    assert.equal(inRange(v(1, 36, 3), '>=1.36.0 <1.37.0'), true);
    assert.equal(inRange(v(1, 37, 0), '>=1.36.0 <1.37.0'), false);
    assert.equal(inRange(v(1, 35, 9), '>=1.36.0 <1.37.0'), false);
  });
  it('can end inside a minor (fixed in 1.36.4)', () => assert.equal(inRange(v(1, 36, 4), '>=1.36.0 <1.36.4'), false));
  it('rejects a minor-only bound', () => assert.throws(() => inRange(v(1, 36, 3), '>=1.36')));
});

describe('deviation signature', () => {
  const signature = ['pod Ready=False after deletion'];
  it('deviates (known) when exactly the signature fails', () => {
    assert.equal(judgeDeviation(signature, ['pod Ready=False after deletion']).verdict, 'deviates (known)');
  });
  it('fails as a NEW failure when anything else fails too', () => {
    const j = judgeDeviation(signature, ['pod Ready=False after deletion', 'endpoint ready=false']);
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /new failure.*endpoint ready=false/);
  });
  it('fails as stale when the signature no longer fails', () => {
    assert.match(judgeDeviation(signature, []).reason, /no longer seen/);
  });
});

describe('exit code follows the law verdicts', () => {
  it('is 0 for passed, not applicable and known deviations', () => {
    assert.equal(exitCodeFor(['passed', 'deviates (known)', 'not applicable']), 0);
  });
  it('is 1 when any law failed', () => assert.equal(exitCodeFor(['passed', 'deviates (known)', 'failed']), 1));
  it('counts deviations apart from passed and failed', () => {
    const counts = verdictCounts(['passed', 'deviates (known)', 'failed', 'passed']);
    assert.deepEqual([counts.passed, counts.failed, counts['deviates (known)']], [2, 1, 1]);
  });
});
