import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Lease, V1Namespace } from '@kubernetes/client-node';
import {
  livenessOf,
  microTime,
  parseClaims,
  serializeClaims,
  staleAfterMs,
  renewalPeriodMs,
  missedRenewals,
  renewalRequestTimeoutMs,
} from '../../src/lifecycle/heartbeat.ts';
import { planCollection, refusedLive } from '../../src/lifecycle/collection-plan.ts';
import type { ClusterObject, LeftoverTrace, Listing } from '../../src/lifecycle/collection-plan.ts';
import { cleanExitCode } from '../../src/cleanup/clean.ts';
import { exitCodes } from '../../src/errors.ts';

const now = Date.parse('2026-11-23T01:30:00Z');
const ago = (ms: number): string => new Date(now - ms).toISOString();

function ns(
  name: string,
  options: { heartbeat?: boolean; createdMsAgo?: number; terminating?: boolean; runId?: string } = {},
): V1Namespace {
  return {
    metadata: {
      name,
      creationTimestamp: new Date(now - (options.createdMsAgo ?? 600_000)),
      labels: {
        'app.kubernetes.io/managed-by': 'podlaw',
        'podlaw.dev/run-id': options.runId ?? name,
        ...(options.heartbeat === false ? {} : { 'podlaw.dev/heartbeat': 'lease' }),
      },
      ...(options.terminating === true ? { deletionTimestamp: new Date(now - 1_000) } : {}),
    },
  };
}

function lease(namespace: string, renewedMsAgo: number, claims?: string, durationSeconds = 30): V1Lease {
  return {
    metadata: { name: 'podlaw-owner', namespace, ...(claims !== undefined ? { annotations: { 'podlaw.dev/fault-claims': claims } } : {}) },
    // As read back off the wire: MicroTime strings.
    spec: {
      renewTime: ago(renewedMsAgo) as unknown as Date,
      leaseDurationSeconds: durationSeconds,
      holderIdentity: `podlaw run ${namespace}`,
    },
  };
}

const paused = (node: string): LeftoverTrace => ({ kind: 'node-pause', target: node, description: `paused node container ${node}` });

function listing(parts: Partial<Listing<LeftoverTrace>>): Listing<LeftoverTrace> {
  return { namespaces: [], leases: [], leftovers: [], clusterObjects: [], ...parts };
}

describe('owner heartbeat staleness', () => {
  it('is stale after 4 missed renewals of 5 s plus the 10 s request timeout: 30 s', () => {
    assert.equal(staleAfterMs, missedRenewals * renewalPeriodMs + renewalRequestTimeoutMs);
    assert.equal(staleAfterMs, 30_000);
  });

  it('is live up to the bound and stale past it, judged from the Lease renewTime', () => {
    assert.equal(livenessOf(ns('a'), lease('a', 30_000), now).kind, 'live');
    assert.equal(livenessOf(ns('a'), lease('a', 30_001), now).kind, 'stale');
    assert.equal(livenessOf(ns('a'), lease('a', 4_000), now).kind, 'live');
  });

  it('judges by the bound the Lease declares, not by this podlaw version', () => {
    assert.equal(livenessOf(ns('a'), lease('a', 45_000, undefined, 60), now).kind, 'live');
    assert.equal(livenessOf(ns('a'), lease('a', 61_000, undefined, 60), now).kind, 'stale');
  });

  it('takes the creation time as the first beat before the Lease exists', () => {
    assert.equal(livenessOf(ns('a', { createdMsAgo: 2_000 }), undefined, now).kind, 'live');
    assert.equal(livenessOf(ns('a', { createdMsAgo: 31_000 }), undefined, now).kind, 'stale');
  });

  it('does not know the liveness of a namespace made without heartbeat, however old', () => {
    assert.equal(livenessOf(ns('a', { heartbeat: false, createdMsAgo: 86_400_000 }), undefined, now).kind, 'unknown');
  });

  it('writes MicroTime with the six fractional digits the API server requires', () => {
    assert.equal(microTime(new Date('2026-11-23T01:18:23.264Z')), '2026-11-23T01:18:23.264000Z');
  });

  it('reads claims back, and flags claims it cannot read', () => {
    const claims = [{ kind: 'node-pause', target: 'podlaw-worker3' }];
    assert.deepEqual(parseClaims(lease('a', 0, serializeClaims(claims))), { claims, unreadable: false });
    assert.deepEqual(parseClaims(lease('a', 0)), { claims: [], unreadable: false });
    assert.equal(parseClaims(lease('a', 0, '{oops')).unreadable, true);
    assert.equal(parseClaims(lease('a', 0, '[{"kind":1}]')).unreadable, true);
  });
});

