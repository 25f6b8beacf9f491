/**
 * RST-1 — "After containers in a Pod exit, the kubelet restarts them with an exponential
 * backoff delay (10s, 20s, 40s, …), that is capped at 300 seconds (5 minutes). Once a
 * container has executed for 10 minutes without any problems, the kubelet resets the
 * restart backoff timer for that container." The first restart is immediate.
 * Feature gates (ReduceDefaultCrashLoopBackOffDecay, KubeletCrashLoopBackOffMax) can
 * change the numbers: the expected gaps come from the node's kubelet.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
 *
 * Not covered here: the reset after 10 minutes of clean running.
 */
import { test, expect, law } from '../../src/harness/test.ts';
import { waitForPod } from '../../src/harness/pods.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import { containerRuns, containerStatus, restartCount, restartGaps } from '../../src/kube/pod-status.ts';
import { kubeletTimingFor } from '../../src/cluster/timing.ts';
import { crashLoopGaps, tolerances, upstreamTimeouts } from '../../src/laws/timing.ts';
import { durationObservation, factObservation } from '../../src/timeline/observation.ts';

const name = 'crashloop';
/** Restarts observed: the immediate one and three back-offs. */
const restarts = 4;
/** The kubelet restarts at its next pod sync after the back-off expires, and timestamps have 1 s resolution. */
const gapTolerance = { name: '1 s timestamp resolution + 2 s kubelet re-sync', ms: 3_000 };

test('a crashing container restarts at once, then after back-offs doubling from the initial delay', law('RST-1'), async ({ cluster, objects, observe, timeline }) => {
  await objects.apply('restarts/crashloop.yaml', { name });
  const scheduled = await waitForPod(observe, name, (p) => p.spec?.nodeName !== undefined, 'scheduled', upstreamTimeouts.podStart);
  const kubelet = kubeletTimingFor(cluster.timing, scheduled.spec?.nodeName ?? '');
  const expected = crashLoopGaps(kubelet, restarts);
  const totalMs = expected.reduce((sum, g) => sum + g.maxMs, 0);
  const budget = namedTimeout(
    `${restarts} restarts: ${expected.map((g) => g.formula).join(', ')} + ${restarts} × (${gapTolerance.name} + ${tolerances.containerRestart.name})`,
    totalMs + restarts * (gapTolerance.ms + tolerances.containerRestart.ms),
  );

  let backOffSeen = false;
  await waitForPod(
    observe,
    name,
    (p) => {
      if (containerStatus(p, 'app')?.state?.waiting?.reason === 'CrashLoopBackOff') backOffSeen = true;
      return restartCount(p, 'app') >= restarts && containerRuns(observe.historyOf(name), 'app').length > restarts;
    },
    `restarted ${restarts} times`,
    budget,
  );

  const runs = containerRuns(observe.historyOf(name), 'app');
  // The fault took effect: every run ended by itself with exit code 1.
  timeline.observe(factObservation('RST-1', 'exit codes of the runs', runs.slice(0, restarts).map(() => '1').join(','), runs.slice(0, restarts).map((r) => String(r.exitCode)).join(','), 'containerStatuses (lastState.terminated)'));
  timeline.observe(factObservation('RST-1', 'waiting reason between restarts', 'CrashLoopBackOff', backOffSeen ? 'CrashLoopBackOff' : 'never seen', 'state.waiting.reason'));
  const gaps = restartGaps(runs);
  expected.forEach((gap, i) => {
    const measured = gaps[i];
    if (measured === undefined) timeline.observe(factObservation('RST-1', gap.what, gap.formula, 'not observed', gap.source, false));
    else timeline.observe(durationObservation('RST-1', gap, measured, gapTolerance));
  });

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
