import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeRatios, phaseOffsetMs } from '../../src/provision/lib/bench-flakes.ts';

describe('bench flakes: the runs wall/floor ratios', () => {
  it('lists each run, then the range and the mean', () =>
    assert.equal(describeRatios([1.381, 1.369, 1.366]), 'wall/floor 1.38, 1.37, 1.37 (1.37–1.38, mean 1.37)'));
  it('reads one run as its own range', () => assert.equal(describeRatios([1.25]), 'wall/floor 1.25 (1.25–1.25, mean 1.25)'));
});

describe("a run's start offset", () => {
  it('spans one PodGC period: 0 at the bottom, just under 20 s at the top', () => {
    assert.equal(
      phaseOffsetMs(() => 0),
      0,
    );
    assert.equal(
      phaseOffsetMs(() => 0.5),
      10_000,
    );
    assert.equal(
      phaseOffsetMs(() => 0.99999),
      19_999,
    );
  });
});
