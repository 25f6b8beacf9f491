/**
 * NPE-2..NPE-6 in one memory-pressure episode on the pressure worker.
 *
 * NPE-5 — "The kubelet uses the following parameters to determine the pod eviction order:
 * whether the pod's resource usage exceeds requests, pod Priority, the pod's resource usage
 * relative to requests." QoS class is not one of them.
 * NPE-3 — the node reports MemoryPressure=True and gets node.kubernetes.io/memory-pressure:NoSchedule;
 * the condition stays for eviction-pressure-transition-period after relief.
 * NPE-4 — "If you are using a hard eviction threshold, the kubelet uses a 0s grace period
 * (immediate shutdown) for termination"; kubelet evictions do not respect PodDisruptionBudgets.
 * NPE-6 — the evicted pod is Failed with reason Evicted, a DisruptionTarget condition and an event; its controller replaces it.
 * https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/
 *
 * Five pods hold known amounts of memory, with requests, limits and one PriorityClass chosen so
 * that the documented ranking and the "BestEffort, Burstable, Guaranteed" folklore disagree.
 * The fault fills a tmpfs in the node container past the node's own threshold (configz) by more
 * than all the pods hold, so the pressure outlasts every eviction and the kubelet evicts all five,
 * one per synchronize, in its ranking order.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import {
  test,
  expect,
  law,
  notApplicable,
  destructiveFaultRefusal,
  kubeletTimingFor,
  describeSource,
  listNodes,
  MemoryPressureFault,
  waitForNodeMemory,
  waitForOwnEvictablePods,
  readNodeMemory,
  memoryAvailableThresholdBytes,
  memoryCapacityBytes,
  pressureFillBytes,
  storedMemoryRequestBytes,
  rankMemoryPressure,
  naiveQosOrder,
  nodeConditionStatus,
  hasNoScheduleTaint,
  memoryPressureTaintKey,
  firstSeen,
  waitFor,
  waitForObject,
  watchBudgets,
  priorityClass,
  waitForReadyPods,
  podCondition,
  containerStatus,
  reportedTermination,
  type ReportedTermination,
  eventsAbout,
  eventTime,
  restartCount,
  firstEviction,
  pressureCondition,
  hardEvictionKill,
  pressureTransition,
  evictionMonitoringPeriodMs,
  namedTimeout,
  retireDeploymentsNow,
  tolerances,
  timeouts,
} from '../../src/harness/index.ts';

interface Ranked {
  readonly name: string;
  /** The container's resources block, flow YAML. */
  readonly resources: string;
  readonly usageMi: number;
  readonly highPriority: boolean;
}

// Enough CPU for each pod's dd to write its fill in a second or two: the guaranteed pod's limit equals its request,
// and at 10m its 250 MiB took 25 s, all of it waiting before the fault. The ranking does not read CPU.
const cpu = 'cpu: 100m';
const ranked: readonly Ranked[] = [
  { name: 'besteffort-high', resources: '{}', usageMi: 50, highPriority: true },
  { name: 'burstable-over', resources: `{ requests: { memory: 100Mi, ${cpu} } }`, usageMi: 200, highPriority: false },
  {
    name: 'guaranteed',
    resources: `{ requests: { memory: 300Mi, ${cpu} }, limits: { memory: 300Mi, ${cpu} } }`,
    usageMi: 250,
    highPriority: false,
  },
  { name: 'burstable-under', resources: `{ requests: { memory: 200Mi, ${cpu} } }`, usageMi: 50, highPriority: false },
  { name: 'besteffort-low', resources: '{}', usageMi: 20, highPriority: false },
];
const guarded = 'burstable-over';
const Mi = 1024 * 1024;
/** Past the threshold by this much once every pod is gone: far above the kubelet's sampling noise. */
const fillMargin = 256 * Mi;

const appOf = (pod: V1Pod): string => pod.metadata?.labels?.['app'] ?? '';
const isEvicted = (pod: V1Pod): boolean => pod.status?.reason === 'Evicted' || podCondition(pod, 'DisruptionTarget')?.status === 'True';
const containerStatusUnknown = 'ContainerStatusUnknown';
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

