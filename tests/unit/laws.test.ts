import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLawId, lawById, laws } from '../../src/laws/catalog/index.ts';
import { docBase, docPaths } from '../../src/laws/docs.ts';
import { crashLoopGaps, deletionKill, nodeNotReady, probeKill, readinessFlip } from '../../src/laws/expectations/index.ts';
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
  it('liveness: initialDelay + failureThreshold × period, plus up to one period', () => {
    const fromStart = probeKill('liveness', { initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 3 }, true);
    assert.equal(fromStart.nominalMs, 11_000);
    assert.equal(fromStart.minMs, 9_000);
    assert.equal(fromStart.maxMs, 13_000);
    const later = probeKill('liveness', { initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 3 }, false);
    assert.equal(later.nominalMs, 6_000);
    assert.match(later.formula, /3 × 2 s/);
  });
  it('readiness flips after threshold × period', () => {
    const e = readinessFlip('unready', 1, 2);
    assert.deepEqual([e.minMs, e.nominalMs, e.maxMs], [1_000, 2_000, 3_000]);
  });
  it('crash loop gaps: immediate, then doubling to the cap, each up to 50 % later', () => {
    const kubelet = kubeletTimingFor(timing, 'any');
    const gaps = crashLoopGaps(kubelet, 8);
    assert.deepEqual(
      gaps.map((g) => g.nominalMs),
      [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000],
    );
    assert.deepEqual(
      gaps.slice(0, 4).map((g) => [g.minMs, g.maxMs]),
      [
        [0, 0],
        [10_000, 15_000],
        [20_000, 30_000],
        [40_000, 60_000],
      ],
    );
  });
  it('deletion: grace, or grace + 2 s when preStop outlives it', () => {
    assert.equal(deletionKill(6, false, timing).nominalMs, 6_000);
    assert.equal(deletionKill(4, true, timing).nominalMs, 6_000);
    assert.match(deletionKill(4, true, timing).source, /documented default/);
  });
  it('node not ready: grace period of the version, with its source', () => {
    const e = nodeNotReady(timing);
    assert.equal(e.nominalMs, 50_000);
    assert.equal(e.maxMs, 55_000);
    assert.match(e.source, /documented default/);
  });
  it('judges measurements with a named tolerance', () => {
    const e = readinessFlip('unready', 1, 2);
    assert.equal(withinExpectation(3_900, e, tolerances.timestampResolution), true);
    assert.equal(withinExpectation(4_100, e, tolerances.timestampResolution), false);
    assert.equal(withinExpectation(0, e, tolerances.timestampResolution), true);
  });
  it('builds wait budgets named after the formula', () => {
    const budget = budgetFor(readinessFlip('unready', 1, 2), tolerances.statusPropagation);
    assert.equal(budget.ms, 8_000);
    assert.match(budget.name, /failureThreshold 2 × 1 s/);
    assert.match(budget.name, /status propagation slack/);
  });
});
