import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  abandonedHookToSigterm,
  allowances,
  bounds,
  crashLoopGap,
  deletionStamp,
  deletionToKill,
  probeExec,
  separable,
  sigtermToExit,
  startupSuccessToReady,
  thresholdFromFirstFailure,
  within,
} from '../../src/laws/windows.ts';

describe('windows: one-sided allowances', () => {
  it('adds plus allowances to the maximum only and minus allowances to the minimum only', () => {
    const w = deletionToKill(10, 3, 'api');
    assert.deepEqual(bounds(w), { minMs: 8_601, maxMs: 11_399 });
    assert.equal(within(10_500, w), true);
    assert.equal(within(11_400, w), false);
  });
});

describe('windows: probe threshold from the first failing probe (period 2 s, timeout 1 s)', () => {
  const extra = [probeExec(1), allowances.startStampTruncated];
  const at = (n: number) => thresholdFromFirstFailure('liveness → kill', 2, n, extra);
  it('is (N − 1) periods plus probe exec and start-stamp truncation', () => {
    assert.deepEqual(bounds(at(3)), { minMs: 4_000, maxMs: 5_999 });
  });
  it('excludes failureThreshold N − 1 (2 instead of 3)', () => assert.equal(separable(at(3), at(2)), true));
  it('excludes failureThreshold N + 1 (4 instead of 3)', () => assert.equal(separable(at(3), at(4)), true));
  it('cannot exclude N + 1 when the probe timeout reaches the period: measure more cycles instead', () => {
    const slow = (n: number) => thresholdFromFirstFailure('liveness → kill', 2, n, [probeExec(2)]);
    assert.equal(separable(slow(3), slow(4)), false);
  });
});

describe('windows: preStop start → SIGKILL with a preStop hook (runtime exit time, ns)', () => {
  it('excludes grace without the preStop deduction (grace 10 s, hook 3 s: 13 s)', () => {
    assert.equal(separable(deletionToKill(10, 3, 'runtime'), deletionToKill(13, 0, 'runtime')), true);
  });
  it('gives the kubelet 2 s minimum when the hook outlives the grace period (grace 5 s, hook 30 s: 7 s)', () => {
    const w = deletionToKill(5, 30, 'runtime');
    assert.equal(w.documentedMs, 7_000);
    assert.equal(separable(w, deletionToKill(5, 0, 'runtime')), true, 'excludes "no extension" (5 s)');
  });
  it('gives the 2 s minimum when the hook nearly fills the grace period (grace 10 s, hook 9.5 s: 11 s)', () => {
    assert.equal(deletionToKill(10, 9.5, 'runtime').documentedMs, 11_000);
  });
  it('holds the 4.973 s bench flakes read for grace 4 s, hook 100 s with the API finishedAt', () => {
    assert.equal(within(4_973, deletionToKill(4, 100, 'api')), true);
  });
  it("with the API's whole-second finishedAt cannot exclude grace G − 1 or the missing extension in one kill (stated, not hidden)", () => {
    assert.equal(separable(deletionToKill(10, 3, 'api'), deletionToKill(9, 3, 'api')), false);
    assert.equal(separable(deletionToKill(5, 30, 'api'), deletionToKill(5, 0, 'api')), false);
  });
});

describe('windows: crash-loop gaps (initial 10 s, max 300 s)', () => {
  const gap = (i: number) => crashLoopGap(i, 10_000, 300_000);
  it('is the back-off step stretched by at most the 50 % requeue jitter, the 1 s PLEG relist, the runtime start and the two 1 s stamps', () => {
    assert.deepEqual(bounds(gap(1)), { minMs: 9_001, maxMs: 18_999 });
  });
  it('restart 2 excludes the step one doubling late (initial 20 s)', () => {
    assert.equal(separable(gap(1), crashLoopGap(1, 20_000, 300_000)), true);
  });
  it('restart 2 alone cannot exclude initial 5 s (its window reaches 11.499 s): restart 3 of the same run does', () => {
    assert.equal(separable(gap(1), crashLoopGap(1, 5_000, 300_000)), false);
    assert.equal(separable(gap(2), crashLoopGap(2, 5_000, 300_000)), true);
  });
  for (const i of [2, 3, 4]) {
    it(`restart ${i + 1} excludes the step one doubling early and one doubling late`, () => {
      const early = crashLoopGap(i, 5_000, 300_000);
      const late = crashLoopGap(i, 20_000, 300_000);
      assert.equal(separable(gap(i), early), true);
      assert.equal(separable(gap(i), late), true);
    });
  }
  it('restart 1 is immediate: it excludes a first restart that waits the initial back-off', () => {
    assert.equal(separable(gap(0), crashLoopGap(1, 10_000, 300_000)), true);
  });
  it('excludes an uncapped step at the maximum (300 s, not 640 s)', () => {
    assert.equal(separable(gap(7), crashLoopGap(7, 10_000, 1_000_000)), true);
  });
});

