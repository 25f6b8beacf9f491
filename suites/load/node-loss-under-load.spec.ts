/**
 * Node loss under load (NOD-4, as a client sees it) — "the node controller … marks
 * the Pods on the node as not ready" once the node's Ready condition turns Unknown,
 * after node-monitor-grace-period; the EndpointSlice controller then drops them from
 * service. Until then kube-proxy keeps sending new connections to the lost pod.
 * https://kubernetes.io/docs/concepts/architecture/nodes/#node-status
 *
 * So the error window lasts from the loss until the endpoint leaves service (grace
 * period + propagation), then no request fails. It pauses loss worker a, in that slot's
 * project (playwright.config.ts), so no other test faults the node meanwhile.
 */
import {
  test,
  expect,
  law,
  notApplicable,
  NodePauseFault,
  nodeContainerExists,
  waitForEndpoint,
  namedTimeout,
  waitForObject,
  nodeNotReady,
  tolerances,
  timeouts,
  destructiveFaultRefusal,
  failuresAfter,
  propagation,
  waitForReadyPods,
  EndpointChanges,
  readProxySync,
  LoadSession,
  nodeReadyStatus,
  lossWorkerFor,
  onLossWorker,
} from '../../src/harness/index.ts';

test.describe('on loss worker a', onLossWorker('a'), () => {
  test(
    'a node lost under load: errors from the loss until its endpoints leave service, then none',
    law('NOD-4'),
    async ({ cluster, namespace, objects, watch, faults, timeline, check }, testInfo) => {
      const refusal = await destructiveFaultRefusal(cluster.settings.context);
      if (refusal !== undefined) notApplicable(testInfo, refusal);
      const lost = await lossWorkerFor(cluster.kube, 'a');
      if (lost === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=loss to pause');
      const stays = (await cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/role=general' })).items[0]?.metadata?.name;
      if (stays === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to keep serving');
      if (!(await nodeContainerExists(lost))) notApplicable(testInfo, `node ${lost} is not a kind node container on this host`);
      await waitForObject(watch.nodes, lost, (n) => nodeReadyStatus(n) === 'True', {
        description: `node ${lost} Ready before the fault`,
        timeout: namedTimeout('node already Ready (none expected)', 5_000),
      });

      const name = 'web';
      await objects.apply('load/netexec-two-nodes.yaml', { name, stays, lost });
      const pods = await waitForReadyPods(watch, 2, timeouts.podStart);
      const victim = pods.find((p) => p.spec?.nodeName === lost)?.metadata?.name ?? '';
      expect(victim, `a pod on ${lost}`).not.toBe('');
      const proxy = await readProxySync(cluster.kube);
      const notReady = nodeNotReady(cluster.timing);
      const load = await LoadSession.start(
        cluster,
        namespace,
        {
          law: 'NOD-4',
          service: name,
          scenario: {
            name: 'node_loss',
            ratePerSecond: 20,
            durationSeconds: Math.ceil(notReady.maxMs / 1000) + 30,
            requestTimeoutMs: 2000,
            thresholds: {},
          },
          steadySeconds: 3,
        },
        timeline,
      );
      const changes = new EndpointChanges(watch.endpointSlices, name);

      const pause = new NodePauseFault(lost);
      const pausedAt = Date.now();
      load.phase(`node ${lost} paused`, pausedAt);
      await faults.inject(pause);
      // The fault took effect: the node controller stopped hearing from the node.
      await waitForObject(watch.nodes, lost, (n) => nodeReadyStatus(n) === 'Unknown', {
        description: `node ${lost} Ready=Unknown`,
        timeout: namedTimeout(
          `${notReady.formula} + ${tolerances.statusPropagation.name}`,
          notReady.maxMs + tolerances.statusPropagation.ms,
        ),
      });
      await waitForEndpoint(
        watch,
        name,
        victim,
        (e) => e?.conditions?.ready !== true,
        'not ready',
        namedTimeout(tolerances.statusPropagation.name, tolerances.statusPropagation.ms),
      );
      const leftAt = changes.leftServiceAt(victim) ?? Date.now();
      const bound = namedTimeout(
        `kube-proxy minSyncPeriod ${proxy.minSyncMs / 1000} s + ${tolerances.statusPropagation.name}`,
        proxy.minSyncMs + tolerances.statusPropagation.ms,
      );
      load.phase('after endpoint removal + propagation', leftAt + bound.ms);
      const outcome = await load.finish();
      changes.stop();
      await faults.recover(pause);
      await waitForObject(watch.nodes, lost, (n) => nodeReadyStatus(n) === 'True', {
        description: `node ${lost} Ready again`,
        timeout: timeouts.podStart,
      });

      const records = outcome.result.records;
      await load.report(testInfo, outcome, [propagation(records, victim, leftAt)]);
      const failed = failuresAfter(records, pausedAt);
      const first = failed[0]?.startMs;
      const last = failed.at(-1)?.startMs;
      const before = failuresAfter(records, load.steadySinceMs).filter((r) => r.startMs < pausedAt);
      check.fact('failed requests before the loss', '0', String(before.length), 'k6 per-request log', before.length === 0);
      check.fact(
        'error window: loss → last failed request',
        `ends ≤ endpoint removal (${((leftAt - pausedAt) / 1000).toFixed(1)} s after the loss; ${notReady.formula}) + ${bound.name}`,
        first === undefined || last === undefined
          ? 'no failed request'
          : `${failed.length} failed, ${((first - pausedAt) / 1000).toFixed(2)} s → ` +
              `${((last - pausedAt) / 1000).toFixed(2)} s after the loss`,
        `${notReady.source}; ${proxy.source}`,
        last === undefined || last <= leftAt + bound.ms,
      );
      const afterRemoval = failuresAfter(records, leftAt + bound.ms);
      check.fact(
        'failed requests once the endpoint left service (+ propagation)',
        '0',
        String(afterRemoval.length),
        'NOD-4 under load',
        afterRemoval.length === 0,
      );
      expect(failed.length, 'the loss was seen by the client (requests to the frozen pod failed)').toBeGreaterThan(0);
    },
  );
});
