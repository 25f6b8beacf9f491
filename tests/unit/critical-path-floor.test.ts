import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  floorChain,
  lawFloorsMs,
  nodeChain,
  phaseFloor,
  phaseSpan,
  phasesOf,
  phaseWorkBoundMs,
  runFloorMs,
  testFloorMs,
} from '../../src/report/critical-path-floor.ts';
import type { TestRecord } from '../../src/report/critical-path-floor.ts';

/** A test whose waits all overlap (measured over the same interval): its floor is the longest of them. */
function record(project: string, documentedMinMs: number[], faultedNodes: string[] = []): TestRecord {
  const waits = documentedMinMs.map((ms) => ({ startMs: 0, endMs: 100_000, documentedMinMs: ms }));
  return { title: `${project} ${documentedMinMs.join('+')}`, project, durationMs: 0, waits, faultedNodes };
}

test('overlapping waits: the longest bounds the test; a test without timed observations has no floor', () => {
  assert.equal(testFloorMs(record('laws', [4000, 30000, 0])), 30000);
  assert.equal(testFloorMs(record('laws', [])), 0);
});

test('a wait that began after another ended follows it: node Unknown after 30 s, then evictions 30 s after the taint', () => {
  const unknown = { startMs: 0, endMs: 33_000, documentedMinMs: 30_000 };
  const evicted = { startMs: 33_500, endMs: 64_000, documentedMinMs: 30_000 };
  assert.equal(testFloorMs({ waits: [evicted, unknown] }), 60_000);
  // Began half a second before the first ended: they overlap, so only the longer counts.
  assert.equal(testFloorMs({ waits: [unknown, { ...evicted, startMs: 32_500 }] }), 30_000);
  // A chain of three, and a short wait beside it.
  const returned = { startMs: 65_000, endMs: 75_000, documentedMinMs: 5_000 };
  assert.equal(testFloorMs({ waits: [unknown, evicted, returned, { startMs: 40_000, endMs: 41_000, documentedMinMs: 1_000 }] }), 65_000);
});

test("the chain that sets the floor: its waits' span from the first one's start, not a shorter wait beside it", () => {
  const unknown = { startMs: -2_000, endMs: 33_000, documentedMinMs: 30_000 };
  const evicted = { startMs: 33_500, endMs: 64_000, documentedMinMs: 30_000 };
  const beside = { startMs: 40_000, endMs: 70_000, documentedMinMs: 1_000 };
  // The heartbeat came 2 s before the test's clock began: the span counts from it, 66 s for a 60 s floor.
  assert.deepEqual(floorChain({ waits: [beside, evicted, unknown] }), { floorMs: 60_000, spanMs: 66_000 });
  assert.deepEqual(floorChain({ waits: [] }), { floorMs: 0, spanMs: 0 });
});

test('tests that fault the same node add up; tests on different nodes and pod-level tests overlap', () => {
  const tests = [
    record('loss-a', [30000], ['w2']),
    record('loss-a', [40000], ['w2']),
    record('loss-b', [30000], ['w3']),
    record('laws', [60000]),
    record('laws', [20000]),
  ];
  const phase = phaseFloor(['loss-a', 'loss-b', 'laws'], tests);
  assert.equal(phase.floorMs, 70000);
  assert.equal(phase.boundBy, 'w2');
  assert.deepEqual(phase.perNodeMs, { w2: 70000, w3: 30000 });
  // Without the second w2 test the longest pod-level wait bounds the phase.
  assert.equal(phaseFloor(['loss-a', 'loss-b', 'laws'], tests.slice(0, 1).concat(tests.slice(2))).boundBy, 'pod-level');
});

test("only the phase's own projects count", () => {
  assert.equal(phaseFloor(['smoke'], [record('laws', [60000]), record('smoke', [1000])]).floorMs, 1000);
});

test('phases follow the project dependencies, as Playwright builds them', () => {
  const phases = phasesOf([
    { name: 'smoke', dependencies: [] },
    { name: 'laws', dependencies: ['smoke'] },
    { name: 'loss-worker-a', dependencies: ['smoke'] },
    { name: 'after', dependencies: ['loss-worker-a'] },
  ]);
  assert.deepEqual(phases, [['smoke'], ['laws', 'loss-worker-a'], ['after']]);
  assert.throws(
    () =>
      phasesOf([
        { name: 'x', dependencies: ['y'] },
        { name: 'y', dependencies: ['x'] },
      ]),
    /cycle among x, y/,
  );
});

test('the floors of phases add up', () => {
  assert.equal(runFloorMs([phaseFloor(['a'], [record('a', [1000])]), phaseFloor(['b'], [record('b', [2000])])]), 3000);
});

test('a phase spans its tests from the first start to the last end; no start times, no span', () => {
  const at = (project: string, startedAtMs: number | undefined, durationMs: number) => ({
    title: 't',
    project,
    durationMs,
    startedAtMs,
    waits: [],
    faultedNodes: [],
  });
  const tests = [at('laws', 1_000, 500), at('loss-worker-a', 1_200, 2_000), at('smoke', 0, 900)];
  assert.deepEqual(phaseSpan(['laws', 'loss-worker-a'], tests), { startMs: 1_000, endMs: 3_200 });
  assert.equal(phaseSpan(['laws'], [at('laws', undefined, 5)]), undefined);
});

test('a node’s chain lists the tests that fault it in the order they started, each with its wall time and floor', () => {
  const later = { ...record('loss-a', [30000], ['w2']), title: 'later', durationMs: 50_000, startedAtMs: 2_000 };
  const first = { ...record('loss-a', [60000], ['w2']), title: 'first', durationMs: 90_000, startedAtMs: 1_000 };
  const elsewhere = { ...record('loss-b', [60000], ['w3']), title: 'elsewhere', startedAtMs: 0 };
  assert.deepEqual(nodeChain('w2', ['loss-a', 'loss-b'], [later, elsewhere, first]), [
    { title: 'first', durationMs: 90_000, floorMs: 60_000, chainSpanMs: 100_000 },
    { title: 'later', durationMs: 50_000, floorMs: 30_000, chainSpanMs: 100_000 },
  ]);
});

test('a phase cannot end before its busy time shared out over the workers', () => {
  const busy = (project: string, durationMs: number) => ({ ...record(project, []), durationMs });
  const tests = [busy('laws', 90_000), busy('laws', 30_000), busy('loss-a', 80_000), busy('smoke', 50_000)];
  assert.equal(phaseWorkBoundMs(['laws', 'loss-a'], tests, 4), 50_000);
  // One worker more or less moves the bound.
  assert.equal(phaseWorkBoundMs(['laws', 'loss-a'], tests, 5), 40_000);
  assert.equal(phaseWorkBoundMs(['laws', 'loss-a'], tests, 3), 200_000 / 3);
  assert.equal(phaseWorkBoundMs(['laws'], tests, 0), 120_000);
});

test("a law's floor is the floors of its tests added; a test of two laws counts for each, one with no record for none", () => {
  const crashLoop = { ...record('laws-long', [10_000]), title: 'crash loop' };
  const liveness = { ...record('laws', [6_000, 3_000]), title: 'liveness' };
  const laws = [
    { id: 'RST-1', tests: [{ title: 'crash loop' }] },
    { id: 'PRB-2', tests: [{ title: 'liveness' }, { title: 'crash loop' }] },
    { id: 'PRB-9', tests: [{ title: 'not in this run' }] },
  ];
  assert.deepEqual(lawFloorsMs(laws, [crashLoop, liveness]), { 'RST-1': 10_000, 'PRB-2': 16_000, 'PRB-9': 0 });
});
