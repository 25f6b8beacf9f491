/**
 * PRB-4 — "If a startup probe is provided, all other probes are disabled until it
 * succeeds. If the startup probe fails, the kubelet kills the container, and the
 * container is subjected to its restart policy."
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  expect,
  law,
  waitForEvent,
  waitForPod,
  waitForPodRunning,
  execOk,
  namedTimeout,
  containerStatus,
  isPodReady,
  podCondition,
  restartCount,
  holdsFor,
  budgetFor,
  probeKill,
  probeKillFromOnset,
  storedProbe,
  startupReady,
  firstEventTime,
  tolerances,
  waitForRestart,
} from '../../src/harness/index.ts';

const liveness = { periodSeconds: 1, failureThreshold: 3, timeoutSeconds: 1 };
/** The exhausted pod's startup period: 4 s, so that thresholds N ± 1 lie a whole period outside the 1 s timestamps. */
const exhaustedStartupPeriodSeconds = 4;
const held = 'held';
const exhausted = 'exhausted';

function started(pod: V1Pod): boolean {
  return containerStatus(pod, 'app')?.started === true;
}

test(
  'a startup probe holds liveness and readiness off, and its failure restarts the container',
  law('PRB-4'),
  async ({ cluster, namespace, objects, watch, check }) => {
    const [heldPod] = await objects.apply('probes/startup-held.yaml', {
      name: held,
      startupPeriodSeconds: 1,
      startupFailureThreshold: 60,
      livenessFailureThreshold: liveness.failureThreshold,
    });
    const [exhaustedPod] = await objects.apply('probes/startup-held.yaml', {
      name: exhausted,
      startupPeriodSeconds: exhaustedStartupPeriodSeconds,
      startupFailureThreshold: 3,
      livenessFailureThreshold: liveness.failureThreshold,
    });
    const target = { namespace, pod: held, container: 'app' };

    await test.step('while the startup probe fails, a failing liveness probe kills nothing and a passing readiness probe readies nothing', async () => {
      await waitForPodRunning(watch, held);
      // The fault is the missing /tmp/started: prove the startup probe really fails.
      const heldLiveness = storedProbe(heldPod, 'app', 'livenessProbe');
      const wouldKill = probeKillFromOnset('liveness', heldLiveness.timing, heldLiveness.source);
      await waitForEvent(watch, held, 'Unhealthy', budgetFor(wouldKill, tolerances.statusPropagation), { container: 'app' });
      await execOk(cluster.kube, target, ['sh', '-c', '! test -e /tmp/started && ! test -e /tmp/alive']);
      // Long enough for the failing liveness probe to have killed the container, were it running.
      const window = namedTimeout(
        `liveness would have killed by then: ${wouldKill.formula} + ${tolerances.containerRestart.name}`,
        wouldKill.maxMs + tolerances.containerRestart.ms,
      );
      await holdsFor(
        watch.pods,
        (pods) => pods.find((p) => p.metadata?.name === held && (restartCount(p, 'app') > 0 || isPodReady(p) || started(p))),
        {
          expectation: `pod ${held}: not started, not Ready, never restarted`,
          window,
        },
      );
      check.fact(
        `held off during ${(window.ms / 1000).toFixed(0)} s`,
        'no restart, not Ready',
        'no restart, not Ready',
        'pod status under a failing liveness and a passing readiness probe',
      );
    });

    await test.step('once startup succeeds, readiness and liveness run: Ready, then killed by liveness', async () => {
      const startedAt = new Date();
      await execOk(cluster.kube, target, ['touch', '/tmp/started']);
      const touchRoundTripMs = Date.now() - startedAt.getTime();
      const startup = storedProbe(heldPod, 'app', 'startupProbe');
      const readiness = storedProbe(heldPod, 'app', 'readinessProbe');
      const toReady = startupReady(
        startup.timing,
        readiness.timing.timeoutSeconds,
        touchRoundTripMs,
        `${startup.source}; readiness timeoutSeconds from the same pod`,
      );
      const ready = await waitForPod(
        watch,
        held,
        (p) => started(p) && isPodReady(p),
        'started and Ready',
        budgetFor(toReady, tolerances.statusPropagation),
      );
      const readySince = new Date(podCondition(ready, 'Ready')?.lastTransitionTime ?? 0);
      check.duration(toReady, readySince.getTime() - startedAt.getTime(), tolerances.none);
      const storedLiveness = storedProbe(heldPod, 'app', 'livenessProbe');
      const kill = probeKillFromOnset('liveness', storedLiveness.timing, storedLiveness.source);
      await waitForRestart(
        watch,
        held,
        'restarted by the liveness probe',
        budgetFor(kill, tolerances.containerRestart, tolerances.statusPropagation),
      );
      check.fact('liveness acts after startup', 'restarted', 'restarted', 'restartCount');
    });

    await test.step('a startup probe that exhausts failureThreshold gets the container killed and restarted', async () => {
      const stored = storedProbe(exhaustedPod, 'app', 'startupProbe');
      const expected = probeKill('startup', stored.timing, stored.source);
      const budget = budgetFor(
        probeKillFromOnset('startup', stored.timing, stored.source),
        tolerances.containerRestart,
        tolerances.statusPropagation,
      );
      // The fault took effect: the startup probe fails (no /tmp/started).
      const unhealthy = await waitForEvent(watch, exhausted, 'Unhealthy', budget, { container: 'app' });
      const restarted = await waitForRestart(watch, exhausted, 'restarted by the startup probe', budget);
      const run = containerStatus(restarted, 'app')?.lastState?.terminated;
      expect(run?.finishedAt, 'the killed run is recorded').toBeDefined();
      check.duration(expected, new Date(run?.finishedAt ?? 0).getTime() - firstEventTime(unhealthy).getTime(), tolerances.none);
      await waitForEvent(watch, exhausted, 'Killing', budget, { container: 'app' });
    });
  },
);
