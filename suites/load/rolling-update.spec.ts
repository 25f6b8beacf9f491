/**
 * A rolling update under load — "maxUnavailable … the maximum number of Pods that can
 * be unavailable during the update"; with 0, a new pod must be Ready (its readiness
 * probe passing) before an old one is taken down, so capacity never drops.
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 *
 * Capacity is not the whole story: each old pod is still deleted, so TRM-4's race
 * applies to it. The Deployment therefore carries the preStop sleep TRM-4 showed to be
 * longer than the propagation here; then a client sees no failed request.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import {
  test,
  expect,
  law,
  waitFor,
  watchDeployment,
  startRollout,
  timeouts,
  failuresAfter,
  waitForEndpointsGone,
  waitForReadyPods,
  withPreStopSleep,
  LoadSession,
} from '../../src/harness/index.ts';

const replicas = 3;
const preStopSeconds = 5;
/** terminationGracePeriodSeconds of fixtures/load/netexec-service.yaml. */
const graceSeconds = 30;

function rolledOut(d: V1Deployment): boolean {
  const s = d.status;
  return (
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    s?.updatedReplicas === replicas &&
    s.readyReplicas === replicas &&
    (s.replicas ?? 0) === replicas &&
    (s.unavailableReplicas ?? 0) === 0
  );
}

test(
  'a rolling update with maxUnavailable 0 and readiness probes under load: no request fails',
  law('TRM-4'),
  async ({ cluster, namespace, objects, watch, timeline, check }, testInfo) => {
    const name = 'web';
    for (const o of withPreStopSleep(objects.render('load/netexec-service.yaml', { name, replicas }), preStopSeconds))
      await objects.create(o);
    const before = await waitForReadyPods(watch, replicas, timeouts.podStart);
    const load = await LoadSession.start(
      cluster,
      namespace,
      {
        law: 'TRM-4',
        service: name,
        scenario: {
          name: 'rolling_update',
          ratePerSecond: 40,
          durationSeconds: 45,
          requestTimeoutMs: 2000,
          thresholds: { http_req_failed: ['rate<0.001'], http_req_duration: ['p(99)<500'] },
        },
        steadySeconds: 3,
      },
      timeline,
    );

    const deployments = await watchDeployment(cluster.kube, namespace, name);
    try {
      load.phase('during', Date.now());
      await startRollout(cluster.kube, namespace, name);
      load.mark('rolling update started (template annotation)');
      await waitFor(deployments, (ds) => ds.find((d) => rolledOut(d)), {
        description: `Deployment ${name} rolled out`,
        timeout: timeouts.podStart,
      });
      const old = new Set(before.map((p) => p.metadata?.name ?? ''));
      // The rollout took effect: every ready pod is new.
      const after = await waitForReadyPods(watch, replicas, timeouts.podStart, { except: [...old] });
      expect(
        after.filter((p) => old.has(p.metadata?.name ?? '')),
        'old pods still serving',
      ).toEqual([]);
      // Rolled out counts no terminating pod: the old ones are still in their preStop sleep. The race this test is
      // about ends with their exit, so the after phase begins once every old pod has left the EndpointSlice.
      await waitForEndpointsGone(watch, name, old, preStopSeconds, graceSeconds);
      load.phase('after', Date.now());
    } finally {
      await deployments.stop();
    }
    const outcome = await load.finish();
    await load.report(testInfo, outcome, []);
    const failures = failuresAfter(outcome.result.records, load.steadySinceMs);
    check.fact(
      'failed requests during a rolling update (maxUnavailable 0, readiness, preStop 5 s)',
      '0',
      String(failures.length),
      'Deployment rolling update',
      failures.length === 0,
    );
  },
);
