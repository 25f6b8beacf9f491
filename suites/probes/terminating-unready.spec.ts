/**
 * PRB-7 — "on deletion, the Pod automatically puts itself into an unready state
 * regardless of whether the readiness probe exists. The Pod remains in the unready
 * state while it waits for the containers in the Pod to stop."
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 *
 * The pod here keeps passing its (HTTP) readiness probe while it terminates (SIGTERM is
 * logged and ignored), so only the deletion itself can make it unready.
 *
 * On 1.36 the Pod's Ready condition stays True (a known deviation, src/laws/deviations.ts):
 * the endpoint checks must pass, the Pod-condition check is then expected to fail.
 */
import { test, expect, expectKnownDeviation, law } from '../../src/harness/test.ts';
import { PodDeletion } from '../../src/faults/pod-delete.ts';
import { waitForEndpoint, waitForPod, waitForPodRunning } from '../../src/harness/pods.ts';
import { execInContainer } from '../../src/kube/exec.ts';
import { isPodReady, podCondition } from '../../src/kube/pod-status.ts';
import { budgetFor, readinessFlip, tolerances, upstreamTimeouts } from '../../src/laws/timing.ts';
import { durationObservation, factObservation } from '../../src/timeline/observation.ts';

const name = 'terminating';
const graceSeconds = 30;

test('a pod being deleted turns unready while its readiness probe still passes', law('PRB-7'), async ({ cluster, namespace, objects, observe, faults, timeline }, testInfo) => {
  await objects.apply('probes/readiness-http-service.yaml', { name, graceSeconds });
  await waitForPodRunning(observe, name, 'app', { ready: true });
  await waitForEndpoint(observe, name, name, (e) => e?.conditions?.ready === true, 'ready', upstreamTimeouts.podStart);

  const deletion = new PodDeletion(cluster.kube, { namespace, names: [name] }, { kind: 'graceful' });
  const deletedAt = await faults.inject(deletion);
  // The fault took effect: the API server accepted a graceful deletion.
  await waitForPod(observe, name, (p) => p.metadata?.deletionTimestamp !== undefined, 'deletionTimestamp set', upstreamTimeouts.podDelete);

  // The readiness probe still gets what it asks for; were the pod unready, it would not be the probe's doing.
  const probe = await execInContainer(cluster.kube, { namespace, pod: name, container: 'app' }, ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/ready']);
  timeline.observe(
    factObservation('PRB-7', 'readiness endpoint while terminating', 'answers 200', probe.outcome.kind === 'exited' && probe.outcome.exitCode === 0 ? 'answers 200' : `wget ${probe.outcome.kind === 'exited' ? `exit ${probe.outcome.exitCode}` : probe.outcome.reason}`, 'wget inside the terminating container'),
  );

  const endpoint = await waitForEndpoint(observe, name, name, (e) => e?.conditions?.terminating === true, 'terminating', budgetFor(readinessFlip('unready', 1, 1), tolerances.statusPropagation));
  timeline.observe(factObservation('PRB-7', 'endpoint ready condition', 'false', String(endpoint?.conditions?.ready), 'EndpointSlice (what Service consumers see)'));

  // The pod's own Ready condition, as the law states it (observe: Ready=False once deletionTimestamp is set).
  // Everything above must hold; a deviation known for this release is declared only for what follows.
  expect(timeline.observations.filter((o) => !o.ok), 'what must hold before the Pod-condition check').toEqual([]);
  expectKnownDeviation(testInfo, 'PRB-7', cluster.version);
  const expected = readinessFlip('unready', 1, 1);
  const unready = await waitForPod(observe, name, (p) => !isPodReady(p), 'Ready=False while terminating', budgetFor(expected, tolerances.statusPropagation));
  const since = new Date(podCondition(unready, 'Ready')?.lastTransitionTime ?? 0);
  timeline.observe(durationObservation('PRB-7', { ...expected, what: 'delete → pod Ready=False', formula: 'within one readiness period (1 s)' }, since.getTime() - deletedAt.getTime(), tolerances.timestampResolution));

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