describe('what a run-start collection removes', () => {
  const plan = (parts: Partial<Listing<LeftoverTrace>>) =>
    planCollection(listing(parts), { scope: 'stale-runs', force: false, nowMs: now });
  const removed = <T>(decisions: readonly { item: T; action: string }[]): T[] =>
    decisions.filter((d) => d.action === 'remove').map((d) => d.item);

  it('removes namespaces of dead owners and keeps live ones, those already being deleted and those without heartbeat', () => {
    const result = plan({
      namespaces: [
        ns('dead'),
        ns('live'),
        ns('young', { createdMsAgo: 3_000 }),
        ns('legacy', { heartbeat: false }),
        ns('going', { terminating: true }),
      ],
      leases: [lease('dead', 120_000), lease('live', 2_000), lease('going', 120_000)],
    });
    assert.deepEqual(
      removed(result.namespaces).map((n) => n.name),
      ['dead'],
    );
    assert.equal(result.namespaces.find((d) => d.item.name === 'legacy')?.reason.includes('podlaw clean removes it'), true);
    assert.deepEqual(refusedLive(result), []);
  });

  it('recovers a paused node no live run claims, and leaves one a live run claims', () => {
    const result = plan({
      namespaces: [ns('dead'), ns('live')],
      leases: [
        lease('dead', 120_000, serializeClaims([{ kind: 'node-pause', target: 'podlaw-worker3' }])),
        lease('live', 1_000, serializeClaims([{ kind: 'node-pause', target: 'podlaw-worker2' }])),
      ],
      leftovers: [paused('podlaw-worker2'), paused('podlaw-worker3')],
    });
    assert.deepEqual(
      removed(result.leftovers).map((l) => l.target),
      ['podlaw-worker3'],
    );
    assert.match(result.leftovers.find((d) => d.item.target === 'podlaw-worker2')?.reason ?? '', /claimed by the live run live/);
  });

  it('matches claims on kind and target: a live node-pause claim on worker2 does not cover worker3, nor another kind on worker3', () => {
    const result = plan({
      namespaces: [ns('live')],
      leases: [
        lease(
          'live',
          1_000,
          serializeClaims([
            { kind: 'node-pause', target: 'podlaw-worker2' },
            { kind: 'kubelet-stop', target: 'podlaw-worker3' },
          ]),
        ),
      ],
      leftovers: [paused('podlaw-worker3')],
    });
    assert.deepEqual(
      removed(result.leftovers).map((l) => l.target),
      ['podlaw-worker3'],
    );
  });

  it('leaves every leftover while a live run has claims it cannot read', () => {
    const result = plan({ namespaces: [ns('live')], leases: [lease('live', 1_000, 'not json')], leftovers: [paused('podlaw-worker3')] });
    assert.deepEqual(removed(result.leftovers), []);
  });

  it('leaves leftovers while namespaces without heartbeat exist, since their runs may own them', () => {
    const result = plan({ namespaces: [ns('legacy', { heartbeat: false })], leftovers: [paused('podlaw-worker3')] });
    assert.deepEqual(removed(result.leftovers), []);
    assert.match(result.leftovers[0]?.reason ?? '', /without heartbeat exist \(legacy\)/);
  });

  it('removes an object whose run has no namespace left once it is older than a heartbeat goes stale (30 s), not before', () => {
    const pc = (name: string, createdMsAgo: number): ClusterObject => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      name,
      runId: 'gone',
      createdMs: now - createdMsAgo,
    });
    const result = plan({ clusterObjects: [pc('old', 31_000), pc('young', 29_000)] });
    assert.deepEqual(
      result.clusterObjects.map((d) => [d.item.name, d.action]),
      [['old', 'remove']],
    );
  });

  it('removes cluster-scoped objects only of runs proven dead: a stale namespace and none live or without heartbeat', () => {
    const pc = (name: string, runId: string | undefined, createdMsAgo = 1_000): ClusterObject => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      name,
      runId,
      createdMs: now - createdMsAgo,
    });
    const result = plan({
      namespaces: [
        ns('dead-a', { runId: 'dead' }),
        ns('mixed-stale', { runId: 'mixed' }),
        ns('mixed-live', { runId: 'mixed' }),
        ns('legacy-a', { runId: 'legacy', heartbeat: false }),
        ns('legacy-b', { runId: 'legacy' }),
      ],
      leases: [lease('dead-a', 120_000), lease('mixed-stale', 120_000), lease('mixed-live', 1_000), lease('legacy-b', 120_000)],
      clusterObjects: [
        pc('of-dead', 'dead'),
        pc('of-mixed', 'mixed'),
        pc('of-legacy', 'legacy'),
        pc('of-gone', 'gone'),
        pc('no-run', undefined),
      ],
    });
    assert.deepEqual(
      result.clusterObjects.map((d) => [d.item.name, d.action]),
      [['of-dead', 'remove']],
    );
  });
});

