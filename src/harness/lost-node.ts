/**
 * One lost node, measured end to end: the body shared by the four node-loss tests
 * (pause, stop, kubelet stop, partition). It proves the fault took effect (Ready=Unknown
 * and the node's Lease renewTime frozen since the injection), then records and asserts
 * each step of the documented timeline against the window the cluster's settings and the
 * pods' stored tolerations give (src/laws/node-loss-timing.ts names the controller code).
 *
 * Rules quoted (https://kubernetes.io/docs/…):
 * - NOD-1 reference/node/node-status/: Ready is "Unknown if the node controller has not heard from the node in the last
 *   node-monitor-grace-period".
 * - NOD-2 concepts/scheduling-eviction/taint-and-toleration/: "node.kubernetes.io/unreachable: Node is unreachable from the node
 *   controller. This corresponds to the NodeCondition Ready being Unknown"; the controller adds NoExecute and NoSchedule.
 * - NOD-3 reference/access-authn-authz/admission-controllers/#defaulttolerationseconds: tolerations for not-ready:NoExecute and
 *   unreachable:NoExecute with tolerationSeconds default-*-toleration-seconds are added to pods that lack them.
 * - NOD-4 taint-and-toleration: pods tolerating the taint "stay bound for the specified amount of time"; then they are evicted;
 *   tasks/run-application/force-delete-stateful-set-pod/: they stay Terminating until the kubelet confirms, the Node is deleted or
 *   they are force-deleted.
 * - NOD-6 concepts/workloads/pods/pod-lifecycle/: a controller replaces its pods; a Pod "is never rescheduled to a different node".
 * - NOD-7 force-delete-stateful-set-pod: "StatefulSet ensures that, at any time, there is at most one Pod with a given identity".
 * - NOD-8 taint-and-toleration: DaemonSet pods get unreachable and not-ready NoExecute tolerations "with no tolerationSeconds" and
 *   are never evicted for those taints.
 * - NOD-9 node-status: a returning node reports Ready; the node controller removes the unreachable taints; the kubelet finishes
 *   pods marked for deletion.
 * - NOD-10 (the kubelet stop's ending instead of NOD-9, src/harness/deleted-node.ts) pod-lifecycle/#pod-garbage-collection:
 *   pods bound to a Node that no longer exists are deleted by the PodGC controller.
 * - EVA-2 concepts/workloads/pods/disruptions/: involuntary disruptions are not stopped by budgets but count against them.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { expect } from '@playwright/test';
import type { ClusterContext } from '../cluster/context.ts';
import type { ClusterTiming } from '../cluster/cluster-timing.ts';
import type { ClusterWatches } from './watches.ts';
import type { LawCheck } from './law-check.ts';
import type { ObjectFactory } from './objects.ts';
import { endpointOf } from './endpoints.ts';
import { lastHeartbeatMs } from './nodes.ts';
import { nodeReadyReason, nodeReadyStatus } from '../kube/node-status.ts';
import { timeMs } from '../kube/times.ts';
import { budgetSummary, watchBudgets } from './budgets.ts';
import {
  deleteRequestedMs,
  disruptionReason,
  firstSeen,
  nodeLossFault,
  nodeReturnBudget,
  noExecuteToleration,
  notReadyTaintKey,
  ownerKind,
  preflightLossNode,
  taintOf,
  unreachableTaintKey,
} from './node-loss.ts';
import type { NodeLossKind, Sighting } from './node-loss.ts';
import { checkPodNetworkFact, controllerWrite, countdownEnds } from './lost-node-facts.ts';
import type { FaultSession } from '../faults/active-faults.ts';
import { execInContainer } from '../kube/exec.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { isPodReady, podCondition, statusWrittenBy } from '../kube/pod-status.ts';
import { holdsFor, waitFor, waitForGone, WaitTimeoutError } from '../kube/wait.ts';
import { timeouts } from './timeouts.ts';
import { tolerances } from '../laws/expectation.ts';
import {
  heartbeatToUnknown,
  readyToTaintsRemoved,
  nextWriteInPass,
  longestLinkInPass,
  samePass,
  taintToDeletion,
  unknownToNoExecuteTaintOutcome,
  swappedTaints,
} from '../laws/expectations/node-loss.ts';
import { describeSource } from '../cluster/sourced-setting.ts';
import type { Timeline } from '../timeline/timeline.ts';
import type { TestInfo } from '@playwright/test';
import { ClientDuringLoss } from './client-during-loss.ts';
import { TaintManagerActs } from './taint-manager.ts';
import { deleteLostNode } from './deleted-node.ts';
import { lossSlots } from '../loss-slots.ts';

/**
 * NOD-7's window: no second db-0 for 10 s after db-0's delete request. The ReplicaSet replaces web within about a second
 * of its own (this test measures it), reacting on the same informers as the StatefulSet controller: 10 s is ten times that.
 */
const atMostOnceWindowMs = 10_000;

/**
 * db-0's own unreachable toleration (the workloads' dbTolerationSeconds): the window shorter than the default the other
 * pods get, so db-0 is evicted first and NOD-7's window runs while they still count down, not after them.
 */
