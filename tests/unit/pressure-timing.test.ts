import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstEviction, hardEvictionKill, pressureCondition, pressureTransition } from '../../src/laws/expectations/pressure.ts';
import { tolerances, withinExpectation } from '../../src/laws/expectation.ts';
import type { KubeletTiming } from '../../src/cluster/cluster-timing.ts';
import { fromCluster } from '../../src/cluster/sourced-setting.ts';
import { hostMemoryRefusal, memAvailableBytes } from '../../src/faults/memory-pressure.ts';

function kubelet(transitionMs: number, statusUpdateMs = 10_000): KubeletTiming {
  return {
    node: 'podlaw-worker',
    nodeStatusUpdateFrequencyMs: fromCluster(statusUpdateMs, 'configz nodeStatusUpdateFrequency'),
    evictionPressureTransitionPeriodMs: fromCluster(transitionMs, 'configz evictionPressureTransitionPeriod'),
    evictionHard: fromCluster({ 'memory.available': '22569Mi' }, 'configz evictionHard'),
    crashLoopBackOffInitialMs: fromCluster(10_000, 'x'),
    crashLoopBackOffMaxMs: fromCluster(300_000, 'x'),
  };
}
const resolution = tolerances.timestampResolution;

test("a hard eviction kills within 3 s: a kubelet that honoured the pod's 120 s grace or its 100 s preStop falls outside", () => {
  const window = hardEvictionKill();
  assert.equal(window.maxMs, 3_000);
  assert.ok(withinExpectation(3_000, window, resolution));
  assert.ok(!withinExpectation(100_000, window, resolution), 'preStop sleep 100 s honoured');
  assert.ok(!withinExpectation(120_000, window, resolution), 'terminationGracePeriodSeconds 120 honoured');
  // Soft eviction's evictionMaxPodGracePeriod would typically be 30 s or more: outside as well.
  assert.ok(!withinExpectation(30_000, window, resolution), 'a 30 s grace (pitfall 9)');
});

test('the first eviction comes within one monitoring period plus the kill; one synchronize late falls outside', () => {
  const window = firstEviction();
  assert.equal(window.maxMs, 13_000);
  assert.ok(!withinExpectation(window.maxMs + 10_000, window, resolution), 'a second synchronize');
});

test('MemoryPressure appears within the monitoring period plus the status update frequency read from configz', () => {
  assert.equal(pressureCondition(kubelet(30_000)).maxMs, 20_000);
  assert.equal(pressureCondition(kubelet(30_000, 40_000)).maxMs, 50_000);
});

test('relief → MemoryPressure=False: the transition period from configz, one monitoring period early to one period plus a status update late', () => {
  const window = pressureTransition(kubelet(30_000));
  assert.deepEqual([window.minMs, window.maxMs], [20_000, 50_000]);
  // The documented default (5 min), which would apply if configz were ignored, falls far outside.
  const documentedDefault = pressureTransition(kubelet(300_000));
  assert.ok(!withinExpectation(documentedDefault.nominalMs, window, resolution));
  // Neighbouring transition periods (0 s: no hysteresis; 60 s) are outside but for the shared boundary second.
  assert.ok(!withinExpectation(pressureTransition(kubelet(0)).nominalMs, window, resolution));
  assert.ok(!withinExpectation(pressureTransition(kubelet(60_000)).nominalMs, window, resolution));
});

test('the fault refuses an amount the host cannot give while keeping its reserve', () => {
  const gib = 1024 ** 3;
  assert.equal(memAvailableBytes('MemTotal:       24000000 kB\nMemAvailable:   20000000 kB\n'), 20_000_000 * 1024);
  assert.equal(hostMemoryRefusal(2 * gib, 20 * gib), undefined);
  assert.match(
    hostMemoryRefusal(17 * gib, 20 * gib) ?? '',
    /needs 17408 MiB but the host has 20480 MiB available and keeps 4096 MiB in reserve/,
  );
  assert.throws(() => memAvailableBytes('MemTotal: 1 kB\n'), /no MemAvailable/);
});