test(
  'memory pressure: the kubelet evicts by usage over request, priority, then usage − request, at once, despite budgets',
  law('NPE-5', 'NPE-2', 'NPE-3', 'NPE-4', 'NPE-6'),
  async ({ cluster, namespace, objects, watch, faults, timeline, check }, testInfo) => {
    const refusal = await destructiveFaultRefusal(cluster.settings.context);
    if (refusal !== undefined) notApplicable(testInfo, refusal);
    const node = (await listNodes(cluster.kube, 'podlaw.dev/role=pressure'))[0];
    const nodeName = node?.metadata?.name;
    if (node === undefined || nodeName === undefined)
      notApplicable(testInfo, 'no worker labelled podlaw.dev/role=pressure to put under memory pressure');
    const kubelet = kubeletTimingFor(cluster.timing, nodeName);
    const capacity = memoryCapacityBytes(node);
    const threshold = memoryAvailableThresholdBytes(kubelet.evictionHard.value, capacity);
    expect(threshold, `a memory.available hard threshold on ${nodeName} (${describeSource(kubelet.evictionHard)})`).toBeDefined();
    if (threshold === undefined) return;

    // The kubelet ranks every active pod on the node: the prediction holds only when the evictable ones are ours.
    const clearance = await waitForOwnEvictablePods(cluster.kube, nodeName, namespace);
    if (clearance.kind === 'foreign') {
      notApplicable(
        testInfo,
        `pods podlaw did not create are evictable on ${nodeName} (${clearance.pods.join(', ')}); podlaw evicts only its own`,
      );
    }
    if (clearance.kind === 'held') {
      notApplicable(
        testInfo,
        `pods of another podlaw run are evictable on ${nodeName} and nothing is deleting them (${clearance.pods.join(', ')}): wait for that run, or remove them with podlaw clean`,
      );
    }
    if (clearance.left.length > 0) {
      timeline.action('waited', `${seconds(clearance.waitedMs)} for ${clearance.left.join(', ')} to leave ${nodeName}`);
    }

    // The workloads: one PriorityClass above the default 0, five pods, a budget that allows no disruption.
    const highClass = `${namespace}-high`.slice(0, 253);
    await objects.create(priorityClass(highClass, 1000, cluster.settings.runId));
    const budgets = await watchBudgets(cluster.kube, namespace);
    try {
      for (const pod of ranked) {
        await objects.apply('node-pressure/ranked.yaml', {
          name: pod.name,
          node: nodeName,
          usageMi: pod.usageMi,
          resources: pod.resources,
          priorityClass: pod.highPriority ? highClass : '',
        });
      }
      await objects.apply('node-pressure/budget.yaml', { app: guarded });
      const running = await waitForReadyPods(watch, ranked.length, timeouts.podStart);
      const podOf = (app: string): V1Pod | undefined => running.find((p) => appOf(p) === app);

      // Each pod's usage as the kubelet sees it, before any pressure. Ready means filled (its readiness probe):
      // what remains is cAdvisor's housekeeping.
      const key = (pod: V1Pod): string => `${namespace}/${pod.metadata?.name ?? ''}`;
      const filled = await waitForNodeMemory(
        cluster.kube,
        nodeName,
        (s) => ranked.every((r) => (s.pods.get(key(podOf(r.name) as V1Pod)) ?? 0) >= r.usageMi * Mi),
        'every ranked pod holding its memory in the summary',
        namedTimeout('cAdvisor housekeeping (up to 15 s, dynamic) twice', 30_000),
      );

      // NPE-2: memory.available is capacity − working set, in the kubelet's own sample.
      check
        .for('NPE-2')
        .fact(
          'summary memory.available = capacity − working set',
          `${capacity - filled.workingSetBytes} bytes`,
          `${filled.availableBytes} bytes`,
          `summary API of ${nodeName} at ${filled.time}: capacity ${capacity} (Node status) − working set ${filled.workingSetBytes}`,
        );
      const sampleAgeMs = Date.now() - Date.parse(filled.time);
      check
        .for('NPE-2')
        .fact(
          'sample age',
          '≤ 15 s (cAdvisor housekeeping, up to its 15 s maximum)',
          seconds(sampleAgeMs),
          'summary node.memory.time',
          sampleAgeMs <= 15_000,
        );

      // NPE-5's prediction, from the pods as stored (requests, priority) and the kubelet's usage figures.
      const inputs = ranked.map((r) => {
        const pod = podOf(r.name) as V1Pod;
        return {
          name: r.name,
          requestBytes: storedMemoryRequestBytes(pod),
          usageBytes: filled.pods.get(key(pod)) ?? 0,
          priority: pod.spec?.priority ?? 0,
        };
      });
      const predicted = rankMemoryPressure(inputs);
      const naive = naiveQosOrder(ranked.map((r) => ({ name: r.name, qosClass: podOf(r.name)?.status?.qosClass ?? '?' })));
      for (const p of predicted) {
        timeline.action(
          'predicted',
          `${p.name}: request ${Math.round(p.requestBytes / Mi)} MiB, usage ${Math.round(p.usageBytes / Mi)} MiB, priority ${p.priority} — ${p.reason}`,
        );
      }
      const budget = await waitForObject(budgets, guarded, (b) => b.status?.currentHealthy === 1, {
        description: `budget ${guarded} counting its healthy pod`,
        timeout: namedTimeout('disruption controller sync (e2e framework PodStart 5 min)', timeouts.podStart.ms),
      });

      // The fault, and proof it took effect: memory.available below the node's threshold.
      const fill = pressureFillBytes({
        capacityBytes: capacity,
        thresholdBytes: threshold,
        nodeWorkingSetBytes: filled.workingSetBytes,
        podsWorkingSetBytes: inputs.reduce((sum, p) => sum + p.usageBytes, 0),
        marginBytes: fillMargin,
      });
      const evictedAt = new Map<string, { at: number; pod: V1Pod }>();
      // The budget as the watch held it when its pod was first seen evicted: the kubelet must not consult it.
      let allowedWhenGuardedEvicted: number | undefined;
      const unsubscribe = watch.pods.subscribe((change) => {
        const app = appOf(change.object);
        const original = podOf(app);
        if (original === undefined || change.object.metadata?.uid !== original.metadata?.uid) return;
        if (app === guarded && isEvicted(change.object) && !evictedAt.has(app)) {
          allowedWhenGuardedEvicted = budgets.get(guarded)?.status?.disruptionsAllowed;
        }
        if (isEvicted(change.object) && !evictedAt.has(app)) evictedAt.set(app, { at: change.receivedAt.getTime(), pod: change.object });
        if (evictedAt.has(app)) evictedAt.set(app, { at: evictedAt.get(app)?.at ?? 0, pod: change.object });
      });
      // The container each pod runs when the pressure starts: "not restarted" is about what follows the eviction,
      // not a runtime that failed a first start before the fault (runc "unable to freeze" under load, seen here).
      const runningAtFault = new Map(
        ranked.map((r) => [
          r.name,
          containerStatus(watch.pods.objects().find((p) => p.metadata?.uid === podOf(r.name)?.metadata?.uid) ?? {}, 'app')?.containerID ??
            '',
        ]),
      );
      const fault = new MemoryPressureFault(nodeName, fill);
      // Timed from the start of the fill: the threshold is crossed part way through it, so the
      // durations below can only come out long, never hide an overrun of their maximum.
      const fillStartedAt = Date.now();
      await faults.inject(fault);
      const crossedAt = fillStartedAt;
      const under = await waitForNodeMemory(
        cluster.kube,
        nodeName,
        (s) => s.availableBytes < threshold,
        `memory.available below the threshold ${Math.round(threshold / Mi)} MiB`,
        namedTimeout('cAdvisor housekeeping (up to 15 s, dynamic) twice', 30_000),
      );
      timeline.action(
        'measured',
        `memory.available ${Math.round(under.availableBytes / Mi)} MiB < threshold ${Math.round(threshold / Mi)} MiB`,
      );

      // NPE-3: the condition and the taint.
      const conditionWindow = pressureCondition(kubelet);
      const condition = await firstSeen(
        watch.nodes,
        (nodes) => nodes.find((n) => n.metadata?.name === nodeName && nodeConditionStatus(n, 'MemoryPressure') === 'True'),
        `${nodeName} MemoryPressure=True`,
        namedTimeout(`${conditionWindow.formula} + status propagation 5 s`, conditionWindow.maxMs + tolerances.statusPropagation.ms),
      );
      check.for('NPE-3').duration(conditionWindow, condition.at - crossedAt, tolerances.statusPropagation);
      const taint = await firstSeen(
        watch.nodes,
        (nodes) => nodes.find((n) => n.metadata?.name === nodeName && hasNoScheduleTaint(n, memoryPressureTaintKey)),
        `${nodeName} tainted ${memoryPressureTaintKey}:NoSchedule`,
        namedTimeout(
          `node lifecycle controller taints on the node update (doNoScheduleTaintingPass; bounded by node-monitor-period ${seconds(cluster.timing.nodeMonitorPeriodMs.value)}) + status propagation 5 s`,
          cluster.timing.nodeMonitorPeriodMs.value + tolerances.statusPropagation.ms,
        ),
      );
      check.for('NPE-3').fact(
        'taint',
        `${memoryPressureTaintKey}:NoSchedule`,
        (taint.object.spec?.taints ?? [])
          .filter((t) => t.key === memoryPressureTaintKey)
          .map((t) => `${t.key}:${t.effect}`)
          .join(', '),
        `Node spec.taints, seen ${seconds(taint.at - condition.at)} after the condition (node lifecycle controller)`,
      );

      // NPE-3: a newcomer that does not tolerate the taint is not scheduled there.
      await objects.apply('node-pressure/newcomer.yaml', { name: 'newcomer', node: nodeName });
      const refused = await firstSeen(
        watch.pods,
        (pods) => pods.find((p) => p.metadata?.name === 'newcomer' && podCondition(p, 'PodScheduled')?.reason === 'Unschedulable'),
        'newcomer refused by the scheduler',
        timeouts.podStart,
      );
      // The scheduler's message counts nodes, not taints: name the taint from the node and the pod as stored.
      const scheduled = podCondition(refused.object, 'PodScheduled');
      const pressured = watch.nodes.objects().find((n) => n.metadata?.name === nodeName);
      const tolerations = refused.object.spec?.tolerations ?? [];
      const untolerated = (pressured?.spec?.taints ?? [])
        .filter(
          (t) =>
            !tolerations.some(
              (tol) => tol.key === t.key && (tol.operator === 'Exists' || tol.value === t.value) && tol.effect === t.effect,
            ),
        )
        .map((t) => `${t.key}:${t.effect}`);
      check
        .for('NPE-3')
        .fact(
          'new BestEffort pod',
          `Unschedulable; untolerated taints of ${nodeName}: ${memoryPressureTaintKey}:NoSchedule`,
          `${scheduled?.reason}; untolerated taints of ${nodeName}: ${untolerated.join(', ')}`,
          `PodScheduled condition ("${scheduled?.message ?? ''}"), Node taints, pod tolerations as stored`,
        );

      // NPE-5: every pod evicted, one per synchronize, in the kubelet's order.
      const allEvicted = namedTimeout(
        `${ranked.length} evictions × (eviction monitoring period 10 s + pod cleanup timeout 30 s) + one period`,
        ranked.length * (evictionMonitoringPeriodMs + 30_000) + evictionMonitoringPeriodMs,
      );
      await waitFor(watch.pods, () => (evictedAt.size === ranked.length ? true : undefined), {
        description: `all ${ranked.length} ranked pods evicted (so far: ${[...evictedAt.keys()].join(', ')})`,
        timeout: allEvicted,
        lastSeen: () => Object.fromEntries([...evictedAt].map(([app, e]) => [app, e.at])),
      });
      unsubscribe();
      // The first terminal status can precede the container's end in state.terminated: when the runtime no
      // longer returns the container, the kubelet leaves it waiting and moves the end there only in TerminatePod.
      const ended = (app: string, uid: string | undefined): ReportedTermination | undefined => {
        const latest = watch.pods.objects().find((p) => p.metadata?.uid === uid) ?? evictedAt.get(app)?.pod;
        return latest === undefined ? undefined : reportedTermination(latest, 'app');
      };
      await waitFor(
        watch.pods,
        () => ([...evictedAt].every(([app, e]) => ended(app, e.pod.metadata?.uid) !== undefined) ? true : undefined),
        {
          description: 'every evicted container reported ended (state or, in a terminal pod, lastState terminated)',
          timeout: namedTimeout(
            'kubelet status manager sync period 10 s + status propagation 5 s',
            10_000 + tolerances.statusPropagation.ms,
          ),
          lastSeen: () => Object.fromEntries([...evictedAt].map(([app, e]) => [app, containerStatus(e.pod, 'app') ?? 'no status for app'])),
        },
      );
      const observed = [...evictedAt.entries()].sort((a, b) => a[1].at - b[1].at).map(([app]) => app);
      check
        .for('NPE-5')
        .fact(
          'eviction order',
          predicted.map((p) => p.name).join(' → '),
          observed.join(' → '),
          `predicted from stored requests and priorities and the summary's usage (naive QoS order: ${naive.join(' → ')})`,
        );
      const first = [...evictedAt.values()].reduce((a, b) => (a.at < b.at ? a : b));
      check.for('NPE-5').duration(firstEviction(), first.at - crossedAt, tolerances.statusPropagation);

      // NPE-4 and NPE-6, per evicted pod, from its last version seen.
      let exitCodesSeen = 0;
      for (const [app, { pod }] of evictedAt) {
        const final = watch.pods.objects().find((p) => p.metadata?.uid === pod.metadata?.uid) ?? pod;
        const history = watch.podHistory.filter((p) => p.metadata?.uid === pod.metadata?.uid);
        const target = podCondition(final, 'DisruptionTarget');
        const end = ended(app, pod.metadata?.uid);
        const terminated = end?.terminated;
        // killContainer records Killing just before the preStop hook gets its 1 s and the stop its 2 s; the
        // DisruptionTarget condition is only written with the status after the kill, so it cannot time it.
        const decided = eventsAbout(watch.events.objects(), pod.metadata?.name ?? '', 'Killing', 'app')[0];
        const targetMs = decided === undefined ? NaN : (eventTime(decided)?.getTime() ?? NaN);
        const finishedMs = new Date(terminated?.finishedAt ?? NaN).getTime();
        const kill = { ...hardEvictionKill(), what: `${app}: eviction → container exit (grace 120 s, preStop sleep 100 s)` };
        if (finishedMs > 0 && targetMs > 0) {
          check.for('NPE-4').duration(kill, finishedMs - targetMs, tolerances.timestampResolution);
        } else if (targetMs > 0) {
          // The kubelet no longer found the killed container (ContainerStatusUnknown, no finishedAt):
          // the pod turning Failed, which follows the kill, bounds it from above.
          const failedAt = evictedAt.get(app)?.at ?? NaN;
          check
            .for('NPE-4')
            .duration(
              { ...kill, what: `${app}: eviction → pod Failed (container status unknown)` },
              failedAt - targetMs,
              tolerances.statusPropagation,
            );
        } else {
          check.for('NPE-4').fact(`${app} kill`, 'a Killing event', JSON.stringify({ decided, terminated }), 'events, pod status', false);
        }
        // The kubelet removes an evicted pod's dead containers at once (cleanUpContainersInPod): when that wins the
        // race with its status, it reports ContainerStatusUnknown with a placeholder 137, which proves no signal.
        if (terminated?.reason === containerStatusUnknown) {
          check
            .for('NPE-4')
            .fact(
              `${app} end`,
              `removed before its status: ${containerStatusUnknown}, the kubelet's placeholder 137`,
              `removed before its status: ${terminated.reason}, the kubelet's placeholder ${terminated.exitCode}`,
              `containerStatuses ${end?.field}; the kill is bounded by its duration above`,
            );
        } else {
          if (terminated !== undefined) exitCodesSeen += 1;
          check
            .for('NPE-4')
            .fact(
              `${app} exit code`,
              '137',
              String(terminated?.exitCode),
              `containerStatuses ${end?.field ?? '(no end reported)'} (${terminated?.reason ?? '?'}); its shell ignores SIGTERM, only SIGKILL ends it`,
            );
        }
        check
          .for('NPE-6')
          .fact(`${app} phase / reason`, 'Failed / Evicted', `${final.status?.phase} / ${final.status?.reason}`, 'pod status');
        check
          .for('NPE-6')
          .fact(
            `${app} message names memory`,
            'yes',
            /memory/.test(final.status?.message ?? '') ? 'yes' : (final.status?.message ?? 'none'),
            'pod status.message',
          );
        check
          .for('NPE-6')
          .fact(`${app} DisruptionTarget`, 'True / TerminationByKubelet', `${target?.status} / ${target?.reason}`, 'pod conditions');
        // restartCount proves nothing here: for a container it cannot find after the kill the kubelet reports
        // ContainerStatusUnknown and adds one to restartCount (seen here). A restart would be a second container
        // after the one that ran when the pressure began.
        const ids = history.map((p) => containerStatus(p, 'app')?.containerID ?? '');
        const fromFault = ids.slice(Math.max(0, ids.indexOf(runningAtFault.get(app) ?? '')));
        const containerIds = new Set(fromFault.filter((id) => id !== ''));
        check
          .for('NPE-6')
          .fact(
            `${app} not restarted`,
            '1 container',
            `${containerIds.size} container${containerIds.size === 1 ? '' : 's'}`,
            `containerIDs seen since the pressure began (restartCount ${restartCount(final, 'app')})`,
          );
      }
      check
        .for('NPE-4')
        .fact(
          'evicted containers with an exit code the runtime gave',
          '≥ 1',
          String(exitCodesSeen),
          `of ${evictedAt.size}; the others were removed before their status (${containerStatusUnknown})`,
          exitCodesSeen >= 1,
        );
      check
        .for('NPE-4')
        .fact(
          `${guarded} evicted despite its budget`,
          'evicted while disruptionsAllowed was 0',
          evictedAt.has(guarded) ? `evicted while disruptionsAllowed was ${allowedWhenGuardedEvicted}` : 'not evicted',
          `PodDisruptionBudget ${guarded} (minAvailable 1, ${budget.status?.currentHealthy} healthy before the fault) as watched at the eviction`,
        );
      const events = await cluster.kube.core.listNamespacedEvent({ namespace, fieldSelector: 'reason=Evicted' });
      for (const [app, { pod }] of evictedAt) {
        const count = events.items.filter((e) => e.involvedObject.uid === pod.metadata?.uid).reduce((sum, e) => sum + (e.count ?? 1), 0);
        check.for('NPE-6').fact(`${app} Evicted events`, '1', String(count), 'events of the namespace');
      }
      const replacements = await waitFor(
        watch.pods,
        (pods) => {
          const fresh = ranked.map((r) => pods.find((p) => appOf(p) === r.name && p.metadata?.uid !== podOf(r.name)?.metadata?.uid));
          return fresh.every((p) => p !== undefined) ? fresh : undefined;
        },
        { description: 'a replacement pod of every Deployment', timeout: timeouts.podStart },
      );
      check
        .for('NPE-6')
        .fact('replaced by their Deployments', `${ranked.length} new pods`, `${replacements.length} new pods`, 'ReplicaSet pods seen');

      // NPE-3: relief, then the condition stays for the transition period.
      const relievedAt = (await faults.recover(fault)).getTime();
      const transition = pressureTransition(kubelet);
      const cleared = await firstSeen(
        watch.nodes,
        (nodes: readonly V1Node[]) =>
          nodes.find((n) => n.metadata?.name === nodeName && nodeConditionStatus(n, 'MemoryPressure') === 'False'),
        `${nodeName} MemoryPressure=False`,
        namedTimeout(`${transition.formula} + status propagation 5 s`, transition.maxMs + tolerances.statusPropagation.ms),
      );
      check.for('NPE-3').duration(transition, cleared.at - relievedAt, tolerances.statusPropagation);
      const after = await readNodeMemory(cluster.kube, nodeName);
      timeline.action('measured', `after relief memory.available ${Math.round(after.availableBytes / Mi)} MiB`);
      // The replacements start after relief and would sleep through a 120 s grace once the namespace goes.
      await retireDeploymentsNow(cluster.kube, namespace, 'podlaw.dev/ranked=true');
    } finally {
      await budgets.stop();
    }
  },
);