export function statefulTolerationSeconds(timing: ClusterTiming): number {
  return Math.max(0, timing.defaultUnreachableTolerationSeconds.value - atMostOnceWindowMs / 1000);
}

export interface LostNodeContext {
  readonly cluster: ClusterContext;
  readonly watch: ClusterWatches;
  readonly objects: ObjectFactory;
  readonly faults: FaultSession;
  readonly timeline: Timeline;
  /** Bound to the test's first law; the timeline's steps record for NOD-1…NOD-10 and EVA-2 through check.for(…). */
  readonly check: LawCheck;
  readonly namespace: string;
  /** The load's report is attached to the test. */
  readonly testInfo: TestInfo;
}

function ms(budget: string, value: number): NamedTimeout {
  return namedTimeout(budget, value);
}

/** A sighting awaited later: its rejection is handled when awaited, never reported as unhandled meanwhile. */
function watched<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** When the pod of this uid is first seen Ready, watched from now and awaited later. */
function readySighting(watch: ClusterWatches, uid: string | undefined, description: string): Promise<Sighting<V1Pod>> {
  return watched(
    firstSeen(watch.pods, (pods) => pods.find((p) => p.metadata?.uid === uid && isPodReady(p)), description, timeouts.podStart),
  );
}

function isReadyFalse(pod: V1Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'False';
}

/**
 * Ready=False as the node lifecycle controller writes it (MarkPodsNotReady), not the kubelet: a readiness
 * probe that failed just before the fault (seen once in 11 partitions: web Ready=False 22 s before the node
 * went Unknown, written while the kubelet could still reach the API) leaves the controller nothing to mark.
 */
function markedNotReadyByController(pod: V1Pod): boolean {
  return isReadyFalse(pod) && statusWrittenBy(pod, 'kube-controller-manager');
}

/**
 * Records the NoExecute unreachable/not-ready taints seen on any node (their timeAdded) that
 * took a token from the zone's bucket; a swap of one for the other does not (swappedTaints).
 * Bench flakes saw a returning node's unreachable → not-ready swap counted as a grant, so the
 * predictor made a lost node wait for a refill the controller never needed.
 */
function zoneTaintLog(watch: ClusterWatches): { readonly grants: Map<string, number>; stop: () => void } {
  const grants = new Map<string, number>();
  const swaps = new Set<string>();
  const scan = (nodes: readonly V1Node[]): void => {
    for (const n of nodes) {
      const taints = (n.spec?.taints ?? [])
        .filter((t) => t.effect === 'NoExecute' && (t.key === unreachableTaintKey || t.key === notReadyTaintKey))
        .map((t) => ({ key: t.key, timeAddedMs: timeMs(t.timeAdded) }));
      const id = (t: { readonly timeAddedMs: number }): string => `${n.metadata?.name ?? ''}@${String(t.timeAddedMs)}`;
      for (const swapped of swappedTaints(taints)) {
        swaps.add(id(swapped));
        grants.delete(id(swapped));
      }
      for (const t of taints) if (!swaps.has(id(t))) grants.set(id(t), t.timeAddedMs);
    }
  };
  scan(watch.nodes.objects());
  const stop = watch.nodes.subscribe(() => scan(watch.nodes.objects()));
  return { grants, stop };
}

/** When the node lifecycle controller's Ready=False was first seen on each pod of the node (the pass's visible writes). */
function controllerMarks(watch: ClusterWatches, node: string): { readonly marks: Map<string, number>; stop: () => void } {
  const marks = new Map<string, number>();
  const stop = watch.pods.subscribe((change) => {
    const pod = change.object;
    const uid = pod.metadata?.uid;
    // A relist stamps every object with one arrival time: a mark first seen there has no time of its own.
    if (change.type === 'DELETED' || change.origin === 'list' || uid === undefined || marks.has(uid) || pod.spec?.nodeName !== node) return;
    if (markedNotReadyByController(pod)) marks.set(uid, change.receivedAt.getTime());
  });
  return { marks, stop };
}

/**
 * What follows the evictions: the node returns (NOD-9), or, with its kubelet stopped, its Node object is deleted while
 * it is still lost and then restored whole (NOD-10, src/harness/deleted-node.ts).
 */
export type AfterLoss = 'node-returns' | 'node-deleted';

