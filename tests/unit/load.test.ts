/**
 * The load runner's pure parts: the scenario's bounds and the script it becomes, the
 * parsing of k6's per-request lines and summary, phases, percentiles, error windows,
 * propagation, and kube-proxy's minSyncPeriod. Nothing here says how a cluster behaves.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failuresAfter, firstAnswerMs, percentile, phaseStats, phasesFrom, propagation } from '../../src/load/analysis.ts';
import { propagationBound, proxySyncFrom } from '../../src/load/kube-proxy.ts';
import { tolerances } from '../../src/laws/expectation.ts';
import {
  completeBefore,
  everyRequestBeforeLogged,
  parseRequestLine,
  startedBefore,
  thresholdVerdicts,
  type RequestRecord,
} from '../../src/load/records.ts';
import { k6Script, requestLinePrefix, validateScenario, vusFor, type LoadScenario } from '../../src/load/scenario.ts';
import { placementFor } from '../../src/load/target.ts';
import { sloObservations } from '../../src/load/report.ts';
import { LoadRun, resultOf, type LoadResult } from '../../src/load/run.ts';

const scenario: LoadScenario = {
  name: 'trm4',
  url: 'http://172.18.0.2:31234/hostname',
  ratePerSecond: 40,
  durationSeconds: 30,
  requestTimeoutMs: 2000,
  thresholds: { http_req_failed: ['rate<0.01'] },
};

function rec(startMs: number, status: number, pod?: string, latencyMs = 1): RequestRecord {
  return { startMs, status, latencyMs, pod, errorCode: status === 0 ? 1212 : 0 };
}

describe('load scenario', () => {
  it('accepts loopback, private node addresses and Service names, nothing else', () => {
    for (const url of ['http://127.0.0.1:30080/', 'http://172.18.0.2:31000/', 'http://10.96.0.10/', 'http://web.ns.svc/']) {
      assert.doesNotThrow(() => validateScenario({ ...scenario, url }));
    }
    for (const url of ['http://example.com/', 'http://8.8.8.8/', 'http://172.32.0.1/']) {
      assert.throws(() => validateScenario({ ...scenario, url }), /neither loopback/);
    }
  });

  it('is bounded in rate, duration and request count', () => {
    assert.throws(() => validateScenario({ ...scenario, ratePerSecond: 500 }), /rate 500/);
    assert.throws(() => validateScenario({ ...scenario, durationSeconds: 0 }), /duration 0/);
    assert.throws(() => validateScenario({ ...scenario, ratePerSecond: 200, durationSeconds: 300 }), /requests exceed/);
  });

  it('writes a constant-arrival-rate script with per-scenario thresholds and no connection reuse', () => {
    const script = k6Script(scenario, '/tmp/s.json');
    const options = JSON.parse(/export const options = (.*);/.exec(script)?.[1] ?? '{}') as Record<string, unknown>;
    assert.equal(options['noConnectionReuse'], true);
    assert.deepEqual(options['thresholds'], { 'http_req_failed{scenario:trm4}': ['rate<0.01'] });
    const s = (options['scenarios'] as Record<string, Record<string, unknown>>)['trm4'];
    assert.equal(s?.['executor'], 'constant-arrival-rate');
    assert.equal(s?.['duration'], '30s');
    assert.ok(script.includes('"/tmp/s.json": JSON.stringify(data)'));
  });

  it('allocates enough VUs for every request taking the whole timeout', () => {
    assert.deepEqual(vusFor(scenario), { preAllocated: 20, max: 82 });
  });

  it("places the load on the host for podlaw's own cluster, in a Job elsewhere, unless told", () => {
    assert.equal(placementFor('kind-podlaw', {}), 'host');
    assert.equal(placementFor('staging', {}), 'job');
    assert.equal(placementFor('kind-podlaw', { PODLAW_LOAD_PLACEMENT: 'job' }), 'job');
  });
});

describe('k6 output', () => {
  it('parses request lines and ignores everything else', () => {
    assert.deepEqual(parseRequestLine(`${requestLinePrefix}{"t":1000,"s":200,"d":1.5,"p":"web-1","e":0}`), rec(1000, 200, 'web-1', 1.5));
    assert.equal(parseRequestLine('Request Failed error="dial tcp: connection refused"'), undefined);
    assert.equal(parseRequestLine(`${requestLinePrefix}{broken`), undefined);
  });

  it('reads threshold verdicts from the summary', () => {
    const verdicts = thresholdVerdicts({
      metrics: { 'http_req_failed{scenario:x}': { type: 'rate', values: { rate: 0.2 }, thresholds: { 'rate<0.01': { ok: false } } } },
    });
    assert.deepEqual(verdicts, [{ metric: 'http_req_failed{scenario:x}', expression: 'rate<0.01', ok: false, values: { rate: 0.2 } }]);
  });
});

describe('load analysis', () => {
  const records = [rec(0, 0), rec(100, 200, 'a'), rec(200, 200, 'b'), rec(1000, 0), rec(1100, 200, 'a'), rec(1500, 0), rec(2500, 200, 'b')];

  it("cuts phases at the marks and finds each phase's error window", () => {
    const phases = phasesFrom(
      0,
      [
        { name: 'before', atMs: 100 },
        { name: 'during', atMs: 1000 },
        { name: 'after', atMs: 2000 },
      ],
      2500,
      'warm-up',
    );
    const stats = phases.map((p) => phaseStats(records, p));
    assert.deepEqual(
      stats.map((s) => [s.name, s.requests, s.errors]),
      [
        ['warm-up', 1, 1],
        ['before', 2, 0],
        ['during', 3, 2],
        ['after', 1, 0],
      ],
    );
    assert.deepEqual(stats[2]?.errorWindow, { fromMs: 1000, toMs: 1500 });
    assert.deepEqual(stats[1]?.answeredBy, { a: 1, b: 1 });
  });

  it("measures propagation from the endpoint change to the pod's last answer, signed", () => {
    assert.deepEqual(propagation(records, 'a', 900), {
      pod: 'a',
      endpointChangeMs: 900,
      lastAnsweredMs: 1100,
      propagationMs: 200,
      lateAnswers: 1,
    });
    assert.equal(propagation(records, 'b', 3000).propagationMs, -500);
    assert.equal(propagation(records, 'c', 0).propagationMs, undefined);
  });

  it('takes nearest-rank percentiles and finds the first answer', () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([1, 2, 3, 4, 100], 99), 100);
    assert.equal(percentile([], 50), undefined);
    assert.equal(firstAnswerMs(records), 100);
    assert.deepEqual(
      failuresAfter(records, 100).map((r) => r.startMs),
      [1000, 1500],
    );
  });
});

describe('kube-proxy minSyncPeriod', () => {
  it("reads the active mode's value and defaults 0 to 1 s", () => {
    const conf = 'iptables:\n  minSyncPeriod: 1s\n  syncPeriod: 0s\nmode: nftables\nnftables:\n  minSyncPeriod: 0s\n  syncPeriod: 0s\n';
    assert.deepEqual(proxySyncFrom(conf), {
      mode: 'nftables',
      minSyncMs: 1000,
      source: 'kube-system/kube-proxy ConfigMap nftables.minSyncPeriod 0s → default 1 s',
    });
    assert.equal(proxySyncFrom(conf.replace('nftables:\n  minSyncPeriod: 0s', 'nftables:\n  minSyncPeriod: 2s')).minSyncMs, 2000);
    assert.equal(proxySyncFrom(undefined).minSyncMs, 1000);
  });

  it('bounds propagation by one sync plus status propagation, named after both', () => {
    const bound = propagationBound({ mode: 'nftables', minSyncMs: 2000, source: 'test' });
    assert.equal(bound.ms, 2000 + tolerances.statusPropagation.ms);
    assert.equal(bound.name, `kube-proxy minSyncPeriod 2 s + ${tolerances.statusPropagation.name}`);
  });
});

describe('SLO verdicts', () => {
  const result = (exitCode: number, ok: boolean): LoadResult => ({
    scenario: { ...scenario },
    placement: 'host',
    records: [],
    summary: { metrics: {} },
    thresholds: [{ metric: 'http_req_failed{scenario:trm4}', expression: 'rate<0.01', ok, values: { rate: ok ? 0 : 0.5 } }],
    exitCode,
    startedAtMs: 0,
    endedAtMs: 1,
  });
  /** Each SLO observation's verdict: the exit-code fact first, then one per threshold. */
  const verdicts = (r: LoadResult): boolean[] => sloObservations('TRM-4', r).map((o) => o.ok);

  it('turns each threshold into a verdict and checks k6 exit 99 agrees', () => {
    assert.deepEqual(verdicts(result(0, true)), [true, true]);
    assert.deepEqual(verdicts(result(99, false)), [true, false]);
    assert.deepEqual(verdicts(result(0, false)), [false, false]);
  });

  it('expects exit 105 from a k6 podlaw stopped early, and still judges its thresholds', () => {
    const stopped = (exitCode: number, ok: boolean): LoadResult => ({ ...result(exitCode, ok), stoppedEarly: { atMs: 1, cutRecords: 0 } });
    assert.deepEqual(verdicts(stopped(105, true)), [true, true]);
    assert.deepEqual(verdicts(stopped(105, false)), [true, false]);
    // A stop that did not reach k6 (it ran out its scenario) is not what the result claims.
    assert.deepEqual(verdicts(stopped(0, true)), [false, true]);
  });
});

