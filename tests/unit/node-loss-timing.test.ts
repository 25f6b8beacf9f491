import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { deriveClusterTiming } from '../../src/cluster/cluster-timing.ts';
import {
  heartbeatToUnknown,
  nodeNotReady,
  nextWriteInPass,
  longestLinkInPass,
  readyToTaintsRemoved,
  swappedTaints,
  taintToDeletion,
  tokenBucketGrants,
  unknownToNoExecuteTaint,
  unknownToNoExecuteTaintOutcome,
  zoneEvictionRate,
  zoneState,
} from '../../src/laws/expectations/node-loss.ts';
import { withinExpectation } from '../../src/laws/expectation.ts';
import { durationObservation } from '../../src/timeline/observation.ts';
import { nodeToRecreate, staleQuarantineWaitMs } from '../../src/faults/node-delete.ts';
import { partitionRules, partitionTable } from '../../src/faults/node-partition.ts';
import { missingRoutes, nodeNetworkAt, nodeNetworkOf } from '../../src/faults/pod-network-repair.ts';
import { withoutFaultTaints } from '../../src/faults/node-taint.ts';
import { statefulTolerationSeconds } from '../../src/harness/lost-node.ts';
import { nodeDeletedToPodsCollected } from '../../src/laws/expectations/node-loss.ts';

const v136 = { major: 1, minor: 36, gitVersion: 'v1.36.3' };
const timing = deriveClusterTiming({
  version: v136,
  controllerManager: { readable: true, component: 'kube-controller-manager', flags: new Map([['node-monitor-grace-period', '30s']]) },
  apiServer: { readable: true, component: 'kube-apiserver', flags: new Map([['default-unreachable-toleration-seconds', '30']]) },
  kubelets: [],
});
/** The tolerances the node-loss suite uses (suites/node-loss/lost-node.ts). */
const controllerWrite = { name: 'controller write + watch delivery 2 s', ms: 2_000 };
const countdownEnds = { name: 'watch delivery at both ends 0.5 s', ms: 500 };

