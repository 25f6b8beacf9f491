import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLawId, lawById, laws } from '../../src/laws/catalog/index.ts';
import { docBase, docPaths } from '../../src/laws/docs.ts';
import {
  crashLoopGaps,
  deletionKill,
  nodeNotReady,
  probeKill,
  readinessFlip,
  readinessUnreadyFromFirstFailure,
} from '../../src/laws/expectations/index.ts';
import { tolerances, withinExpectation } from '../../src/laws/expectation.ts';
import { budgetFor } from '../../src/harness/timeouts.ts';
import { deriveClusterTiming, kubeletTimingFor } from '../../src/cluster/cluster-timing.ts';

/** Every id of the catalog (shared/laws.md), in catalog order. */
const catalogIds = [
  'PRB-1',
  'PRB-2',
  'PRB-3',
  'PRB-4',
  'PRB-5',
  'PRB-6',
  'PRB-7',
  'RST-1',
  'RST-2',
  'RST-3',
  'TRM-1',
  'TRM-2',
  'TRM-3',
  'TRM-4',
  'TRM-5',
  'HK-1',
  'SC-1',
  'QOS-1',
  'NPE-1',
  'NPE-2',
  'NPE-3',
  'NPE-4',
  'NPE-5',
  'NPE-6',
  'NPE-7',
  'NOD-1',
  'NOD-2',
  'NOD-3',
  'NOD-4',
  'NOD-5',
  'NOD-6',
  'NOD-7',
  'NOD-8',
  'NOD-9',
  'NOD-10',
  'EVA-1',
  'EVA-2',
  'INI-1',
  'NET-1',
  'NET-2',
  'NET-3',
  'NS-1',
  'VOL-1',
  'DNS-1',
  'DNS-2',
  'SA-1',
  'STA-1',
];

const timing = deriveClusterTiming({
  version: { major: 1, minor: 36, gitVersion: 'v1.36.3' },
  controllerManager: { readable: false, component: 'kube-controller-manager', reason: 'test' },
  apiServer: { readable: false, component: 'kube-apiserver', reason: 'test' },
  kubelets: [],
});

describe('law registry', () => {
  it('holds every law of the catalog, once, in catalog order', () => {
    assert.deepEqual(
      laws.map((l) => l.id),
      catalogIds,
    );
  });
  it('links every law to well-formed kubernetes.io documentation', () => {
    for (const law of laws) {
      assert.ok(law.docUrls.length > 0, `${law.id} has no documentation`);
      for (const url of law.docUrls) {
        const parsed = new URL(url);
        assert.equal(parsed.protocol, 'https:');
        assert.equal(parsed.host, 'kubernetes.io');
        assert.ok(parsed.pathname.startsWith('/docs/'), url);
        assert.ok(parsed.pathname.endsWith('/'), `${url} should end with a slash`);
      }
    }
  });
  it('expands every doc key under the docs base', () => {
    for (const path of Object.values(docPaths)) {
      assert.ok(!path.startsWith('/'), path);
      assert.ok(new URL(`${docBase}${path}`).href.startsWith(docBase));
    }
  });
  it('names upstream tests as repository paths', () => {
    for (const law of laws) {
      if (law.upstreamTest !== undefined) assert.match(law.upstreamTest, /^test\/e2e(_node)?\/[\w/]+\.go/, law.id);
    }
  });
  it('recognises ids', () => {
    assert.equal(isLawId('PRB-2'), true);
    assert.equal(isLawId('PRB-99'), false);
    assert.equal(lawById('TRM-3').family, 'Termination, hooks and endpoints');
  });
});

