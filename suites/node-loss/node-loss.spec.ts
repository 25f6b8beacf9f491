/**
 * Node loss and rescheduling (NOD-2..NOD-10, EVA-2's drain) under four kinds of node loss,
 * each also seen by a client under load (NOD-4 as a client sees it): one loss serves both, so
 * each kind of loss happens once per run. The timeline body and the rules it quotes are in
 * src/harness/lost-node.ts and src/harness/client-during-loss.ts.
 *
 * Scheduling: each loss worker has its own group of tests (its slot's tag), run in order by
 * that slot's Playwright project (workers: 1), so the two loss workers are lost in parallel and
 * a node is restored (its fault recovered, then preflight: Ready, no condition or fault
 * taint, not cordoned) before the next test starts on it. Other families' pods never
 * land on a loss worker (its podlaw.dev/disruption=loss:NoSchedule taint). Whoever runs
 * these specs holds /work/coord/locks/<node>.lock for both loss workers meanwhile.
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  expect,
  law,
  notApplicable,
  budgetSummary,
  watchBudgets,
  describeAnswer,
  evict,
  disruptionReason,
  firstSeen,
  preflightLossNode,
  NodeCordonFault,
  NodeTaintFault,
  nodeContainerExists,
  namedTimeout,
  isPodReady,
  holdsFor,
  waitFor,
  waitForGone,
  timeouts,
  destructiveFaultRefusal,
  controllerWrite,
  countdownEnds,
  lostNode,
  lossWorkerFor,
  onLossWorker,
  type ClusterContext,
  type LossSlot,
  type NodeLossKind,
  type AfterLoss,
  TaintManagerActs,
} from '../../src/harness/index.ts';

interface Placement {
  readonly node: string;
  readonly general: string;
}

/** The slot's loss worker and the general worker, or not applicable with the reason. */
async function placement(cluster: ClusterContext, slot: LossSlot, testInfo: Parameters<typeof notApplicable>[0]): Promise<Placement> {
  // Reads only, side by side: nothing is touched before the refusal is known.
  const [refusal, node, generals] = await Promise.all([
    destructiveFaultRefusal(cluster.settings.context),
    lossWorkerFor(cluster.kube, slot),
    cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/role=general' }),
  ]);
  if (refusal !== undefined) notApplicable(testInfo, refusal);
  const general = generals.items[0]?.metadata?.name;
  if (node === undefined) notApplicable(testInfo, `no loss worker for slot ${slot}: too few workers labelled podlaw.dev/role=loss`);
  if (general === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general for replacements');
  if (!(await nodeContainerExists(node))) notApplicable(testInfo, `node ${node} is not a kind node container on this host`);
  // Every test then runs preflightLossNode on this slot's node only (the other loss worker belongs to the other slot, whose
  // NOD-10 deletes its Node on purpose): a Node a killed run left deleted is re-created there.
  return { node, general };
}

function lossTest(kind: NodeLossKind, slot: LossSlot, title: string, after: AfterLoss = 'node-returns'): void {
  // NOD-9 when the node returns; NOD-10 when its Node object is deleted first, and the node is restored from it.
  const ending = after === 'node-returns' ? 'NOD-9' : 'NOD-10';
  test(
    title,
    law('NOD-1', 'NOD-2', 'NOD-3', 'NOD-4', 'NOD-6', 'NOD-7', 'NOD-8', ending, 'EVA-2'),
    async ({ cluster, watch, objects, faults, timeline, namespace, check }, testInfo) => {
      const { node, general } = await placement(cluster, slot, testInfo);
      await lostNode(kind, node, general, { cluster, watch, objects, faults, timeline, namespace, check, testInfo }, after);
    },
  );
}

/**
 * NOD-5's tolerations: the timed one runs out while the taint is on; the cancelled one would run out after it is removed,
 * which follows the timed pod's deletion (about a second after its 5 s) with the 2 s of a controller write to spare.
 */
const timedSeconds = 5;
const cancelledSeconds = 14;

/** NOD-5 and EVA-2's drain, which fault the slot's node without losing its heartbeat. */
function taintAndDrainTests(slot: LossSlot): void {
  test(
    'a NoExecute taint evicts at once, after tolerationSeconds, never, and removing it cancels',
    law('NOD-5'),
    async ({ cluster, watch, objects, faults, check }, testInfo) => {
      // "NoExecute … Pods that do not tolerate the taint are evicted immediately; Pods that tolerate the taint without specifying
      // tolerationSeconds remain bound forever; Pods that tolerate the taint with a specified tolerationSeconds remain bound for the
      // specified amount of time." https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions
      const { node } = await placement(cluster, slot, testInfo);
      await preflightLossNode(cluster.kube, watch, node);
      await objects.apply('node-loss/noexecute.yaml', { node, timedSeconds, cancelledSeconds });
      const names = ['intolerant', 'forever', 'timed', 'cancelled'];
      const pods = await waitFor(
        watch.pods,
        (all) => {
          const running = names.map((n) => all.find((p) => p.metadata?.name === n && p.status?.phase === 'Running'));
          return running.every((p) => p !== undefined) ? (running as V1Pod[]) : undefined;
        },
        { description: 'the four NOD-5 pods Running', timeout: timeouts.podStart },
      );
      const uid = (name: string): string | undefined => pods.find((p) => p.metadata?.name === name)?.metadata?.uid;
      const taint = new NodeTaintFault(cluster.kube, node, 'noexecute', cluster.settings.runId, 'NoExecute');
      await faults.ready();
      // Watched from before the taint: the taint manager's first act on each pod ends its countdown (not the deletion, three
      // API writes later).
      const acts = (name: string, seconds: number): TaintManagerActs =>
        new TaintManagerActs(
          watch,
          pods.find((p) => p.metadata?.name === name) ?? {},
          namedTimeout(`taint written + tolerationSeconds ${seconds} s + ${controllerWrite.name}`, seconds * 1000 + 2 * controllerWrite.ms),
        );
      const actsOn = { intolerant: acts('intolerant', 0), timed: acts('timed', timedSeconds) };
      await faults.inject(taint);
      const tainted = await firstSeen(
        watch.nodes,
        (nodes) => nodes.find((n) => n.metadata?.name === node)?.spec?.taints?.find((t) => t.key === taint.taint.key),
        `taint ${taint.taint.key} on ${node}`,
        namedTimeout(controllerWrite.name, controllerWrite.ms),
      );
      const markedAt = async (name: keyof typeof actsOn, seconds: number): Promise<void> => {
        const expectation = {
          what: `NoExecute taint → ${name} marked for deletion`,
          nominalMs: seconds * 1000,
          minMs: seconds * 1000,
          maxMs: seconds * 1000,
          formula: seconds === 0 ? 'at once (no matching toleration)' : `tolerationSeconds ${seconds} s`,
          source: `pod ${name} spec.tolerations (fixtures/node-loss/noexecute.yaml); taint_eviction.go processPodOnNode`,
        };
        const acted = await actsOn[name].first();
        check.duration({ ...expectation, what: `${expectation.what} (${acted.what})` }, acted.at - tainted.at, countdownEnds, acted.at);
        // The act began the eviction; the deletion itself must follow.
        await actsOn[name].deleted();
        const reason = watch.podHistory
          .filter((p) => p.metadata?.uid === uid(name))
          .map(disruptionReason)
          .find((r) => r !== undefined);
        check.fact(`${name}: DisruptionTarget reason`, 'DeletionByTaintManager', reason ?? 'none', 'pod-lifecycle docs');
      };
      await markedAt('intolerant', 0);
      await markedAt('timed', timedSeconds);
      const removedAt = (await faults.recover(taint)).getTime();
      const cancelDeadline = tainted.at + cancelledSeconds * 1000 + controllerWrite.ms;
      expect(removedAt, 'taint removed before the cancelled toleration ran out').toBeLessThan(
        tainted.at + cancelledSeconds * 1000 - controllerWrite.ms,
      );
      // The watch is alive: it delivered the two deletions above; the window runs past the cancelled pod's deadline.
      await holdsFor(
        watch.pods,
        (all) =>
          all.find(
            (p) =>
              (p.metadata?.uid === uid('forever') || p.metadata?.uid === uid('cancelled')) && p.metadata?.deletionTimestamp !== undefined,
          ),
        {
          expectation: 'forever and cancelled stay unmarked',
          window: namedTimeout(
            `until taint + cancelled tolerationSeconds ${cancelledSeconds} s + ${controllerWrite.name}`,
            Math.max(1, cancelDeadline - Date.now()),
          ),
        },
      );
      check.fact('forever (toleration without seconds): marked', 'never', 'never', 'taint-and-toleration docs');
      check.fact(
        `cancelled (taint removed after ${((removedAt - tainted.at) / 1000).toFixed(1)} s of ${cancelledSeconds} s): marked`,
        'never',
        'never',
        'taint-and-toleration docs',
      );
    },
  );

  test(
    'a drain blocks on a budget; a direct delete is not stopped and counts against it',
    law('EVA-2'),
    async ({ cluster, watch, objects, faults, namespace, check }, testInfo) => {
      // "an eviction … is not allowed if it would violate a PodDisruptionBudget … kubectl drain … retries"; involuntary disruptions
      // and direct deletes "are not stopped by budgets but count against them". https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
      const { node } = await placement(cluster, slot, testInfo);
      await preflightLossNode(cluster.kube, watch, node);
      const budgets = await watchBudgets(cluster.kube, namespace);
      try {
        await objects.apply('node-loss/budget.yaml', { node, replicas: 1, minAvailable: 1 });
        const pod = await waitFor(watch.pods, (all) => all.find((p) => p.metadata?.labels?.['app'] === 'guarded' && isPodReady(p)), {
          description: 'guarded pod Ready',
          timeout: timeouts.podStart,
        });
        const healthy = await waitFor(
          budgets,
          (all) => all.find((b) => b.status?.currentHealthy === 1 && b.status.observedGeneration === b.metadata?.generation),
          {
            description: 'budget guarded sees 1 healthy pod',
            timeout: timeouts.podStart,
          },
        );
        expect(healthy.status?.disruptionsAllowed, 'minAvailable 1 of 1: no disruption allowed').toBe(0);
        const name = pod.metadata?.name ?? '';
        // kubectl drain: cordon, then evict every pod of the node (here: the test's own), retrying while it gets 429.
        await faults.inject(new NodeCordonFault(cluster.kube, node, cluster.settings.runId));
        const answer = await evict(cluster.kube, namespace, name);
        check.fact(
          'drain: eviction of the only guarded pod',
          '429 TooManyRequests causes=[DisruptionBudget]',
          describeAnswer(answer),
          'api-eviction docs',
        );
        const stillThere = watch.pods.objects().find((p) => p.metadata?.uid === pod.metadata?.uid);
        check.fact(
          'drain: guarded pod after the refused eviction',
          'running, not marked',
          stillThere?.metadata?.deletionTimestamp === undefined ? 'running, not marked' : 'marked',
          'disruptions docs',
        );
        // A direct delete is not an eviction: the budget does not stop it, and the disruption counts.
        await cluster.kube.core.deleteNamespacedPod({ name, namespace });
        const counted = await firstSeen(
          budgets,
          (all) => all.find((b) => b.status?.currentHealthy === 0),
          'budget guarded counts the deleted pod',
          namedTimeout('disruption controller sync (e2e framework KubeProxyEndpointLagTimeout 30 s)', 30_000),
        );
        check.fact(
          'direct delete counts against the budget',
          'currentHealthy=0 desiredHealthy=1 disruptionsAllowed=0',
          budgetSummary(counted.object),
          'disruptions docs',
        );
        await waitForGone(watch.pods, name, {
          uid: pod.metadata?.uid ?? '',
          description: 'guarded pod deleted despite the budget',
          timeout: timeouts.podDelete,
        });
      } finally {
        await budgets.stop();
      }
    },
  );
}

// Slot a's chain: NOD-5 and the drain first, which lose no heartbeat, so the chains' node losses come tens of seconds apart
// and neither waits for the other's token of the zone's eviction rate (0.1 nodes/s: one NoExecute taint per 10 s, burst 1).
test.describe('node loss on the first loss worker', onLossWorker('a'), () => {
  test.describe.configure({ mode: 'default' });
  taintAndDrainTests('a');
  lossTest(
    'node-pause',
    'a',
    'a paused node: taints, evictions after tolerationSeconds, replacements, return; under load, errors only until its endpoints leave',
  );
  lossTest(
    'node-stop',
    'a',
    'a stopped node container: taints, evictions, replacements, a clean restart; under load, errors only until its endpoints leave',
  );
});

// Slot b's chain (60 + 100 s of documented waits) bounds the run's floor. NOD-10 follows the kubelet stop's evictions
// inside its test, as an operator deletes a dead node's Node: the node stays lost, so neither a return of the node (up to
// 5 s for its taints' removal) nor a second test's workloads and stopped kubelet (about 2.5 s) stand between them.
test.describe('node loss on the second loss worker', onLossWorker('b'), () => {
  test.describe.configure({ mode: 'default' });
  lossTest(
    'node-partition',
    'b',
    'a node cut from the API server by a filter: its pods keep serving, and are still evicted and replaced; under load, no errors',
  );
  lossTest(
    'kubelet-stop',
    'b',
    'a node whose kubelet stopped: its pods keep serving, and are still evicted and replaced, then collected once its Node object is deleted; the node is restored whole; under load, no errors',
    'node-deleted',
  );
});