describe('lost node timeline windows', () => {
  it('a pod marked Ready=False in the same pass follows the write before it by less than the monitor period', () => {
    const e = nextWriteInPass('link', timing, controllerWrite.ms);
    // Run 2 of bench flakes on 40923e6: web marked 1.86 s after naked, two unwatched pods' writes between them.
    assert.equal(withinExpectation(1_860, e, { name: 'none', ms: 0 }), true);
    assert.equal(withinExpectation(4_999, e, { name: 'none', ms: 0 }), true);
    // One pass late: the next pass starts node-monitor-period after this one ended, so its first write is a period or more on.
    assert.equal(withinExpectation(5_000, e, { name: 'none', ms: 0 }), false);
    // The node and pod watches are separate streams: a first link may read short by their skew, not more.
    assert.equal(withinExpectation(-2_000, e, { name: 'none', ms: 0 }), true);
    assert.equal(withinExpectation(-2_001, e, { name: 'none', ms: 0 }), false);
  });
  it('a pod is judged by the longest link of the pass up to its mark, whichever pod carried it', () => {
    // Run 2's pass: db, ds, front-lost, naked, then web 1.86 s later.
    const marks = [1_000_040, 1_000_170, 1_000_310, 1_000_390, 1_002_250];
    assert.equal(longestLinkInPass(1_000_000, marks, 1_000_040), 40);
    assert.equal(longestLinkInPass(1_000_000, marks, 1_002_250), 1_860);
    // An unchecked pod left to the next pass (5.2 s on) shows on every checked pod marked after it.
    assert.equal(longestLinkInPass(1_000_000, [1_000_040, 1_005_240], 1_005_300), 5_200);
    // Seen before the node's Unknown (separate streams): the skew is the link; earlier marks do not move the start.
    assert.equal(longestLinkInPass(1_000_000, [999_990], 999_995), -5);
    assert.equal(longestLinkInPass(1_000_000, [999_990], 1_000_040), 40);
  });
  it('heartbeat → Unknown is grace … grace + 2 monitor periods, from the flags', () => {
    const e = heartbeatToUnknown(timing);
    assert.equal(e.minMs, 30_000);
    assert.equal(e.maxMs, 40_000);
    assert.match(e.source, /node-monitor-grace-period=30s/);
  });
  it('a neighbouring grace period (± one monitor period, as the controller would show it) falls outside', () => {
    const e = heartbeatToUnknown(timing);
    const period = timing.nodeMonitorPeriodMs.value;
    // grace − period: its earliest Unknown; grace + period: its latest (+ 2 periods).
    assert.equal(withinExpectation(30_000 - period, e, controllerWrite), false);
    assert.equal(withinExpectation(30_000 + period + 2 * period, e, controllerWrite), false);
    assert.equal(withinExpectation(30_000, e, controllerWrite), true);
    assert.equal(withinExpectation(40_000, e, controllerWrite), true);
  });
  it('taint → deletion follows the stored tolerationSeconds; ± 1 s falls outside', () => {
    const e = taintToDeletion(30, 'pod spec');
    assert.equal(withinExpectation(30_000, e, countdownEnds), true);
    assert.equal(withinExpectation(29_000, e, countdownEnds), false);
    assert.equal(withinExpectation(31_000, e, countdownEnds), false);
  });
  it('the NoExecute taint waits for the zone token bucket', () => {
    const free = unknownToNoExecuteTaint(timing, 100_000, undefined);
    assert.equal(free.minMs, 0);
    assert.equal(free.maxMs, 100);
    // Another node of the zone was tainted 4 s earlier: at 0.1/s the next token comes 10 s after it.
    const limited = unknownToNoExecuteTaint(timing, 100_000, 96_000);
    assert.equal(limited.minMs, 6_000);
    assert.equal(limited.maxMs, 6_100);
    assert.equal(unknownToNoExecuteTaint(timing, 100_000, 80_000).minMs, 0);
  });
  it('a token wait is no wait the cluster must take: the floor counts 0 for it (another lost node or a stale read spent it)', () => {
    const floorMin = (e: ReturnType<typeof unknownToNoExecuteTaint>): number | undefined =>
      durationObservation('NOD-2', e, e.minMs, controllerWrite).documentedMinMs;
    assert.equal(floorMin(unknownToNoExecuteTaint(timing, 100_000, 96_000)), 0);
    assert.equal(floorMin(unknownToNoExecuteTaintOutcome(timing, 100_000, undefined, 10_173, controllerWrite)), 0);
    assert.equal(floorMin(unknownToNoExecuteTaintOutcome(timing, 100_000, 96_000, 16_100, controllerWrite)), 0);
    // The judgment keeps the whole range: 6 s after the other node's token, not at once.
    assert.equal(unknownToNoExecuteTaint(timing, 100_000, 96_000).minMs, 6_000);
    // A wait every occasion has stays in: the pod's toleration.
    assert.equal(floorMin(taintToDeletion(30, 'test')), 30_000);
  });
  it('the NoExecute taint comes with the bucket token or exactly one token later (stale read), nothing between or after', () => {
    const judged = (ms: number) => unknownToNoExecuteTaintOutcome(timing, 100_000, undefined, ms, controllerWrite);
    const ok = (ms: number) => withinExpectation(ms, judged(ms), controllerWrite);
    assert.equal(ok(0), true);
    // The 10.2 s bench flakes read with no other taint in the zone: the token spent by the stale read, then the next.
    assert.equal(ok(10_173), true);
    assert.equal(judged(10_173).minMs, 10_000);
    // Between the two tokens (5 s) and a second interval late (20 s): outside both.
    assert.equal(ok(5_000), false);
    assert.equal(ok(20_000), false);
    // A rate one step slower (0.05/s: 20 s interval) puts the stale-read taint outside the 0.1/s outcome.
    const slower = { ...timing, nodeEvictionRate: { ...timing.nodeEvictionRate, value: 0.05 } };
    assert.equal(
      withinExpectation(20_000, unknownToNoExecuteTaintOutcome(timing, 100_000, undefined, 20_000, controllerWrite), controllerWrite),
      false,
    );
    assert.equal(
      withinExpectation(20_000, unknownToNoExecuteTaintOutcome(slower, 100_000, undefined, 20_000, controllerWrite), controllerWrite),
      true,
    );
  });
  it('taints are removed within one monitor period of Ready=True', () => {
    assert.equal(readyToTaintsRemoved(timing).maxMs, 5_000);
  });
});

describe('NOD-2 predictors', () => {
  it('token bucket with burst 1 spaces grants by 1 / qps', () => {
    assert.deepEqual(tokenBucketGrants([0, 1_000, 2_000], 0.1), [0, 10_000, 20_000]);
    assert.deepEqual(tokenBucketGrants([30_000], 0.1, 0), [30_000]);
    assert.deepEqual(tokenBucketGrants([5_000], 0.1, 0), [10_000]);
  });
  it('zone state follows ComputeZoneState', () => {
    assert.equal(zoneState(3, 2, 0.55), 'Normal'); // this cluster: both loss workers lost
    assert.equal(zoneState(2, 3, 0.55), 'PartialDisruption');
    assert.equal(zoneState(7, 3, 0.55), 'Normal'); // 30 % < 55 %
    assert.equal(zoneState(0, 2, 0.55), 'FullDisruption');
    assert.equal(zoneState(1, 2, 0.55), 'Normal'); // not more than 2 unhealthy
  });
  it('eviction rate per zone state', () => {
    const flags = { evictionRate: 0.1, secondaryEvictionRate: 0.01, largeClusterSizeThreshold: 50 };
    assert.equal(zoneEvictionRate('Normal', 5, flags), 0.1);
    assert.equal(zoneEvictionRate('PartialDisruption', 5, flags), 0);
    assert.equal(zoneEvictionRate('PartialDisruption', 51, flags), 0.01);
    assert.equal(zoneEvictionRate('FullDisruption', 5, flags), 0.1);
    assert.equal(zoneEvictionRate('FullDisruption', 5, flags, true), 0);
  });
});

