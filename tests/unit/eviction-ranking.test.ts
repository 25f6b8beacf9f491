import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1ContainerState, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { naiveQosOrder, podMemoryRequestBytes, rankMemoryPressure } from '../../src/laws/eviction-ranking.ts';
import {
  competitorsGoneByMs,
  evictionCompetitors,
  preStopExtensionMs,
  systemCriticalPriority,
} from '../../src/laws/eviction-competitors.ts';

const Mi = 1024 * 1024;
const pod = (name: string, requestMi: number, usageMi: number, priority = 0) => ({
  name,
  requestBytes: requestMi * Mi,
  usageBytes: usageMi * Mi,
  priority,
});

test('pods over their request go first, whatever their priority or QoS class', () => {
  const order = rankMemoryPressure([pod('guaranteed-under', 300, 250, 0), pod('besteffort-high', 0, 50, 1000)]).map((p) => p.name);
  assert.deepEqual(order, ['besteffort-high', 'guaranteed-under']);
});

test('among pods over their request, lower priority first; then the larger usage − request', () => {
  const ranked = rankMemoryPressure([pod('a', 0, 50, 1000), pod('e', 0, 20, 0), pod('b', 100, 200, 0)]);
  assert.deepEqual(
    ranked.map((p) => p.name),
    ['b', 'e', 'a'],
  );
  assert.match(ranked[0]?.reason ?? '', /usage − request 100 MiB > 20 MiB/);
  assert.match(ranked[1]?.reason ?? '', /priority 0 < 1000/);
});

test('pods under their request: priority, then usage − request (the least negative first)', () => {
  const order = rankMemoryPressure([pod('d', 200, 50, 0), pod('c', 300, 250, 0), pod('low', 400, 10, -5)]).map((p) => p.name);
  assert.deepEqual(order, ['low', 'c', 'd']);
});

test('usage exactly at the request does not exceed it', () => {
  const ranked = rankMemoryPressure([pod('at', 100, 100, 0), pod('over', 100, 101, 10)]);
  assert.deepEqual(
    ranked.map((p) => [p.name, p.exceedsRequest]),
    [
      ['over', true],
      ['at', false],
    ],
  );
});

test('a full tie is reported as one: the kubelet may take either first', () => {
  const ranked = rankMemoryPressure([pod('x', 100, 150, 0), pod('y', 100, 150, 0)]);
  assert.deepEqual(
    ranked.map((p) => p.name),
    ['x', 'y'],
  );
  assert.match(ranked[0]?.reason ?? '', /tie with y/);
});

test('the fixture mix: the documented order disagrees with the naive QoS order in several places', () => {
  const pods = [
    { ...pod('besteffort-high', 0, 50, 1000), qosClass: 'BestEffort' },
    { ...pod('burstable-over', 100, 200, 0), qosClass: 'Burstable' },
    { ...pod('guaranteed', 300, 250, 0), qosClass: 'Guaranteed' },
    { ...pod('burstable-under', 200, 50, 0), qosClass: 'Burstable' },
    { ...pod('besteffort-low', 0, 20, 0), qosClass: 'BestEffort' },
  ];
  const documented = rankMemoryPressure(pods).map((p) => p.name);
  assert.deepEqual(documented, ['burstable-over', 'besteffort-low', 'besteffort-high', 'guaranteed', 'burstable-under']);
  const naive = naiveQosOrder(pods);
  assert.deepEqual(naive, ['besteffort-high', 'besteffort-low', 'burstable-over', 'burstable-under', 'guaranteed']);
  assert.ok(documented.filter((name, i) => naive[i] !== name).length >= 2);
});

test("a pod's memory request: max(largest init container, sum of app containers) plus overhead", () => {
  assert.equal(
    podMemoryRequestBytes({ initContainers: [{ requestBytes: 500 }], containers: [{ requestBytes: 100 }, { requestBytes: 200 }] }),
    500,
  );
  assert.equal(
    podMemoryRequestBytes({ initContainers: [{ requestBytes: 100 }], containers: [{ requestBytes: 200 }, { requestBytes: 200 }] }),
    400,
  );
  assert.equal(podMemoryRequestBytes({ initContainers: [], containers: [{ requestBytes: 100 }], overheadBytes: 10 }), 110);
});

test('restartable init containers (sidecars) add to the apps and to every later init container', () => {
  const sidecarThenInit = {
    initContainers: [{ requestBytes: 50, restartable: true }, { requestBytes: 300 }],
    containers: [{ requestBytes: 100 }],
  };
  // apps 100 + sidecar 50 = 150; the later init container runs beside the sidecar: 300 + 50 = 350.
  assert.equal(podMemoryRequestBytes(sidecarThenInit), 350);
  const initThenSidecar = {
    initContainers: [{ requestBytes: 300 }, { requestBytes: 50, restartable: true }],
    containers: [{ requestBytes: 100 }],
  };
  assert.equal(podMemoryRequestBytes(initThenSidecar), 300);
});