describe('what podlaw clean removes', () => {
  const clean = (parts: Partial<Listing<LeftoverTrace>>, force = false) =>
    planCollection(listing(parts), { scope: 'everything', force, nowMs: now });
  const parts: Partial<Listing<LeftoverTrace>> = {
    namespaces: [ns('dead', { runId: 'r1' }), ns('live', { runId: 'r2' }), ns('legacy', { heartbeat: false })],
    leases: [lease('dead', 120_000), lease('live', 1_000, serializeClaims([{ kind: 'node-pause', target: 'podlaw-worker2' }]))],
    leftovers: [paused('podlaw-worker2'), paused('podlaw-worker3')],
    clusterObjects: [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', name: 'of-r1', runId: 'r1', createdMs: now - 600_000 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', name: 'of-r2', runId: 'r2', createdMs: now - 600_000 },
    ],
  };

  it('removes everything except what live runs hold, and names what it refused', () => {
    const result = clean(parts);
    assert.deepEqual(
      result.namespaces.filter((d) => d.action === 'remove').map((d) => d.item.name),
      ['dead', 'legacy'],
    );
    assert.deepEqual(
      result.leftovers.filter((d) => d.action === 'remove').map((d) => d.item.target),
      ['podlaw-worker3'],
    );
    assert.deepEqual(
      result.clusterObjects.filter((d) => d.action === 'remove').map((d) => d.item.name),
      ['of-r1'],
    );
    assert.deepEqual(refusedLive(result), ['namespace live', 'paused node container podlaw-worker2', 'PriorityClass of-r2']);
  });

  it("removes live runs' things too with --force", () => {
    const result = clean(parts, true);
    assert.equal(
      result.namespaces.every((d) => d.action === 'remove'),
      true,
    );
    assert.equal(
      result.leftovers.every((d) => d.action === 'remove'),
      true,
    );
    assert.equal(
      result.clusterObjects.every((d) => d.action === 'remove'),
      true,
    );
    assert.deepEqual(refusedLive(result), []);
  });
});

describe('podlaw clean exit code', () => {
  it('is 0 when everything went, 18 when live runs hold something, 19 when something could not be removed', () => {
    assert.equal(cleanExitCode({ refusedLive: 0, failures: 0 }), 0);
    assert.equal(cleanExitCode({ refusedLive: 2, failures: 0 }), exitCodes.liveRuns);
    assert.equal(exitCodes.liveRuns, 18);
    assert.equal(cleanExitCode({ refusedLive: 2, failures: 1 }), exitCodes.cleanIncomplete);
    assert.equal(exitCodes.cleanIncomplete, 19);
  });
});

describe('bench flakes tally', async () => {
  const { tallyVerdicts } = await import('../../src/provision/lib/flakes.ts');
  it('counts verdicts per law and flags laws whose verdict changed or went missing between runs', () => {
    const run = (verdicts: Record<string, string>) => ({ laws: Object.entries(verdicts).map(([id, verdict]) => ({ id, verdict })) });
    const tally = tallyVerdicts([
      run({ 'PRB-1': 'passed', 'PRB-2': 'passed', 'NOD-1': 'passed' }),
      run({ 'PRB-1': 'passed', 'PRB-2': 'failed', 'NOD-1': 'passed' }),
      run({ 'PRB-1': 'passed', 'PRB-2': 'passed' }),
      undefined,
    ]);
    assert.deepEqual(
      tally.map((t) => [t.id, t.differs]),
      [
        ['NOD-1', true],
        ['PRB-1', true],
        ['PRB-2', true],
      ],
    );
    const steady = tallyVerdicts([
      run({ 'PRB-1': 'passed', 'PRB-7': 'deviates (known)' }),
      run({ 'PRB-1': 'passed', 'PRB-7': 'deviates (known)' }),
    ]);
    assert.deepEqual(
      steady.map((t) => [t.id, t.differs, t.counts]),
      [
        ['PRB-1', false, { passed: 2 }],
        ['PRB-7', false, { 'deviates (known)': 2 }],
      ],
    );
    assert.equal(tally.find((t) => t.id === 'PRB-2')?.counts['failed'], 1);
    assert.equal(tally.find((t) => t.id === 'PRB-1')?.missing, 1);
  });
});