describe('node-loss fault helpers', () => {
  it('a re-created Node keeps labels, role taints, podCIDR and providerID, not condition taints or status', () => {
    const node = nodeToRecreate({
      metadata: { name: 'w2', uid: 'x', resourceVersion: '9', labels: { 'podlaw.dev/role': 'loss' } },
      spec: {
        podCIDR: '10.244.1.0/24',
        podCIDRs: ['10.244.1.0/24'],
        providerID: 'kind://docker/podlaw/w2',
        taints: [
          { key: 'podlaw.dev/disruption', value: 'loss', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        ],
      },
      status: { conditions: [] },
    });
    assert.deepEqual(node.metadata, { name: 'w2', labels: { 'podlaw.dev/role': 'loss' }, annotations: {} });
    assert.equal(node.spec?.podCIDR, '10.244.1.0/24');
    assert.deepEqual(node.spec?.taints, [{ key: 'podlaw.dev/disruption', value: 'loss', effect: 'NoSchedule' }]);
    assert.equal(node.status, undefined);
  });
  it('the partition is one named table dropping the control plane both ways', () => {
    const rules = partitionRules(['172.18.0.5', 'fc00:f853:ccd:e793::5']);
    assert.match(rules, /ip6 daddr fc00:f853:ccd:e793::5 drop/);
    assert.match(rules, new RegExp(`table inet ${partitionTable}`));
    assert.match(rules, /ip daddr 172\.18\.0\.5 drop/);
    assert.match(rules, /ip saddr 172\.18\.0\.5 drop/);
    assert.throws(() => partitionRules(['172.18.0.5; flush ruleset']));
    assert.throws(() => partitionRules([]));
  });
  it('missing routes are found in ip route output', () => {
    const all = [
      { name: 'a', internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
      { name: 'b', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' },
      { name: 'c', internalIP: '172.18.0.4', podCIDR: '10.244.2.0/24' },
    ];
    const self = all[0];
    assert.ok(self !== undefined);
    assert.deepEqual(missingRoutes(self, all, '10.244.1.0/24 via 172.18.0.3 dev eth0 \ndefault via 172.18.0.1 dev eth0'), [
      '10.244.2.0/24 via 172.18.0.4',
    ]);
  });
  it('a re-created Node without status still gets its routes: the address comes from its container', () => {
    const recreated = nodeToRecreate({ metadata: { name: 'w3' }, spec: { podCIDR: '10.244.1.0/24' }, status: { conditions: [] } });
    assert.equal(nodeNetworkOf(recreated), undefined);
    assert.deepEqual(nodeNetworkAt(recreated, '172.18.0.4'), { name: 'w3', internalIP: '172.18.0.4', podCIDR: '10.244.1.0/24' });
    const posted = { ...recreated, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.9' }] } };
    assert.equal(nodeNetworkAt(posted, '172.18.0.4')?.internalIP, '172.18.0.4');
    assert.equal(nodeNetworkAt(posted, undefined)?.internalIP, '172.18.0.9');
    assert.equal(nodeNetworkAt({ metadata: { name: 'w4' }, spec: {} }, '172.18.0.5'), undefined);
  });
  it('NOD-10: pods collected one PodGC pass before the quarantine or one pass after the latest the code allows fall outside', () => {
    const window = nodeDeletedToPodsCollected();
    const write = { name: 'controller write 2 s', ms: 2_000 };
    assert.equal(withinExpectation(40_000, window, write), true);
    assert.equal(withinExpectation(80_000, window, write), true);
    assert.equal(withinExpectation(20_000, window, write), false);
    assert.equal(withinExpectation(100_000, window, write), false);
  });
  it("a Node deleted again waits out PodGC's stale entry: quarantine 40 s + one 20 s pass from the last recovery", () => {
    const recoveredAt = 1_000_000;
    assert.equal(staleQuarantineWaitMs(undefined, recoveredAt), 0);
    assert.equal(staleQuarantineWaitMs(Number.NaN, recoveredAt), 0);
    assert.equal(staleQuarantineWaitMs(recoveredAt, recoveredAt + 59_000), 1_000);
    assert.equal(staleQuarantineWaitMs(recoveredAt, recoveredAt + 60_000), 0);
    assert.equal(staleQuarantineWaitMs(recoveredAt, recoveredAt + 61_000), 0);
    assert.equal(staleQuarantineWaitMs(recoveredAt, recoveredAt), 60_000);
  });
  it('only podlaw fault taints are removed', () => {
    assert.deepEqual(
      withoutFaultTaints([
        { key: 'podlaw.dev/fault-noexecute', effect: 'NoExecute' },
        { key: 'podlaw.dev/disruption', value: 'loss', effect: 'NoSchedule' },
      ]),
      [{ key: 'podlaw.dev/disruption', value: 'loss', effect: 'NoSchedule' }],
    );
  });
});

describe('swappedTaints: which NoExecute controller taints took no token from the zone bucket', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', timeAddedMs: 1_000_000 };
  it('a lone taint was granted by the bucket', () => assert.deepEqual(swappedTaints([unreachable]), []));
  it('in a version carrying both, the newer one is the swap (added before the old one is removed)', () => {
    const notReady = { key: 'node.kubernetes.io/not-ready', timeAddedMs: 1_040_000 };
    assert.deepEqual(swappedTaints([unreachable, notReady]), [notReady]);
  });
  it('no taints, nothing swapped', () => assert.deepEqual(swappedTaints([]), []));
});

describe("db-0's own unreachable toleration (NOD-7's window inside the others' countdown)", () => {
  const withDefault = (seconds: string) =>
    deriveClusterTiming({
      version: v136,
      controllerManager: { readable: true, component: 'kube-controller-manager', flags: new Map() },
      apiServer: { readable: true, component: 'kube-apiserver', flags: new Map([['default-unreachable-toleration-seconds', seconds]]) },
      kubelets: [],
    });
  it('is the window (10 s) shorter than the default, so the window ends when the other pods are evicted', () => {
    assert.equal(statefulTolerationSeconds(timing), 20);
    assert.equal(statefulTolerationSeconds(withDefault('300')), 290);
    assert.equal(statefulTolerationSeconds(withDefault('11')), 1);
  });
  it('is never negative: with a default at or under the window db-0 is evicted at once', () => {
    assert.equal(statefulTolerationSeconds(withDefault('10')), 0);
    assert.equal(statefulTolerationSeconds(withDefault('0')), 0);
  });
});

describe("podlaw's own cluster flags keep every node-loss step wider than the controller-write tolerance", () => {
  // The flags as kind-config.yaml gives them to kube-controller-manager: a period or token interval no longer than the
  // 2 s tolerance would let a controller one step late pass NOD-1, NOD-2 or NOD-9 (a 2 s monitor period did).
  const patches = (parse(readFileSync('kind-config.yaml', 'utf8')) as { kubeadmConfigPatches: string[] }).kubeadmConfigPatches;
  const cluster = patches.map((p) => parse(p) as { kind?: string; controllerManager?: { extraArgs?: { name: string; value: string }[] } });
  const args = cluster.find((c) => c.kind === 'ClusterConfiguration')?.controllerManager?.extraArgs ?? [];
  const own = deriveClusterTiming({
    version: v136,
    controllerManager: { readable: true, component: 'kube-controller-manager', flags: new Map(args.map((a) => [a.name, a.value])) },
    apiServer: { readable: true, component: 'kube-apiserver', flags: new Map() },
    kubelets: [],
  });
  const period = own.nodeMonitorPeriodMs.value;
  const grace = own.nodeMonitorGracePeriodMs.value;
  it('NOD-1: Unknown one monitor pass after the latest the code allows falls outside', () => {
    assert.equal(withinExpectation(grace + 3 * period, nodeNotReady(own), controllerWrite), false);
  });
  it('NOD-9: the taints removed one monitor pass late fall outside', () => {
    assert.equal(withinExpectation(2 * period, readyToTaintsRemoved(own), controllerWrite), false);
  });
  it('NOD-2: a NoExecute taint two token intervals after Unknown matches neither allowed outcome', () => {
    const interval = 1000 / own.nodeEvictionRate.value;
    const tolerance = { name: 'controller write + 1 s timeAdded resolution', ms: controllerWrite.ms + 1_000 };
    const judged = unknownToNoExecuteTaintOutcome(own, 0, -interval, 2 * interval, tolerance);
    assert.equal(withinExpectation(2 * interval, judged, tolerance), false);
  });
});
