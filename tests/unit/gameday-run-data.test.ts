import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gameDayRunData } from '../../src/gameday/run-data.ts';
import type { GameDayReport, EventResult } from '../../src/gameday/report.ts';

const event = (what: string, laws: string[], observedMs: number | undefined, verdict: EventResult['verdict']): EventResult => ({
  step: 'steps[1].fault',
  what,
  laws,
  predicted: { nominalMs: 30_000, minMs: 20_000, maxMs: 40_000, window: 't+30 s (20 s–40 s)' },
  formula: 'grace 30 s',
  source: 'cluster',
  observedMs,
  observedBy: 'timestamp',
  tolerance: { name: '1 s timestamp resolution', ms: 1_000 },
  verdict,
});

function report(outcome: string, events: EventResult[]): GameDayReport {
  return {
    scenario: 'node-loss-under-load',
    runId: 'r1',
    context: 'kind-podlaw',
    kubernetes: 'v1.36.3',
    startedAt: '2026-11-23T05:00:00.000Z',
    endedAt: '2026-11-23T05:02:30.000Z',
    outcome,
    namespace: 'ns',
    faults: [
      {
        step: 'steps[1].fault',
        description: 'pause',
        injectedAt: '2026-11-23T05:00:10.000Z',
        recoveredAt: '2026-11-23T05:01:40.000Z',
        recoveredBy: 'duration',
      },
    ],
    events,
    notReached: [],
    load: undefined,
    laws: ['NOD-1', 'NOD-4', 'not-a-law'],
  };
}

test('each watched law becomes a test result with its events as observations; unknown ids are dropped', () => {
  const data = gameDayRunData(
    report('completed', [
      event('Ready=Unknown', ['NOD-1'], 30_200, 'as predicted'),
      event('endpoints', ['NOD-4'], 45_000, 'outside the window'),
    ]),
  );
  assert.deepEqual(
    data.results.map((r) => [r.laws[0], r.status, r.observations.map((o) => o.ok)]),
    [
      ['NOD-1', 'passed', [true]],
      ['NOD-4', 'failed', [false]],
    ],
  );
  assert.equal(data.results[0]?.observations[0]?.measured, '30.2 s');
});

test('an aborted game day fails its laws with the reason; observed events sit on the timeline from the first injection', () => {
  const data = gameDayRunData(report('aborted: Ctrl-C', [event('Ready=Unknown', ['NOD-1'], 30_000, 'as predicted')]));
  assert.equal(data.results[0]?.status, 'failed');
  assert.equal(data.results[0]?.error, 'aborted: Ctrl-C');
  const observed = data.timelines[0]?.entries.find((e) => e.kind === 'action' && e.action === 'observed');
  assert.equal(observed?.at, '2026-11-23T05:00:40.000Z');
});
