import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busyShare, parseProcStat, summarizeCpu } from '../../src/report/host-cpu.ts';

test('the aggregate cpu line: idle and iowait are not busy; steal and irq are', () => {
  const text = 'cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\nintr 1\n';
  assert.deepEqual(parseProcStat(text), { total: 1000, busy: 150 });
  assert.equal(parseProcStat('intr 1\n'), undefined);
  assert.equal(parseProcStat('cpu  a b c d e\n'), undefined);
});

test('the busy share between two readings, and none when no time passed', () => {
  assert.equal(busyShare({ total: 1000, busy: 150 }, { total: 1200, busy: 300 }), 0.75);
  assert.equal(busyShare({ total: 1000, busy: 150 }, { total: 1000, busy: 150 }), undefined);
});

test('a summary counts samples with every core at least 95 % busy, not 94 %', () => {
  const samples = [0.2, 0.5, 0.94, 0.95, 1].map((busy, i) => ({ atMs: i, busy }));
  const summary = summarizeCpu(samples);
  assert.equal(summary?.saturated, 2 / 5);
  assert.equal(summary?.p90Busy, 1);
  assert.ok(Math.abs((summary?.meanBusy ?? 0) - 0.718) < 1e-9);
  assert.equal(summarizeCpu([]), undefined);
});