describe('timing formulas', () => {
  const stored = { periodSeconds: 4, failureThreshold: 3, timeoutSeconds: 1 };
  it("liveness: judged from the first failing probe, (N − 1) periods ± a probe's exec (the last one's lengthens, the first one's delays the event) and the two 1 s stamps", () => {
    const e = probeKill('liveness', stored, 'pod spec (stored)');
    assert.deepEqual([e.minMs, e.nominalMs, e.maxMs], [6_001, 8_000, 9_999]);
    assert.match(e.formula, /\(threshold 3 − 1\) × period 4 s/);
    assert.equal(e.source, 'pod spec (stored)');
  });
  it('liveness excludes failureThreshold 2 and 4 (N − 1, N + 1): their kills fall outside', () => {
    const e = probeKill('liveness', stored, 's');
    const minus = probeKill('liveness', { ...stored, failureThreshold: 2 }, 's');
    const plus = probeKill('liveness', { ...stored, failureThreshold: 4 }, 's');
    assert.equal(minus.maxMs < e.minMs, true, 'threshold 2 ends before threshold 3 starts');
    assert.equal(plus.minMs > e.maxMs, true, 'threshold 4 starts after threshold 3 ends');
  });
  it('readiness Ready=False from the first failing probe excludes failureThreshold 1 and 3', () => {
    const at = (n: number) => readinessUnreadyFromFirstFailure({ periodSeconds: 4, failureThreshold: n, timeoutSeconds: 1 }, 's');
    assert.equal(at(1).maxMs < at(2).minMs, true, 'threshold 1');
    assert.equal(at(3).minMs > at(2).maxMs, true, 'threshold 3');
  });
  it('readiness from the onset cannot exclude threshold N + 1 (the windows meet): recoveries are not claimed to', () => {
    const at = (n: number) => readinessFlip('unready', 1, n);
    assert.equal(at(3).minMs <= at(2).maxMs, true);
  });
  it("a 0 ms Ready flip with failureThreshold 2 is outside the window at the suites' period of 4 s", () => {
    const e = readinessUnreadyFromFirstFailure({ periodSeconds: 4, failureThreshold: 2, timeoutSeconds: 1 }, 's');
    assert.equal(withinExpectation(0, e, tolerances.none), false);
  });
  it('with a period no longer than timeoutSeconds the exec jitter swallows a period: why the suites probe every 4 s', () => {
    const e = readinessUnreadyFromFirstFailure({ periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 1 }, 's');
    assert.equal(withinExpectation(0, e, tolerances.none), true);
  });
  it('crash loop gaps: immediate, then doubling to the cap, each up to 50 % later (+ PLEG 1 s, runtime start 2 s and 1 s stamps)', () => {
    const kubelet = kubeletTimingFor(timing, 'any');
    const gaps = crashLoopGaps(kubelet, 8);
    assert.deepEqual(
      gaps.map((g) => g.nominalMs),
      [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000],
    );
    assert.deepEqual(
      gaps.slice(0, 4).map((g) => [g.minMs, g.maxMs]),
      [
        [-999, 3_999],
        [9_001, 18_999],
        [19_001, 33_999],
        [39_001, 63_999],
      ],
    );
  });
  it('deletion: grace with the preStop deducted, or the 2 s minimum when preStop outlives it', () => {
    assert.equal(deletionKill(8, 3, 's').nominalMs, 8_000);
    assert.equal(deletionKill(4, 100, 's').nominalMs, 6_000);
    assert.equal(deletionKill(8, 3, 's').maxMs < deletionKill(11, 0, 's').minMs, true, 'excludes grace without the preStop deduction');
  });
  it('node not ready: grace period of the version, with its source', () => {
    const e = nodeNotReady(timing);
    assert.equal(e.nominalMs, 50_000);
    // The renewal is seen at one monitor pass and judged at another: up to two periods of 5 s.
    assert.equal(e.maxMs, 60_000);
    assert.match(e.source, /documented default/);
  });
  it('builds wait budgets named after the formula', () => {
    const budget = budgetFor(readinessFlip('unready', 1, 2), tolerances.statusPropagation);
    assert.equal(budget.ms, 8_000);
    assert.match(budget.name, /threshold 2 − 1\) × period 1 s/);
    assert.match(budget.name, /status propagation slack/);
  });
});