describe('evictionCompetitors and competitorsGoneByMs', () => {
  const status = (state: V1ContainerState): V1ContainerStatus => ({
    name: 'app',
    image: 'x',
    imageID: '',
    ready: false,
    restartCount: 0,
    state,
  });
  const pod = (
    namespace: string,
    extra: { phase?: string; deleted?: string; deletionGrace?: number; priority?: number; source?: string; grace?: number } = {},
  ): V1Pod => ({
    metadata: {
      name: `${namespace}-pod`,
      namespace,
      ...(extra.deleted !== undefined ? { deletionTimestamp: new Date(extra.deleted) } : {}),
      ...(extra.deletionGrace !== undefined ? { deletionGracePeriodSeconds: extra.deletionGrace } : {}),
      annotations: extra.source !== undefined ? { 'kubernetes.io/config.source': extra.source } : {},
    },
    spec: {
      containers: [],
      ...(extra.priority !== undefined ? { priority: extra.priority } : {}),
      ...(extra.grace !== undefined ? { terminationGracePeriodSeconds: extra.grace } : {}),
    },
    status: { phase: extra.phase ?? 'Running' },
  });
  const names = (pods: V1Pod[]): string[] => pods.map((p) => p.metadata?.namespace ?? '');
  it("keeps other namespaces' active pods, terminating ones included, and drops the test's own", () => {
    const pods = [pod('own'), pod('dead-run', { deleted: '2026-01-01T00:02:00Z' }), pod('other')];
    assert.deepEqual(names(evictionCompetitors(pods, 'own')), ['dead-run', 'other']);
  });
  it('drops finished pods, a terminal pod a finalizer keeps with a deletion timestamp included', () => {
    const pods = [pod('done', { phase: 'Failed' }), pod('kept', { phase: 'Succeeded', deleted: '2026-01-01T00:00:00Z' }), pod('up')];
    assert.deepEqual(names(evictionCompetitors(pods, 'own')), ['up']);
  });
  it('drops critical pods: priority at SystemCriticalPriority, mirror pods; one below the priority stays', () => {
    const mirror = pod('mirror');
    mirror.metadata = { ...mirror.metadata, annotations: { 'kubernetes.io/config.mirror': 'abc' } };
    const pods = [
      pod('proxy', { priority: systemCriticalPriority }),
      mirror,
      pod('below', { priority: systemCriticalPriority - 1 }),
      pod('file-annotated', { source: 'file' }),
    ];
    // config.source on an API object is whatever a user wrote: the kubelet overwrites it with "api".
    assert.deepEqual(names(evictionCompetitors(pods, 'own')), ['below', 'file-annotated']);
  });
  it('is gone by the latest deletion timestamp plus the preStop extension, or a full grace from now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const deleting = pod('a', { deleted: '2026-01-01T00:01:40Z', deletionGrace: 120 });
    assert.equal(competitorsGoneByMs([deleting], now), now + 100_000 + 1_000 + preStopExtensionMs);
    assert.equal(competitorsGoneByMs([deleting, pod('b', { grace: 120 })], now), now + 120_000 + preStopExtensionMs);
    assert.equal(competitorsGoneByMs([], now), now);
  });
  it('counts the grace from the container start when it started after the deletion (the kill waits for the sync)', () => {
    const now = Date.parse('2026-01-01T00:00:30Z');
    // Deleted at 00:00:00 (timestamp 00:02:00, grace 120 s) while its container was being created; it started at 00:00:17.
    const late = pod('a', { deleted: '2026-01-01T00:02:00Z', deletionGrace: 120 });
    late.status = { phase: 'Running', containerStatuses: [status({ running: { startedAt: new Date('2026-01-01T00:00:17Z') } })] };
    assert.equal(competitorsGoneByMs([late], now), Date.parse('2026-01-01T00:02:17Z') + 1_000 + preStopExtensionMs);
    // The deletion timestamp alone would end it 18 s too early: the 11 s-late removal seen on the cluster.
    const byTimestamp = pod('a', { deleted: '2026-01-01T00:02:00Z', deletionGrace: 120 });
    assert.ok(competitorsGoneByMs([late], now) - competitorsGoneByMs([byTimestamp], now) >= 17_000);
  });
  it('counts the grace from now for a container still being created', () => {
    const now = Date.parse('2026-01-01T00:00:30Z');
    const creating = pod('a', { deleted: '2026-01-01T00:02:00Z', deletionGrace: 120 });
    creating.status = { phase: 'Pending', containerStatuses: [status({ waiting: { reason: 'ContainerCreating' } })] };
    assert.equal(competitorsGoneByMs([creating], now), now + 120_000 + preStopExtensionMs);
  });
});
