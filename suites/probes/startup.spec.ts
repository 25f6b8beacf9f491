/**
 * PRB-4 — "If a startup probe is provided, all other probes are disabled until it
 * succeeds. If the startup probe fails, the kubelet kills the container, and the
 * container is subjected to its restart policy."
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
import type { V1Pod } from '@kubernetes/client-node';
import { test, expect, law } from '../../src/harness/test.ts';
import { waitForEvent, waitForPod, waitForPodRunning } from '../../src/harness/pods.ts';
import { execOk } from '../../src/kube/exec.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import { containerStatus, isPodReady, podCondition, restartCount } from '../../src/kube/pod-status.ts';
import { holdsFor } from '../../src/kube/wait.ts';
import { budgetFor, probeKill, tolerances } from '../../src/laws/timing.ts';
import type { Expectation } from '../../src/laws/timing.ts';
import { durationObservation, factObservation } from '../../src/timeline/observation.ts';

const liveness = { initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 3 };
const held = 'held';
const exhausted = 'exhausted';

function started(pod: V1Pod): boolean {
  return containerStatus(pod, 'app')?.started === true;
}

test('a startup probe holds liveness and readiness off, and its failure restarts the container', law('PRB-4'), async ({ cluster, namespace, objects, observe, timeline }) => {
  await objects.apply('probes/startup-held.yaml', { name: held, startupFailureThreshold: 60, livenessFailureThreshold: liveness.failureThreshold });
  await objects.apply('probes/startup-held.yaml', { name: exhausted, startupFailureThreshold: 3, livenessFailureThreshold: liveness.failureThreshold });
  const target = { namespace, pod: held, container: 'app' };

  await test.step('while the startup probe fails, a failing liveness probe kills nothing and a passing readiness probe readies nothing', async () => {
    await waitForPodRunning(observe, held);
    // The fault is the missing /tmp/started: prove the startup probe really fails.
    const wouldKill = probeKill('liveness', liveness, true);
    await waitForEvent(observe, held, 'Unhealthy', budgetFor(wouldKill, tolerances.statusPropagation), { container: 'app' });
    await execOk(cluster.kube, target, ['sh', '-c', '! test -e /tmp/started && ! test -e /tmp/alive']);
    // Long enough for the failing liveness probe to have killed the container, were it running.
    const window = namedTimeout(
      `liveness would have killed by then: ${wouldKill.formula} + ${tolerances.containerRestart.name}`,
      wouldKill.maxMs + tolerances.containerRestart.ms,
    );
    await holdsFor(observe.pods, (pods) => pods.find((p) => p.metadata?.name === held && (restartCount(p, 'app') > 0 || isPodReady(p) || started(p))), {
      expectation: `pod ${held}: not started, not Ready, never restarted`,
      window,
    });
    timeline.observe(factObservation('PRB-4', `held off during ${(window.ms / 1000).toFixed(0)} s`, 'no restart, not Ready', 'no restart, not Ready', 'pod status under a failing liveness and a passing readiness probe'));
  });

  await test.step('once startup succeeds, readiness and liveness run: Ready, then killed by liveness', async () => {
    const startedAt = new Date();
    await execOk(cluster.kube, target, ['touch', '/tmp/started']);
    const toReady: Expectation = {
      what: 'startup success → Ready',
      nominalMs: 1_000,
      minMs: 0,
      maxMs: 2_000,
      formula: 'up to 1 startup period (1 s) + up to 1 readiness period (1 s)',
      source: 'probe fields of the pod spec',
    };
    const ready = await waitForPod(observe, held, (p) => started(p) && isPodReady(p), 'started and Ready', budgetFor(toReady, tolerances.statusPropagation));
    const readySince = new Date(podCondition(ready, 'Ready')?.lastTransitionTime ?? 0);
    timeline.observe(durationObservation('PRB-4', toReady, readySince.getTime() - startedAt.getTime(), tolerances.timestampResolution));
    const kill = probeKill('liveness', liveness, false);
    await waitForPod(observe, held, (p) => restartCount(p, 'app') >= 1, 'restarted by the liveness probe', budgetFor(kill, tolerances.containerRestart, tolerances.statusPropagation));
    timeline.observe(factObservation('PRB-4', 'liveness acts after startup', 'restarted', 'restarted', 'restartCount'));
  });

  await test.step('a startup probe that exhausts failureThreshold gets the container killed and restarted', async () => {
    const expected = probeKill('startup', { initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 3 }, true);
    const restarted = await waitForPod(observe, exhausted, (p) => restartCount(p, 'app') >= 1, 'restarted by the startup probe', budgetFor(expected, tolerances.containerRestart, tolerances.statusPropagation));
    const run = containerStatus(restarted, 'app')?.lastState?.terminated;
    expect(run?.startedAt, 'the killed run is recorded').toBeDefined();
    timeline.observe(
      durationObservation('PRB-4', expected, new Date(run?.finishedAt ?? 0).getTime() - new Date(run?.startedAt ?? 0).getTime(), tolerances.timestampResolution),
    );
    await waitForEvent(observe, exhausted, 'Killing', budgetFor(expected, tolerances.statusPropagation), { container: 'app' });
  });

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