describe('early stop of k6', () => {
  const timed = (startMs: number, elapsedMs: number, status = 200): RequestRecord => ({ ...rec(startMs, status), elapsedMs });

  it('keeps the requests started a timeout and a line delay before the stop, however quickly later ones ended', () => {
    const cutoff = completeBefore(10_000, 2000);
    assert.equal(cutoff, 7000);
    // A quick answer started after the cutoff is left out with the requests cancelled in flight beside it.
    const records = [timed(6000, 2000, 0), timed(6999, 5), timed(7000, 5), timed(9990, 3)];
    const { kept, cut } = startedBefore(records, cutoff);
    assert.deepEqual(
      kept.map((r) => r.startMs),
      [6000, 6999],
    );
    assert.equal(cut, 2);
  });

  it('cuts the records only when k6 exited 105, the sign the stop reached it', () => {
    const run = new LoadRun({ ...scenario }, 'host', () => new Promise<LoadResult>(() => undefined));
    run.stoppableBy(() => undefined);
    const now = Date.now();
    for (const start of [now - 9000, now - 2500, now - 100]) run.add(timed(start, 5));
    assert.equal(run.stopEarly(), true);
    const stopped = resultOf(run, { metrics: {} }, 105);
    assert.equal(stopped.records.length, 1);
    assert.equal(stopped.stoppedEarly?.cutRecords, 2);
    assert.equal(stopped.endedAtMs, completeBefore(run.stopRequestedAtMs ?? 0, scenario.requestTimeoutMs));
    // Exit 0: k6 ended by itself as the SIGINT came; every record stands.
    const ranOut = resultOf(run, { metrics: {} }, 0);
    assert.equal(ranOut.records.length, 3);
    assert.equal(ranOut.stoppedEarly, undefined);
  });

  it('waits for a start one timeout and line delay after the phase end, not one step earlier', () => {
    const until = 10_000;
    assert.equal(everyRequestBeforeLogged([timed(until + 2999, 1)], until, 2000), false);
    assert.equal(everyRequestBeforeLogged([timed(until + 3000, 1)], until, 2000), true);
    assert.equal(everyRequestBeforeLogged([timed(until + 3000, 1)], until, 2000, 1000), true);
    // The newest line is not what counts: a request that timed out is logged after later, faster ones.
    assert.equal(everyRequestBeforeLogged([timed(until + 5000, 1), timed(until - 1, 2000, 0)], until, 2000, 1000), true);
    assert.equal(everyRequestBeforeLogged([timed(until - 1, 2000, 0)], until, 2000, 1000), false);
  });
});
