/**
 * PRB-7 — "on deletion, the Pod automatically puts itself into an unready state
 * regardless of whether the readiness probe exists. The Pod remains in the unready
 * state while it waits for the containers in the Pod to stop."
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 *
 * The pod here keeps passing its (HTTP) readiness probe while it terminates (SIGTERM is
 * logged and ignored), so only the deletion itself can make it unready.
 *
 * On 1.36 the Pod's Ready condition stays True (a known deviation, src/laws/deviations.ts,
 * signature "delete → pod Ready=False"): the endpoint checks must pass; the Pod-condition
 * check is recorded, not thrown, so the report can tell exactly that deviation ("deviates
 * (known)") from any other failure.
 */
import {
  test,
  expect,
  law,
  PodDeletion,
  waitForEndpoint,
  waitForPod,
  waitForPodRunning,
  execInContainer,
  isPodReady,
  podCondition,
  budgetFor,
  readinessFlip,
  tolerances,
  timeouts,
  WaitTimeoutError,
} from '../../src/harness/index.ts';

const name = 'terminating';
const graceSeconds = 30;

test(
  'a pod being deleted turns unready while its readiness probe still passes',
  law('PRB-7'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    await objects.apply('probes/readiness-http-service.yaml', { name, graceSeconds });
    await waitForPodRunning(watch, name, 'app', { ready: true });
    await waitForEndpoint(watch, name, name, (e) => e?.conditions?.ready === true, 'ready', timeouts.podStart);

    const deletion = new PodDeletion(cluster.kube, { namespace, names: [name] }, { kind: 'graceful' });
    const deletedAt = await faults.inject(deletion);
    // The fault took effect: the API server accepted a graceful deletion.
    await waitForPod(watch, name, (p) => p.metadata?.deletionTimestamp !== undefined, 'deletionTimestamp set', timeouts.podDelete);

    // The readiness probe still gets what it asks for; were the pod unready, it would not be the probe's doing.
    const probe = await execInContainer(cluster.kube, { namespace, pod: name, container: 'app' }, [
      'wget',
      '-q',
      '-O',
      '/dev/null',
      'http://127.0.0.1:8080/ready',
    ]);
    check.fact(
      'readiness endpoint while terminating',
      'answers 200',
      probe.outcome.kind === 'exited' && probe.outcome.exitCode === 0
        ? 'answers 200'
        : `wget ${probe.outcome.kind === 'exited' ? `exit ${probe.outcome.exitCode}` : probe.outcome.reason}`,
      'wget inside the terminating container',
    );

    const flip = budgetFor(readinessFlip('unready', 1, 1), tolerances.statusPropagation);
    const endpoint = await waitForEndpoint(watch, name, name, (e) => e?.conditions?.terminating === true, 'terminating', flip);
    check.fact('endpoint ready condition', 'false', String(endpoint?.conditions?.ready), 'EndpointSlice (what Service consumers see)');

    // The pod's own Ready condition, as the law states it (observe: Ready=False once deletionTimestamp is set).
    // Everything above must hold; a deviation known for this release covers only the observation that follows.
    expect(check.failures(), 'what must hold before the Pod-condition check').toEqual([]);
    check.declareKnownDeviation(cluster.version);
    const expected = { ...readinessFlip('unready', 1, 1), what: 'delete → pod Ready=False' };
    const budget = budgetFor(expected, tolerances.statusPropagation);
    const unready = await waitForPod(watch, name, (p) => !isPodReady(p), 'Ready=False while terminating', budget).catch(
      (error: unknown) => {
        if (error instanceof WaitTimeoutError) return undefined;
        throw error;
      },
    );
    if (unready === undefined) {
      check.fact(
        expected.what,
        `Ready=False within ${budget.name}`,
        `still Ready=True after ${budget.ms / 1000} s`,
        'Pod Ready condition',
        false,
      );
      return;
    }
    const since = new Date(podCondition(unready, 'Ready')?.lastTransitionTime ?? 0);
    check.duration(
      { ...expected, formula: `within one readiness period (1 s): ${expected.formula}` },
      since.getTime() - deletedAt.getTime(),
      tolerances.timestampResolution,
    );
  },
);
