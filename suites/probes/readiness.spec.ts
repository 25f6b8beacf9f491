/**
 * PRB-3 — "If the readiness probe fails, the endpoints controller removes the Pod's IP
 * address from the endpoints of all Services that match the Pod. The default state of
 * readiness before the initial delay is Failure." A failing readiness probe does not
 * restart the container.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import { test, expect, law } from '../../src/harness/test.ts';
import { ProbeFileToggle } from '../../src/faults/probe-toggle.ts';
import { eventsAbout, waitForEndpoint, waitForEvent, waitForPod, waitForPodRunning } from '../../src/harness/pods.ts';
import { containerStatus, isPodReady, podCondition } from '../../src/kube/pod-status.ts';
import { budgetFor, readinessFlip, readinessInitialDelay, tolerances, upstreamTimeouts } from '../../src/laws/timing.ts';
import { durationObservation, factObservation } from '../../src/timeline/observation.ts';

const name = 'ready-web';
const probe = { initialDelaySeconds: 5, periodSeconds: 1, failureThreshold: 2, successThreshold: 1 };

test('a failing readiness probe takes the pod out of its Service without restarting it', law('PRB-3'), async ({ cluster, namespace, objects, observe, faults, timeline }) => {
  await objects.apply('probes/readiness-service.yaml', { name, graceSeconds: 2, initialDelaySeconds: probe.initialDelaySeconds, failureThreshold: probe.failureThreshold });

  const ready = await test.step('before initialDelaySeconds the pod is not ready', async () => {
    const running = await waitForPodRunning(observe, name);
    const startedAt = new Date(containerStatus(running, 'app')?.state?.running?.startedAt ?? 0);
    const expected = readinessInitialDelay(probe.initialDelaySeconds, probe.periodSeconds);
    const readyPod = await waitForPod(observe, name, isPodReady, 'Ready', budgetFor(expected, tolerances.statusPropagation));
    const readySince = new Date(podCondition(readyPod, 'Ready')?.lastTransitionTime ?? 0);
    timeline.observe(durationObservation('PRB-3', expected, readySince.getTime() - startedAt.getTime(), tolerances.timestampResolution));
    return readyPod;
  });
  const containerID = containerStatus(ready, 'app')?.containerID;

  await waitForEndpoint(observe, name, name, (e) => e?.conditions?.ready === true, 'ready', upstreamTimeouts.podStart);

  const toggle = new ProbeFileToggle(cluster.kube, { namespace, pod: name, container: 'app' }, '/tmp/ready', 'readiness');
  const failing = readinessFlip('unready', probe.periodSeconds, probe.failureThreshold);
  const failingBudget = budgetFor(failing, tolerances.statusPropagation);

  await test.step('failing readiness: Ready=False and the endpoint is marked not ready', async () => {
    const injectedAt = await faults.inject(toggle);
    await waitForEvent(observe, name, 'Unhealthy', failingBudget, { container: 'app' });
    const unready = await waitForPod(observe, name, (p) => !isPodReady(p), 'Ready=False', failingBudget);
    const since = new Date(podCondition(unready, 'Ready')?.lastTransitionTime ?? 0);
    timeline.observe(durationObservation('PRB-3', failing, since.getTime() - injectedAt.getTime(), tolerances.timestampResolution));
    const endpoint = await waitForEndpoint(observe, name, name, (e) => e?.conditions?.ready === false, 'ready=false', failingBudget);
    timeline.observe(
      factObservation('PRB-3', 'endpoint while failing', 'ready=false serving=false', `ready=${String(endpoint?.conditions?.ready)} serving=${String(endpoint?.conditions?.serving)}`, 'EndpointSlice conditions'),
    );
  });

  await test.step('recovered readiness: Ready=True and the endpoint is ready again', async () => {
    const recovering = readinessFlip('ready', probe.periodSeconds, probe.successThreshold);
    const recoveredAt = await faults.recover(toggle);
    const readyAgain = await waitForPod(observe, name, isPodReady, 'Ready again', budgetFor(recovering, tolerances.statusPropagation));
    const since = new Date(podCondition(readyAgain, 'Ready')?.lastTransitionTime ?? 0);
    timeline.observe(durationObservation('PRB-3', recovering, since.getTime() - recoveredAt.getTime(), tolerances.timestampResolution));
    await waitForEndpoint(observe, name, name, (e) => e?.conditions?.ready === true, 'ready=true', budgetFor(recovering, tolerances.statusPropagation));
  });

  const final = observe.pods.get(name);
  const restarts = containerStatus(final ?? ready, 'app')?.restartCount;
  const sameContainer = containerStatus(final ?? ready, 'app')?.containerID === containerID;
  timeline.observe(factObservation('PRB-3', 'restarts caused by readiness failure', '0, same container', `${String(restarts)}, ${sameContainer ? 'same container' : 'new container'}`, 'pod status'));
  timeline.observe(factObservation('PRB-3', 'Killing events', '0', String(eventsAbout(observe.events.objects(), name, 'Killing').length), 'kubelet events'));

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
