/**
 * PRB-3 under load — "If the readiness probe fails, the EndpointSlice controller
 * removes the Pod's IP address from the EndpointSlices of all Services that match the
 * Pod"; the container is not restarted.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 *
 * As a client sees it: once the watch sees the endpoint turn ready=false, requests stop
 * reaching the pod within kube-proxy's propagation (its minSyncPeriod, read from the
 * cluster, plus watch delivery), and no request fails because two other replicas stay
 * ready and the unready pod keeps serving.
 */
import {
  test,
  law,
  ProbeFileToggle,
  waitForEndpoint,
  waitForPod,
  isPodReady,
  propagationBound,
  readinessFlip,
  budgetFor,
  tolerances,
  timeouts,
  failuresAfter,
  propagation,
  waitForReadyPods,
  withFileReadiness,
  readProxySync,
  EndpointChanges,
  LoadSession,
} from '../../src/harness/index.ts';

const replicas = 3;
const readyFile = '/tmp/ready';

test(
  'a pod whose readiness fails under load stops receiving requests within the proxy propagation, with no failed request',
  law('PRB-3'),
  async ({ cluster, namespace, objects, watch, faults, timeline, check }, testInfo) => {
    const name = 'web';
    for (const o of withFileReadiness(objects.render('load/netexec-service.yaml', { name, replicas }), readyFile)) await objects.create(o);
    const pods = await waitForReadyPods(watch, replicas, timeouts.podStart);
    const victim = pods[0]?.metadata?.name ?? '';
    const restartsBefore = pods[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const proxy = await readProxySync(cluster.kube);
    const load = await LoadSession.start(
      cluster,
      namespace,
      {
        law: 'PRB-3',
        service: name,
        scenario: {
          name: 'prb3',
          ratePerSecond: 40,
          durationSeconds: 30,
          requestTimeoutMs: 2000,
          thresholds: { http_req_failed: ['rate<0.001'], http_req_duration: ['p(99)<500'] },
        },
        steadySeconds: 3,
      },
      timeline,
    );

    const changes = new EndpointChanges(watch.endpointSlices, name);
    load.phase('during', Date.now());
    await faults.inject(new ProbeFileToggle(cluster.kube, { namespace, pod: victim, container: 'app' }, readyFile, 'readiness'));
    // The fault took effect: the kubelet set Ready=False and the endpoint turned not ready.
    const flip = budgetFor(readinessFlip('unready', 1, 1), tolerances.statusPropagation);
    await waitForPod(watch, victim, (p) => !isPodReady(p), 'Ready=False', flip);
    await waitForEndpoint(watch, name, victim, (e) => e?.conditions?.ready === false, 'ready=false', flip);
    const bound = propagationBound(proxy);
    // The after phase begins once the propagation bound has passed: its steady seconds are the evidence that no
    // request reached the unready pod later than the bound.
    load.phase('after', (changes.leftServiceAt(victim) ?? Date.now()) + bound.ms);
    const outcome = await load.finish();

    const records = outcome.result.records;
    changes.stop();
    const p = propagation(records, victim, changes.leftServiceAt(victim) ?? Number.NaN);
    await load.report(testInfo, outcome, [p]);
    check.fact(
      'readiness failure → last request answered by the unready pod',
      `≤ ${bound.ms / 1000} s (${bound.name})`,
      p.propagationMs === undefined
        ? 'answered none'
        : `${(p.propagationMs / 1000).toFixed(2)} s, ${p.lateAnswers} answers after the change`,
      proxy.source,
      p.propagationMs !== undefined && p.propagationMs <= bound.ms,
    );
    const restarts = watch.pods.objects().find((o) => o.metadata?.name === victim)?.status?.containerStatuses?.[0]?.restartCount ?? -1;
    check.fact('restartCount of the unready pod', String(restartsBefore), String(restarts), 'PRB-3: readiness never restarts');
    const failures = failuresAfter(records, load.steadySinceMs);
    check.fact('failed requests with 2 replicas still ready', '0', String(failures.length), 'PRB-3 under load', failures.length === 0);
  },
);