describe('proving an owner alive by its renewal', async () => {
  const { pendingOwners, renewedOwners, settleDeadlineMs } = await import('../../src/lifecycle/owner-settle.ts');
  it('asks every fresh-looking owner to renew, and none of the stale or unknown ones', () => {
    const pending = pendingOwners(
      [ns('fresh'), ns('dead'), ns('young', { createdMsAgo: 2_000 }), ns('legacy', { heartbeat: false })],
      [lease('fresh', 3_000), lease('dead', 60_000)],
      now,
    );
    assert.deepEqual(
      pending.map((p) => p.namespace),
      ['fresh', 'young'],
    );
    // An owner killed 2 s ago looks exactly like a live one until its bound passes: 28 s more, plus a second.
    assert.equal(settleDeadlineMs(pending), now - 2_000 + 30_000 + 1_000);
    assert.equal(settleDeadlineMs([]), undefined);
  });

  it('counts an owner alive once its renewTime moved or its first Lease appeared', () => {
    const pending = pendingOwners([ns('fresh'), ns('young', { createdMsAgo: 2_000 })], [lease('fresh', 3_000)], now);
    assert.deepEqual([...renewedOwners(pending, [lease('fresh', 3_000)])], []);
    assert.deepEqual([...renewedOwners(pending, [lease('fresh', 0), lease('young', 0)])].sort(), ['fresh', 'young']);
  });
});

describe('bench interrupts residue', async () => {
  const { nodeResidue, namespacesOlderThan } = await import('../../src/provision/lib/cluster-residue.ts');
  const node = (over: Partial<import('../../src/provision/lib/cluster-residue.ts').NodeSnapshot> = {}) => ({
    name: 'podlaw-worker3',
    container: 'running' as const,
    ready: 'True',
    taints: ['podlaw.dev/disruption=loss:NoSchedule'],
    unschedulable: false,
    kubelet: 'active',
    kubeletConfig: 'abc',
    faultMounts: [] as readonly string[],
    ...over,
  });
  it('names a paused node, a node not Ready, a taint or cordon added, a kubelet stopped or reconfigured', () => {
    assert.deepEqual(nodeResidue([node()], [node()]), []);
    assert.deepEqual(
      nodeResidue([node()], [node({ container: 'paused', ready: 'Unknown', kubelet: 'not asked (container paused)', kubeletConfig: '' })]),
      ['node container podlaw-worker3 is paused', 'node podlaw-worker3 Ready=Unknown'],
    );
    assert.deepEqual(
      nodeResidue(
        [node()],
        [
          node({
            taints: ['node.kubernetes.io/unreachable=:NoExecute', 'podlaw.dev/disruption=loss:NoSchedule'],
            unschedulable: true,
            kubelet: 'inactive',
            kubeletConfig: 'def',
          }),
        ],
      ),
      [
        'node podlaw-worker3 has taints it did not have before: node.kubernetes.io/unreachable=:NoExecute',
        'node podlaw-worker3 unschedulable=true (was false)',
        'kubelet on podlaw-worker3 is inactive (was active)',
        'kubelet config on podlaw-worker3 changed (abc → def)',
      ],
    );
  });

  it('names a podlaw fault mount left in a node (the memory-pressure tmpfs)', () => {
    assert.deepEqual(nodeResidue([node()], [node({ faultMounts: ['/var/lib/podlaw-fault/memory'] })]), [
      'fault mount /var/lib/podlaw-fault/memory left in podlaw-worker3',
    ]);
  });

  it('counts namespaces created before the next run started, its own second excluded (1 s creationTimestamp)', () => {
    const at = (iso: string) => ({ metadata: { name: iso, creationTimestamp: new Date(iso) } });
    const older = namespacesOlderThan(
      [at('2026-11-23T01:00:09Z'), at('2026-11-23T01:00:10Z'), at('2026-11-23T01:00:11Z')],
      Date.parse('2026-11-23T01:00:10.700Z'),
    );
    assert.deepEqual(
      older.map((n) => n.metadata?.name),
      ['2026-11-23T01:00:09Z'],
    );
  });
});
