import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestInfo } from '@playwright/test';
import { LawCheck } from '../../src/harness/law-check.ts';
import { Timeline } from '../../src/timeline/timeline.ts';
import { timedWaits } from '../../src/report/run-records.ts';
import { testFloorMs } from '../../src/report/critical-path-floor.ts';
import type { Expectation, Tolerance } from '../../src/laws/expectation.ts';

const none: Tolerance = { name: 'none', ms: 0 };
const thirtySeconds = (what: string): Expectation => ({
  what,
  nominalMs: 30_000,
  minMs: 30_000,
  maxMs: 35_000,
  formula: '30 s',
  source: 'test',
});

/**
 * A node loss as lost-node.ts records it: Ready=Unknown seen at t0 + 30 s, the NoExecute taint 50 ms later; Unknown's
 * observation is recorded only after a Lease read (t0 + 30.1 s), the eviction's once it came (t0 + 60.05 s).
 */
function lossTimeline(endedAtGiven: boolean): Timeline {
  const t0 = Date.UTC(2026, 10, 24, 9, 0, 0);
  const timeline = new Timeline();
  timeline.action('preflight', 'the first entry: the origin of the timeline', new Date(t0));
  const check = new LawCheck('NOD-1', timeline, {} as TestInfo, ['NOD-1', 'NOD-4']);
  const unknownAt = t0 + 30_000;
  const taintAt = unknownAt + 50;
  const recordedAt = unknownAt + 100;
  // Without its end, the entry stands where the test recorded it (the clock then; here given as recordedAt).
  check.duration(thirtySeconds('last heartbeat → Ready=Unknown'), 30_000, none, endedAtGiven ? unknownAt : recordedAt);
  check.for('NOD-4').duration(thirtySeconds('NoExecute taint → pod marked'), 30_000, none, taintAt + 30_000);
  return timeline;
}

describe('a duration recorded with the moment its interval ended', () => {
  it('stands on the timeline at that moment, not when the test recorded it', () => {
    const timeline = new Timeline();
    const check = new LawCheck('NOD-1', timeline, {} as TestInfo, ['NOD-1']);
    const endedAt = Date.UTC(2026, 10, 24, 9, 0, 30);
    check.duration(thirtySeconds('x'), 30_000, none, endedAt);
    const entry = timeline.toJSON().entries.at(-1);
    assert.equal(entry?.at, new Date(endedAt).toISOString());
  });
  it('lets the floor chain the eviction after Ready=Unknown: 30 + 30 s', () =>
    assert.equal(testFloorMs({ waits: timedWaits(timeline(true)) }), 60_000));
  it('(recorded 100 ms late, the taint seems to begin before Unknown ended: the chain breaks, 30 s)', () =>
    assert.equal(testFloorMs({ waits: timedWaits(timeline(false)) }), 30_000));
});

function timeline(endedAtGiven: boolean): unknown {
  return JSON.parse(JSON.stringify(lossTimeline(endedAtGiven)));
}
