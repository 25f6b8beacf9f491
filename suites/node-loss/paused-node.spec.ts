/**
 * NOD-1 — Node loss: "Ready: … Unknown if the node controller has not heard from the node in
 * the last node-monitor-grace-period" — https://kubernetes.io/docs/reference/node/node-status/
 * The expected time comes from kube-controller-manager's flags (or the documented
 * default for this version when they cannot be read). It is measured from the node's
 * last heartbeat (its Lease renewTime) to the Ready=Unknown transition; the wait's
 * budget is that grace period plus one monitor period, plus 15 s of slack.
 *
 * The paused worker is loss worker a: the law suites' pods never land there (their
 * podlaw.dev/disruption taint), and its slot's project runs one test at a time, after
 * smoke, whose NodePort replicas may land there (playwright.config.ts). Slot a, because
 * slot b carries NOD-10's node delete and restore (balanced by measured wall time, node-loss.spec.ts).
 */
import {
  controllerWrite,
  test,
  expect,
  law,
  notApplicable,
  namedTimeout,
  nodeNotReady,
  tolerances,
  kubeletTimingFor,
  NodePauseFault,
  nodeContainerExists,
  destructiveFaultRefusal,
  lastHeartbeatMs,
  lossWorkerFor,
  onLossWorker,
  nodeReadyReason,
  waitForNodeReadyStatus,
} from '../../src/harness/index.ts';

const lossSlack = { name: 'node-loss slack 15 s', ms: 15_000 } as const;

test.describe('on loss worker a', onLossWorker('a'), () => {
  test(
    'a paused worker turns Ready=Unknown within the grace period and returns Ready when unpaused',
    law('NOD-1'),
    async ({ cluster, watch, faults, check }, testInfo) => {
      const refusal = await destructiveFaultRefusal(cluster.settings.context);
      if (refusal !== undefined) notApplicable(testInfo, refusal);
      const node = await lossWorkerFor(cluster.kube, 'a');
      if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=loss to pause');
      if (!(await nodeContainerExists(node))) notApplicable(testInfo, `node ${node} is not a kind node container on this host`);

      await waitForNodeReadyStatus(
        watch,
        node,
        'True',
        'Ready before the fault',
        namedTimeout('node already Ready (none expected)', 5_000),
      );
      const expectation = nodeNotReady(cluster.timing);
      const pause = new NodePauseFault(node);
      const pausedAt = await faults.inject(pause);

      // The fault took effect: the node controller stopped hearing from the node.
      const unknownBudget = namedTimeout(`${expectation.formula} + ${lossSlack.name}`, expectation.maxMs + lossSlack.ms);
      const unknown = await waitForNodeReadyStatus(watch, node, 'Unknown', 'Ready=Unknown after its container was paused', unknownBudget);
      const unknownSeenAt = Date.now();
      expect(nodeReadyReason(unknown)).toBe('NodeStatusUnknown');
      testInfo.annotations.push({
        type: 'measured:pause → Ready=Unknown',
        description: `${((unknownSeenAt - pausedAt.getTime()) / 1000).toFixed(1)} s (the last heartbeat came up to one lease renewal before the pause)`,
      });

      // The grace period runs from the node's last heartbeat: its Lease's renewTime, frozen since the pause.
      const lastHeartbeat = await lastHeartbeatMs(cluster.kube, node);
      expect(lastHeartbeat, `Lease kube-node-lease/${node} renewTime`).not.toBeNaN();
      expect(lastHeartbeat, 'no heartbeat after the pause').toBeLessThanOrEqual(pausedAt.getTime() + tolerances.timestampResolution.ms);
      const what = 'last heartbeat (Lease renewTime) → Ready=Unknown';
      // The controller's write and its watch delivery, as for the node-loss family: 2 s, so a neighbouring grace period
      // (± one monitor period) stays outside (tests/unit/node-loss-timing.test.ts).
      check.duration({ ...expectation, what }, unknownSeenAt - lastHeartbeat, controllerWrite);

      const kubelet = kubeletTimingFor(cluster.timing, node);
      const backBudget = kubelet.nodeStatusUpdateFrequencyMs.value + cluster.timing.nodeMonitorPeriodMs.value + lossSlack.ms;
      const unpausedAt = await faults.recover(pause);
      const backName = `kubelet nodeStatusUpdateFrequency ${kubelet.nodeStatusUpdateFrequencyMs.value / 1000} s + node-monitor-period ${
        cluster.timing.nodeMonitorPeriodMs.value / 1000
      } s + ${lossSlack.name}`;
      await waitForNodeReadyStatus(watch, node, 'True', 'Ready again after unpause', namedTimeout(backName, backBudget));
      testInfo.annotations.push({
        type: 'measured:unpause → Ready=True',
        description: `${((Date.now() - unpausedAt.getTime()) / 1000).toFixed(1)} s`,
      });
    },
  );
});
