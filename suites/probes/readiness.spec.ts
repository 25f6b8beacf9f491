/**
 * PRB-3 — "If the readiness probe fails, the endpoints controller removes the Pod's IP
 * address from the endpoints of all Services that match the Pod. The default state of
 * readiness before the initial delay is Failure." A failing readiness probe does not
 * restart the container.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import {
  test,
  law,
  ProbeFileToggle,
  eventsAbout,
  waitForEndpoint,
  waitForEvent,
  waitForPod,
  waitForPodRunning,
  containerStatus,
  isPodReady,
  podCondition,
  budgetFor,
  readinessFlip,
  readinessInitialDelay,
  readinessUnreadyFromFirstFailure,
  storedProbe,
  firstEventTime,
  tolerances,
  timeouts,
} from '../../src/harness/index.ts';

const name = 'ready-web';
/** Period 4 s: thresholds N ± 1 then lie a whole period outside the 1 s timestamps (src/laws/windows.ts). */
const probe = { initialDelaySeconds: 5, periodSeconds: 4, failureThreshold: 2, successThreshold: 1 };

test(
  'a failing readiness probe takes the pod out of its Service without restarting it',
  law('PRB-3'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    const created = await objects.apply('probes/readiness-service.yaml', {
      name,
      graceSeconds: 2,
      initialDelaySeconds: probe.initialDelaySeconds,
      periodSeconds: probe.periodSeconds,
      failureThreshold: probe.failureThreshold,
    });
    const stored = storedProbe(
      created.find((o) => o.kind === 'Pod'),
      'app',
      'readinessProbe',
    );

    const ready = await test.step('before initialDelaySeconds the pod is not ready', async () => {
      const running = await waitForPodRunning(watch, name);
      const startedAt = new Date(containerStatus(running, 'app')?.state?.running?.startedAt ?? 0);
      const expected = readinessInitialDelay(
        stored.initialDelaySeconds,
        stored.timing.periodSeconds,
        stored.source,
        stored.timing.timeoutSeconds,
      );
      const readyPod = await waitForPod(watch, name, isPodReady, 'Ready', budgetFor(expected, tolerances.statusPropagation));
      const readySince = new Date(podCondition(readyPod, 'Ready')?.lastTransitionTime ?? 0);
      check.duration(expected, readySince.getTime() - startedAt.getTime(), tolerances.none);
      return readyPod;
    });
    const containerID = containerStatus(ready, 'app')?.containerID;

    await waitForEndpoint(watch, name, name, (e) => e?.conditions?.ready === true, 'ready', timeouts.podStart);

    const toggle = new ProbeFileToggle(cluster.kube, { namespace, pod: name, container: 'app' }, '/tmp/ready', 'readiness');
    const failing = readinessUnreadyFromFirstFailure(stored.timing, stored.source);
    const failingBudget = budgetFor(
      readinessFlip('unready', stored.timing.periodSeconds, stored.timing.failureThreshold, stored.timing.timeoutSeconds),
      tolerances.statusPropagation,
    );

    await test.step('failing readiness: Ready=False and the endpoint is marked not ready', async () => {
      const injectedAt = await faults.inject(toggle);
      // The fault took effect: the kubelet reports the readiness probe failing; its first report times the count.
      const unhealthy = await waitForEvent(watch, name, 'Unhealthy', failingBudget, { container: 'app', since: injectedAt });
      const unready = await waitForPod(watch, name, (p) => !isPodReady(p), 'Ready=False', failingBudget);
      const since = new Date(podCondition(unready, 'Ready')?.lastTransitionTime ?? 0);
      check.duration(failing, since.getTime() - firstEventTime(unhealthy).getTime(), tolerances.none);
      const endpoint = await waitForEndpoint(watch, name, name, (e) => e?.conditions?.ready === false, 'ready=false', failingBudget);
      check.fact(
        'endpoint while failing',
        'ready=false serving=false',
        `ready=${String(endpoint?.conditions?.ready)} serving=${String(endpoint?.conditions?.serving)}`,
        'EndpointSlice conditions',
      );
    });

    await test.step('recovered readiness: Ready=True and the endpoint is ready again', async () => {
      const recovering = {
        ...readinessFlip('ready', stored.timing.periodSeconds, stored.successThreshold, stored.timing.timeoutSeconds),
        source: stored.source,
      };
      const recoveredAt = await faults.recover(toggle);
      const readyAgain = await waitForPod(watch, name, isPodReady, 'Ready again', budgetFor(recovering, tolerances.statusPropagation));
      const since = new Date(podCondition(readyAgain, 'Ready')?.lastTransitionTime ?? 0);
      check.duration(recovering, since.getTime() - recoveredAt.getTime(), tolerances.none);
      await waitForEndpoint(
        watch,
        name,
        name,
        (e) => e?.conditions?.ready === true,
        'ready=true',
        budgetFor(recovering, tolerances.statusPropagation),
      );
    });

    const final = watch.pods.get(name);
    const restarts = containerStatus(final ?? ready, 'app')?.restartCount;
    const sameContainer = containerStatus(final ?? ready, 'app')?.containerID === containerID;
    check.fact(
      'restarts caused by readiness failure',
      '0, same container',
      `${String(restarts)}, ${sameContainer ? 'same container' : 'new container'}`,
      'pod status',
    );
    check.fact('Killing events', '0', String(eventsAbout(watch.events.objects(), name, 'Killing').length), 'kubelet events');
  },
);