describe('windows: preStop start → SIGTERM when the hook outlives the grace period (µs stamps)', () => {
  it('is the grace period, shortened only by the hook exec start and lengthened only by SIGTERM delivery', () => {
    assert.deepEqual(bounds(abandonedHookToSigterm(4)), { minMs: 3_600, maxMs: 4_400 });
  });
  it('excludes grace G − 1 (3 s instead of 4 s)', () =>
    assert.equal(separable(abandonedHookToSigterm(4), abandonedHookToSigterm(3)), true));
  it('excludes grace G + 1 (5 s instead of 4 s)', () =>
    assert.equal(separable(abandonedHookToSigterm(4), abandonedHookToSigterm(5)), true));
  it('excludes a kubelet that waits for the whole 100 s hook', () => assert.equal(within(100_000, abandonedHookToSigterm(4)), false));
  it('holds the measured values of podlaw runs (3.884–3.983 s)', () => {
    for (const ms of [3_884, 3_931, 3_937, 3_954, 3_983]) assert.equal(within(ms, abandonedHookToSigterm(4)), true, `${ms} ms`);
  });
});

describe('windows: startup success → Ready (startup period 1 s, timeouts 1 s)', () => {
  const w = (roundTripMs: number) => startupSuccessToReady(1, 1, 1, roundTripMs);
  it('is one startup period plus both probe runs and the change round trip, minus the Ready stamp truncation', () => {
    assert.deepEqual(bounds(w(150)), { minMs: -999, maxMs: 3_150 });
  });
  it('excludes Ready before the change (a readiness probe not gated by startup): earlier than the 1 s truncation', () => {
    assert.equal(within(-1_000, w(150)), false);
  });
  it('cannot separate a startup period one step longer (2 s) in a single onset (stated, not hidden)', () => {
    assert.equal(separable(w(150), startupSuccessToReady(2, 1, 1, 150)), false);
  });
});

describe('windows: SIGTERM → exit of a container that ignores SIGTERM (grace 3 s)', () => {
  it('with the runtime exit time (ns) excludes grace 2 s and 4 s', () => {
    assert.deepEqual(bounds(sigtermToExit(3, 'runtime')), { minMs: 2_600, maxMs: 3_400 });
    assert.equal(separable(sigtermToExit(3, 'runtime'), sigtermToExit(2, 'runtime')), true);
    assert.equal(separable(sigtermToExit(3, 'runtime'), sigtermToExit(4, 'runtime')), true);
  });
  it('excludes the pod-level grace (60 s) the probe-level one replaces', () =>
    assert.equal(within(60_000, sigtermToExit(3, 'runtime')), false));
  it("with the API's whole-second finishedAt cannot exclude grace 4 s in one kill (stated, not hidden)", () => {
    assert.equal(separable(sigtermToExit(3, 'api'), sigtermToExit(4, 'api')), false);
  });
});

describe('windows: delete request → deletionTimestamp (grace 30 s)', () => {
  it('is the grace period, up to 1 s early (whole-second stamp), late by at most the measured round trip', () => {
    assert.deepEqual(bounds(deletionStamp(30, 20)), { minMs: 29_001, maxMs: 30_020 });
  });
  it('holds the 30.020 s CI read with its 20 ms round trip, and not without it', () => {
    assert.equal(within(30_020, deletionStamp(30, 20)), true);
    assert.equal(within(30_020, deletionStamp(30, 0)), false);
  });
  it('excludes grace 29 s and 31 s except where their windows share the round trip', () => {
    assert.equal(separable(deletionStamp(30, 0), deletionStamp(29, 0)), true);
    assert.equal(separable(deletionStamp(30, 0), deletionStamp(31, 0)), true);
    assert.equal(within(29_500, deletionStamp(29, 20)) || within(29_500, deletionStamp(31, 20)), false);
  });
});