export async function lostNode(
  kind: NodeLossKind,
  node: string,
  general: string,
  ctx: LostNodeContext,
  after: AfterLoss = 'node-returns',
): Promise<void> {
  const { cluster, watch, objects, faults, timeline, namespace, check, testInfo } = ctx;
  const { kube, timing } = cluster;
  const period = timing.nodeMonitorPeriodMs.value;
  const tolerationDefault = timing.defaultUnreachableTolerationSeconds;
  // A kubelet that runs would re-register a deleted Node at once: only a stopped one leaves it deleted.
  if (after === 'node-deleted' && kind !== 'kubelet-stop') throw new Error(`lostNode: a ${kind} cannot be followed by a Node deletion`);

  const before = await preflightLossNode(kube, watch, node);
  // Where the time before the fault goes: the fixtures and this preflight, then the workloads' start.
  timeline.action('preflight', `${node} Ready, clean and schedulable; leftovers of earlier faults undone`);
  const zone = zoneTaintLog(watch);
  const pass = controllerMarks(watch, node);
  const budgets = await watchBudgets(kube, namespace);
  let client: ClientDuringLoss | undefined;
  let clientStart: Promise<ClientDuringLoss> | undefined;
  try {
    const dbTolerationSeconds = statefulTolerationSeconds(timing);
    // The same loss seen by a client under load (NOD-4): its Service's pods go first (its start is the longest before the
    // fault: pods Ready, conntrack, k6, its before sample), and its load starts as soon as they are Ready, while the
    // workloads below come up (its "before" phase then spans their start too).
    await ClientDuringLoss.deploy(objects, general, node);
    clientStart = watched(ClientDuringLoss.start(ctx, kind, node));
    await objects.applyTogether('node-loss/workloads.yaml', { node, general, dbTolerationSeconds });

    // --- Before the fault: everything placed and Ready, the Service's endpoint ready.
    const placed = await waitFor(
      watch.pods,
      (pods) => {
        const live = pods.filter((p) => p.metadata?.deletionTimestamp === undefined && isPodReady(p));
        const web = live.find((p) => p.metadata?.labels?.['app'] === 'web');
        const db = live.find((p) => p.metadata?.name === 'db-0');
        const naked = live.find((p) => p.metadata?.name === 'naked');
        const ds = live.find((p) => p.metadata?.labels?.['app'] === 'ds');
        const client = pods.find((p) => p.metadata?.name === 'client' && p.status?.phase === 'Running');
        return web && db && naked && ds && client ? { web, db, naked, ds, client } : undefined;
      },
      { description: 'web, db-0, naked, ds Ready and client running', timeout: timeouts.podStart },
    );
    const lost = { web: placed.web, db: placed.db, naked: placed.naked };
    for (const [role, pod] of Object.entries({ ...lost, ds: placed.ds })) {
      expect(pod.spec?.nodeName, `${role} placed on the loss worker before the fault (preferred affinity)`).toBe(node);
    }
    const webName = placed.web.metadata?.name ?? '';
    await waitFor(watch.endpointSlices, (s) => (endpointOf(s, 'web', webName)?.conditions?.ready === true ? true : undefined), {
      description: `EndpointSlice of web lists ${webName} ready`,
      timeout: ms('service endpoints ready (e2e framework ServiceStartTimeout 2 min)', 120_000),
    });
    await waitFor(budgets, (b) => (b.find((p) => p.metadata?.name === 'web')?.status?.currentHealthy === 1 ? true : undefined), {
      description: 'PodDisruptionBudget web counts 1 healthy pod',
      timeout: ms('disruption controller sync (e2e framework PodStart 5 min)', 300_000),
    });

    // --- NOD-3: the tolerations as stored, added by admission for each key a pod lacks; db-0's own one kept.
    const tolerationSeconds: Record<string, number> = {};
    for (const [role, pod] of Object.entries(lost)) {
      for (const [key, setting] of [
        [unreachableTaintKey, tolerationDefault],
        [notReadyTaintKey, timing.defaultNotReadyTolerationSeconds],
      ] as const) {
        const stored = noExecuteToleration(pod, key);
        const measured =
          stored === undefined
            ? 'absent (DefaultTolerationSeconds admission plugin off?)'
            : `${stored.operator ?? 'Equal'} ${stored.tolerationSeconds ?? '∞'} s`;
        const own = role === 'db' && key === unreachableTaintKey;
        check
          .for('NOD-3')
          .fact(
            `stored toleration ${key}:NoExecute (${role}${own ? ', set by its StatefulSet' : ''})`,
            `Exists ${own ? dbTolerationSeconds : setting.value} s`,
            measured,
            own
              ? 'fixtures/node-loss/workloads.yaml, kept: DefaultTolerationSeconds adds only the keys a pod lacks (admission.go Admit)'
              : describeSource(setting),
          );
        if (key === unreachableTaintKey && stored?.tolerationSeconds !== undefined) tolerationSeconds[role] = stored.tolerationSeconds;
      }
    }
    expect(
      timeline.observations.filter((o) => o.law === 'NOD-3' && !o.ok),
      'NOD-3: tolerations added by DefaultTolerationSeconds',
    ).toEqual([]);
    const dsToleration = noExecuteToleration(placed.ds, unreachableTaintKey);
    check
      .for('NOD-8')
      .fact(
        'DaemonSet pod toleration unreachable:NoExecute',
        'Exists ∞ s',
        `${dsToleration?.operator ?? 'absent'} ${dsToleration?.tolerationSeconds ?? '∞'} s`,
        'DaemonSet controller (pod spec as stored)',
      );

    // --- The fault, and the proof it took effect: no heartbeat after it, node Ready=Unknown.
    client = await clientStart;
    const fault = nodeLossFault(kind, node, kube);
    // The loss phase of the load begins with the fault, not before a wait for the smoke verdict.
    await faults.ready();
    client.lossStarts();
    await faults.inject(fault);
    client.injected();
    // In effect once inject() returns (a node halt, for one, waits for the node's systemd to shut down).
    const injectedAt = Date.now();
    const toUnknown = heartbeatToUnknown(timing);
    const interval = 1000 / timing.nodeEvictionRate.value;
    // Lost nodes of one zone share its token bucket, and the other loss worker's test may lose its node in the same
    // monitor pass (bench flakes: both Unknown at once, the other node's taint one interval late, this one's a second
    // interval after it). Each grant comes one or two intervals after the one before it (the bucket's token, or the
    // next when a stale read spent it), so the last of n nodes waits at most 2n − 1 intervals. A wait budget only:
    // NOD-2 judges the taint against the grants it saw.
    const tokenIntervals = 2 * lossSlots.length - 1;
    const tokenWait = {
      name: `${tokenIntervals} token intervals of ${interval / 1000} s (--node-eviction-rate; ${lossSlots.length} loss workers share the zone's bucket, each grant possibly one interval late) + 0.1 s`,
      ms: tokenIntervals * interval + 100,
    };
    const longestToleration = Math.max(tolerationDefault.value, ...Object.values(tolerationSeconds));
    // Every step of the timeline is watched from now on, all at once: a step awaited after another must still be timed
    // by the watch event that showed it, not by when the test got round to it. Budgets run from the injection.
    const lossBase = toUnknown.maxMs + controllerWrite.ms;
    const lossBudget = (name: string, extraMs: number): NamedTimeout =>
      ms(`${toUnknown.formula} + ${controllerWrite.name} + ${name}`, lossBase + extraMs);
    const nodeNow = (nodes: readonly V1Node[]): V1Node => nodes.find((n) => n.metadata?.name === node) ?? {};
    const unknownP = watched(
      firstSeen(
        watch.nodes,
        (nodes) => nodes.find((n) => n.metadata?.name === node && nodeReadyStatus(n) === 'Unknown'),
        `node ${node} Ready=Unknown after ${kind}`,
        lossBudget('nothing', 0),
      ),
    );
    const noScheduleP = watched(
      firstSeen(
        watch.nodes,
        (nodes) => taintOf(nodeNow(nodes), unreachableTaintKey, 'NoSchedule'),
        `taint ${unreachableTaintKey}:NoSchedule on ${node}`,
        lossBudget('node-monitor-period', period),
      ),
    );
    const noExecuteP = watched(
      firstSeen(
        watch.nodes,
        (nodes) => taintOf(nodeNow(nodes), unreachableTaintKey, 'NoExecute'),
        `taint ${unreachableTaintKey}:NoExecute on ${node}`,
        lossBudget(tokenWait.name, tokenWait.ms),
      ),
    );
    const notReadyP = Object.fromEntries(
      Object.entries(lost).map(([role, pod]) => [
        role,
        watched(
          firstSeen(
            watch.pods,
            (pods) => pods.find((p) => p.metadata?.uid === pod.metadata?.uid && markedNotReadyByController(p)),
            `pod ${pod.metadata?.name ?? ''} Ready=False, written by the node lifecycle controller`,
            lossBudget('node-monitor-period', period),
          ),
        ),
      ]),
    );
    const outOfSliceP = watched(
      firstSeen(
        watch.endpointSlices,
        (sl) => (endpointOf(sl, 'web', webName)?.conditions?.ready !== true ? (endpointOf(sl, 'web', webName) ?? 'removed') : undefined),
        `endpoint of ${webName} no longer ready`,
        lossBudget('EndpointSlice sync (e2e framework KubeProxyEndpointLagTimeout 30 s)', 30_000),
      ),
    );
    const lostBudgetP = watched(
      firstSeen(
        budgets,
        (b) => b.find((p) => p.metadata?.name === 'web' && p.status?.currentHealthy === 0),
        'PodDisruptionBudget web counts the lost pod as unhealthy',
        lossBudget('disruption controller sync (KubeProxyEndpointLagTimeout 30 s)', 30_000),
      ),
    );
    const deletionP = Object.fromEntries(
      Object.entries(lost).map(([role, pod]) => [
        role,
        watched(
          firstSeen(
            watch.pods,
            (pods) => pods.find((p) => p.metadata?.uid === pod.metadata?.uid && p.metadata?.deletionTimestamp !== undefined),
            `pod ${pod.metadata?.name ?? ''} marked for deletion`,
            lossBudget(
              `${tokenWait.name} + tolerationSeconds ${longestToleration} s + 1 s`,
              tokenWait.ms + longestToleration * 1000 + 1_000,
            ),
          ),
        ),
      ]),
    );
    // --- NOD-7's window opens at db-0's delete request, while the node is still lost and web and naked count down.
    const oldDbUid = placed.db.metadata?.uid;
    const atMostOnceP = watched(
      (deletionP['db'] as Promise<Sighting<V1Pod>>).then(async (deletion) => {
        const dbMarkedAt = deleteRequestedMs(deletion.object);
        await holdsFor(watch.pods, (pods) => pods.find((p) => p.metadata?.name === 'db-0' && p.metadata?.uid !== oldDbUid), {
          expectation: 'no second db-0 while the old one exists',
          window: namedTimeout(
            `${atMostOnceWindowMs / 1000} s after db-0 was marked (StatefulSet controller reaction, 10 × the ReplicaSet's)`,
            Math.max(1, dbMarkedAt + atMostOnceWindowMs - Date.now()),
          ),
        });
        return dbMarkedAt;
      }),
    );
    // The countdown ends when the taint manager acts, three API writes before its deletion is seen (taint-manager.ts).
    const actsOf = Object.fromEntries(
      Object.entries(lost).map(([role, pod]) => [
        role,
        new TaintManagerActs(
          watch,
          pod,
          lossBudget(`${tokenWait.name} + tolerationSeconds ${longestToleration} s + 1 s`, tokenWait.ms + longestToleration * 1000 + 1_000),
        ),
      ]),
    );
    const unknown = await unknownP;
    const lastHeartbeat = await lastHeartbeatMs(kube, node);
    expect(lastHeartbeat, `Lease kube-node-lease/${node} not renewed after the fault (heartbeats stopped)`).toBeLessThanOrEqual(
      injectedAt + 1_000,
    );
    expect(nodeReadyReason(unknown.object)).toBe('NodeStatusUnknown');
    check.for('NOD-1').duration(toUnknown, unknown.at - lastHeartbeat, controllerWrite, unknown.at);

    // --- NOD-2: the unreachable taints, NoSchedule in the same pass, NoExecute through the zone's rate limiter.
    const noSchedule = await noScheduleP;
    check
      .for('NOD-2')
      .duration(
        samePass('lost node: Ready=Unknown → NoSchedule unreachable taint', 'doNoScheduleTaintingPass'),
        noSchedule.at - unknown.at,
        controllerWrite,
        noSchedule.at,
      );
    // Another node of the zone lost at about the same time shares the zone's token bucket: this node's taint may wait one
    // interval (1 / --node-eviction-rate) behind it; the expectation below is computed from the other taints seen.
    const noExecute = await noExecuteP;
    // The zone's bucket granted other nodes before this one: their NoExecute taints' timeAdded (1 s resolution).
    const ownAdded = timeMs(noExecute.object.timeAdded);
    const otherGrants = [...zone.grants.entries()]
      .filter(([k, t]) => !k.startsWith(`${node}@`) && t <= ownAdded && t > unknown.at - interval - 1_000)
      .map(([, t]) => t);
    const lastZoneGrant = otherGrants.length > 0 ? Math.max(...otherGrants) : undefined;
    // The bucket's last grant is known to 1 s (timeAdded); a rate-limited wait carries that resolution too.
    const noExecuteTolerance =
      lastZoneGrant === undefined
        ? controllerWrite
        : { name: `${controllerWrite.name} + 1 s timeAdded resolution`, ms: controllerWrite.ms + 1_000 };
    // Two outcomes the code allows and nothing else: the token the bucket holds, or the next one (a stale read spent it).
    const taintMs = noExecute.at - unknown.at;
    const taintExpectation = unknownToNoExecuteTaintOutcome(timing, unknown.at, lastZoneGrant, taintMs, noExecuteTolerance);
    check.for('NOD-2').duration(taintExpectation, taintMs, noExecuteTolerance, noExecute.at);
    check
      .for('NOD-2')
      .fact(
        'lost node: no not-ready taint while Ready=Unknown',
        'absent',
        taintOf(watch.nodes.objects().find((n) => n.metadata?.name === node) ?? {}, notReadyTaintKey, 'NoExecute') ? 'present' : 'absent',
        'taint-and-toleration docs',
      );

    // --- NOD-4: pods Ready=False in the same pass, phase still Running, out of the Service's ready endpoints.
    let controllerMarked = 0;
    for (const role of Object.keys(lost)) {
      const sighting = await (notReadyP[role] as Promise<Sighting<V1Pod>>).catch((error: unknown) => {
        if (!(error instanceof WaitTimeoutError)) throw error;
        return error;
      });
      if (sighting instanceof WaitTimeoutError) {
        // Nothing to mark only when the kubelet had already turned the pod Ready=False before the node went Unknown.
        const now = watch.pods.objects().find((p) => p.metadata?.uid === lost[role as keyof typeof lost].metadata?.uid);
        const ready = now === undefined ? undefined : podCondition(now, 'Ready');
        const since = timeMs(ready?.lastTransitionTime);
        const byKubelet = ready?.status === 'False' && since < unknown.at && !statusWrittenBy(now ?? {}, 'kube-controller-manager');
        if (!byKubelet) throw sighting;
        check
          .for('NOD-4')
          .fact(
            `lost node: pod Ready=False (${role})`,
            'Ready=False',
            `Ready=False since ${ready?.lastTransitionTime?.toISOString()}, ${((unknown.at - since) / 1000).toFixed(1)} s before Ready=Unknown (the kubelet's readiness): nothing left to mark`,
            'pod conditions and managedFields (no kube-controller-manager status write)',
            true,
          );
        continue;
      }
      controllerMarked += 1;
      const notReady = sighting;
      // Every link of the pass up to this pod, not just its own: a pass left for later shows on whichever pod carried it.
      const link = longestLinkInPass(unknown.at, [...pass.marks.values()], notReady.at);
      check
        .for('NOD-4')
        .duration(
          nextWriteInPass(`lost node: Ready=Unknown → pod Ready=False, longest write-to-write link (${role})`, timing, controllerWrite.ms),
          link,
          tolerances.none,
        );
      check
        .for('NOD-4')
        .fact(
          `lost node: pod phase (${role})`,
          'Running with Ready=False',
          `${notReady.object.status?.phase ?? '?'} with Ready=${podCondition(notReady.object, 'Ready')?.status ?? '?'}`,
          'seed claim "Unknown: node communication lost" vs pod-lifecycle docs',
        );
    }
    check
      .for('NOD-4')
      .fact(
        'lost node: pods the controller marked Ready=False',
        '≥ 1',
        `${controllerMarked} of ${Object.keys(lost).length}`,
        'the others were already Ready=False (their durations are not measurable)',
        controllerMarked >= 1,
      );
    const outOfSlice = await outOfSliceP;
    check.for('NOD-4').fact(
      'lost node: pod out of the EndpointSlice ready endpoints',
      'ready=false',
      `ready=${typeof outOfSlice.object === 'string' ? 'removed' : String(outOfSlice.object.conditions?.ready)} after ${((outOfSlice.at - unknown.at) / 1000).toFixed(1)} s`,
      'endpoint-slices docs (conditions)',
      // The pod still exists, Running and not Ready: the controller keeps its endpoint with ready=false.
      typeof outOfSlice.object !== 'string' && outOfSlice.object.conditions?.ready === false,
    );

    if (kind === 'kubelet-stop' || kind === 'node-partition') {
      // Only the kubelet (or the node's link to the API) is gone: the pod still answers another node's pod.
      const answer = await execInContainer(kube, { namespace, pod: 'client', container: 'netexec' }, [
        '/agnhost',
        'connect',
        `${placed.web.status?.podIP ?? ''}:8080`,
        '--timeout=5s',
      ]);
      check
        .for('NOD-4')
        .fact(
          `lost node: pod still serving (${kind})`,
          'exited 0',
          answer.outcome.kind === 'exited' ? `exited ${answer.outcome.exitCode}` : answer.outcome.kind,
          'agnhost connect from the general worker',
        );
    }

    const lostBudget = await lostBudgetP;
    check
      .for('EVA-2')
      .fact(
        'node loss counts against the budget',
        'currentHealthy=0 desiredHealthy=1 disruptionsAllowed=0',
        budgetSummary(lostBudget.object),
        'disruptions docs',
      );

    // --- NOD-4: marked for deletion after the stored tolerationSeconds, by the taint manager, not stopped by the budget.
    const marked: Record<string, V1Pod> = {};
    for (const [role, pod] of Object.entries(lost)) {
      const seconds = tolerationSeconds[role] ?? tolerationDefault.value;
      const expectation = taintToDeletion(
        seconds,
        `pod ${pod.metadata?.name ?? ''} spec.tolerations as stored (${unreachableTaintKey} tolerationSeconds=${seconds})`,
      );
      const deletion = await (deletionP[role] as Promise<Sighting<V1Pod>>);
      const withCondition = await firstSeen(
        watch.pods,
        (pods) => pods.find((p) => p.metadata?.uid === pod.metadata?.uid && disruptionReason(p) !== undefined),
        `pod ${pod.metadata?.name ?? ''} DisruptionTarget condition`,
        ms(`set before the delete (${controllerWrite.name})`, controllerWrite.ms),
      );
      marked[role] = deletion.object;
      const acted = (await actsOf[role]?.first()) ?? { at: deletion.at, what: 'deletion seen' };
      check
        .for('NOD-4')
        .duration(
          { ...expectation, what: `${expectation.what} (${role}; ${acted.what})` },
          acted.at - noExecute.at,
          countdownEnds,
          acted.at,
        );
      check
        .for('NOD-4')
        .fact(
          `lost node: DisruptionTarget reason (${role})`,
          'DeletionByTaintManager',
          disruptionReason(withCondition.object) ?? 'none',
          'pod-lifecycle docs (pod disruption conditions)',
        );
      timeline.action(
        'measured',
        `${role}: delete requested ${new Date(deleteRequestedMs(deletion.object)).toISOString()} (deletionTimestamp − grace)`,
      );
    }
    // The lost node's pods are evicted: the client's load ends here, its stop overlapping the steps below (settle() awaits it).
    client.endLoad();
    const kcm = (await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'component=kube-controller-manager' }))
      .items[0];
    const kcmArgs = [...(kcm?.spec?.containers[0]?.command ?? []), ...(kcm?.spec?.containers[0]?.args ?? [])];
    const evictionFlag = kcmArgs.find((a) => a.startsWith('--pod-eviction-timeout'));
    check
      .for('NOD-4')
      .fact(
        'lost node: what governs eviction',
        "the pod's unreachable tolerationSeconds; no --pod-eviction-timeout",
        `deleted ${tolerationSeconds['web'] ?? '?'} s after the NoExecute taint (see the NOD-4 durations); kube-controller-manager ${evictionFlag ?? 'has no --pod-eviction-timeout'}`,
        'seed claim "pod eviction timeout is exhausted" vs taint-and-toleration docs; kube-controller-manager static pod command',
        evictionFlag === undefined,
      );

    // --- NOD-6: the Deployment's replacement on another node; the naked pod is not replaced.
    const oldWebUid = placed.web.metadata?.uid;
    const scheduled = await firstSeen(
      watch.pods,
      (pods) => pods.find((p) => p.metadata?.labels?.['app'] === 'web' && p.metadata?.uid !== oldWebUid && p.spec?.nodeName !== undefined),
      'replacement web pod scheduled',
      timeouts.podStart,
    );
    check
      .for('NOD-6')
      .fact(
        'lost node: replacement node',
        `another node (${general})`,
        scheduled.object.spec?.nodeName ?? '?',
        'pod-lifecycle docs',
        scheduled.object.spec?.nodeName !== node,
      );
    // Placed while the node is lost; its Ready is awaited while the node returns (its start on the general worker does not
    // depend on the lost node), as the new db-0's below.
    const replacementReady = readySighting(watch, scheduled.object.metadata?.uid, 'replacement web pod Ready');

    // --- NOD-7: no second db-0 while the old object exists (the window opened at its delete request); a force delete allows one.
    let atMostOnce = 'old db-0 Terminating, no second db-0';
    const dbMarkedAt = await atMostOnceP.catch((error: unknown) => {
      atMostOnce = error instanceof Error ? error.message : String(error);
      return deleteRequestedMs(marked['db'] ?? placed.db);
    });
    const stillThere = watch.pods.objects().find((p) => p.metadata?.uid === oldDbUid);
    if (stillThere?.metadata?.deletionTimestamp === undefined) atMostOnce = 'old db-0 gone before the force delete';
    check
      .for('NOD-7')
      .fact(
        'lost node: StatefulSet pod while its node is lost',
        'old db-0 Terminating, no second db-0',
        atMostOnce,
        'force-delete-stateful-set-pod docs',
      );
    timeline.action('measured', `no second db-0 over ${((Date.now() - dbMarkedAt) / 1000).toFixed(1)} s after db-0's delete request`);
    await kube.core.deleteNamespacedPod({ name: 'db-0', namespace, gracePeriodSeconds: 0 });
    timeline.action('force-delete', 'db-0 with grace 0');
    // Placed while the node is still lost (its unreachable taint keeps the scheduler off it); Ready is awaited later,
    // while the node returns: its start on the general worker does not depend on the lost node.
    const newDb = await firstSeen(
      watch.pods,
      (pods) => pods.find((p) => p.metadata?.name === 'db-0' && p.metadata?.uid !== oldDbUid && p.spec?.nodeName !== undefined),
      'db-0 re-created after the force delete and scheduled',
      timeouts.podStart,
    );
    check
      .for('NOD-7')
      .fact(
        'lost node: StatefulSet pod after a force delete',
        `new db-0 on ${general}`,
        `new db-0 on ${newDb.object.spec?.nodeName ?? '?'}`,
        'force-delete-stateful-set-pod docs',
        newDb.object.spec?.nodeName === general,
      );
    const newDbReady = readySighting(watch, newDb.object.metadata?.uid, 'the new db-0 Ready');

    // --- NOD-4 (still Terminating) and NOD-8 (DaemonSet pod never marked), read from the whole watch history.
    const live = watch.pods.objects();
    const terminating = ['web', 'naked'].map((role) => live.find((p) => p.metadata?.uid === lost[role as 'web' | 'naked'].metadata?.uid));
    check
      .for('NOD-4')
      .fact(
        'lost node: marked pods stay Terminating while the node is lost',
        'web and naked exist with deletionTimestamp',
        terminating.every((p) => p?.metadata?.deletionTimestamp !== undefined)
          ? 'web and naked exist with deletionTimestamp'
          : `gone: ${terminating.map((p) => p?.metadata?.name ?? 'gone').join(', ')}`,
        'force-delete-stateful-set-pod docs',
      );
    const dsMarked = watch.podHistory.find(
      (p) => p.metadata?.uid === placed.ds.metadata?.uid && p.metadata?.deletionTimestamp !== undefined,
    );
    check
      .for('NOD-8')
      .fact(
        'lost node: DaemonSet pod marked for deletion',
        'never',
        dsMarked === undefined ? 'never' : `at ${String(dsMarked.metadata?.deletionTimestamp)}`,
        'taint-and-toleration docs',
      );
    const nakedTwins = live.filter((p) => ownerKind(p) === undefined && !['naked', 'client'].includes(p.metadata?.name ?? ''));
    check
      .for('NOD-6')
      .fact(
        'lost node: naked pod replaced',
        'never',
        nakedTwins.length === 0 ? 'never' : nakedTwins.map((p) => p.metadata?.name).join(', '),
        'pod-lifecycle docs',
      );

    // The client's load ran past its endpoint's removal and was cut at the evictions (endLoad): every request it judges
    // started before, on a connection kube-proxy had already sent elsewhere than the lost pod. Its settling (k6's last
    // records, their proof, its stop, the flows read) overlaps what follows, which cannot change where they went.
    const clientSettled = client.settle();
    clientSettled.catch(() => undefined);
    const replacementsReady = (async (): Promise<void> => {
      const replacement = await replacementReady;
      timeline.action(
        'measured',
        `replacement web scheduled ${((scheduled.at - deleteRequestedMs(marked['web'] ?? placed.web)) / 1000).toFixed(1)} s after the delete request, Ready after ${((replacement.at - scheduled.at) / 1000).toFixed(1)} s more`,
      );
      await newDbReady;
    })();
    replacementsReady.catch(() => undefined);

    if (after === 'node-deleted') {
      // --- NOD-10: the Node of the still lost node deleted; its pods, marked or not, collected; the node restored whole.
      const deleted = deleteLostNode({ kube, watch, faults, namespace, check: check.for('NOD-10') }, node, before, [
        lost.web,
        lost.naked,
        placed.ds,
      ]);
      const outcomes = await Promise.allSettled([clientSettled, deleted, replacementsReady]);
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      // The kubelet runs again (the Node's recovery started it): what is left of the stop is its marker.
      await faults.recover(fault);
      timeline.action(
        'timeline',
        JSON.stringify({ kind, node, lastHeartbeat, injectedAt, unknown: unknown.at, noSchedule: noSchedule.at, noExecute: noExecute.at }),
      );
      await client.judge(testInfo, check);
      return;
    }

    // --- NOD-9: the node returns, its taints go, its kubelet finishes the marked pods, the pod network is whole.
    const recoveredAt = (await faults.recover(fault)).getTime();
    const ready = await firstSeen(
      watch.nodes,
      (nodes) => nodes.find((n) => n.metadata?.name === node && nodeReadyStatus(n) === 'True'),
      `node ${node} Ready=True after recovery`,
      nodeReturnBudget,
    );
    timeline.action('measured', `recover → Ready=True ${((ready.at - recoveredAt) / 1000).toFixed(1)} s`);
    // What follows the node's return, none waiting for another: its taints removed (the next monitor pass), its kubelet
    // finishing the marked pods, its pod network read back, its DaemonSet pod reached; and the replacements' Ready.
    const untaintedChecked = (async (): Promise<number> => {
      const untainted = await firstSeen(
        watch.nodes,
        (nodes) => {
          const n = nodes.find((x) => x.metadata?.name === node);
          return n && !taintOf(n, unreachableTaintKey, 'NoExecute') && !taintOf(n, unreachableTaintKey, 'NoSchedule') ? n : undefined;
        },
        `unreachable taints removed from ${node}`,
        ms(`node-monitor-period + ${controllerWrite.name}`, period + controllerWrite.ms),
      );
      check.for('NOD-9').duration(readyToTaintsRemoved(timing), untainted.at - ready.at, controllerWrite, untainted.at);
      return untainted.at;
    })();
    const finished = (['web', 'naked'] as const).map(async (role) => {
      const uid = lost[role].metadata?.uid ?? '';
      const name = lost[role].metadata?.name ?? '';
      const goneAt = await waitForGone(watch.pods, name, {
        uid,
        description: `old ${role} pod ${name} finished by the returning kubelet`,
        timeout: timeouts.podDelete,
      });
      check
        .for('NOD-9')
        .fact(
          `node back: marked pod finished (${role})`,
          'gone',
          `gone ${((goneAt.getTime() - ready.at) / 1000).toFixed(1)} s after Ready=True`,
          'node-status docs',
          true,
        );
    });
    const networkChecked = checkPodNetworkFact(check.for('NOD-9'), kube, node, 'node back: pod network routes and CNI config');
    const reached = (async (): Promise<void> => {
      // A halted node restarts its DaemonSet pod: it is reached once Ready again. Through a pause, a partition or a kubelet
      // stop the pod kept running with its sandbox and IP; its Ready=False is the controller's mark, which the kubelet undoes
      // when it next syncs the pod's status (after a pause or a partition, up to its 10 s status sync) and which says
      // nothing of the network: it is reached at the IP it had.
      const dsIP =
        kind === 'node-stop'
          ? (
              await firstSeen(
                watch.pods,
                (pods) =>
                  pods.find((p) => p.metadata?.labels?.['app'] === 'ds' && p.metadata?.deletionTimestamp === undefined && isPodReady(p)),
                'DaemonSet pod Ready on the returned node',
                timeouts.podStart,
              )
            ).object.status?.podIP
          : placed.ds.status?.podIP;
      const reach = await execInContainer(kube, { namespace, pod: 'client', container: 'netexec' }, [
        '/agnhost',
        'connect',
        `${dsIP ?? ''}:8080`,
        '--timeout=5s',
      ]);
      check
        .for('NOD-9')
        .fact(
          'node back: a pod on it reached from another node',
          'exited 0',
          reach.outcome.kind === 'exited' ? `exited ${reach.outcome.exitCode}` : reach.outcome.kind,
          'agnhost connect from the general worker',
        );
    })();
    // All settled before the first failure is thrown: none is left running past the test's teardown.
    const outcomes = await Promise.allSettled([clientSettled, untaintedChecked, ...finished, networkChecked, reached, replacementsReady]);
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    const untaintedAt = await untaintedChecked;
    timeline.action(
      'timeline',
      JSON.stringify({
        kind,
        node,
        lastHeartbeat,
        injectedAt,
        unknown: unknown.at,
        noSchedule: noSchedule.at,
        noExecute: noExecute.at,
        recoveredAt,
        ready: ready.at,
        untainted: untaintedAt,
      }),
    );
    await client.judge(testInfo, check);
  } finally {
    zone.stop();
    pass.stop();
    await budgets.stop();
    // A test that failed before the fault may have left the client starting: its load is stopped all the same.
    await (client ?? (await clientStart?.catch(() => undefined)))?.stop();
  }
}
