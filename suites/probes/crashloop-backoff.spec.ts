/**
 * RST-1 — "After containers in a Pod exit, the kubelet restarts them with an exponential
 * backoff delay (10s, 20s, 40s, …), that is capped at 300 seconds (5 minutes). Once a
 * container has executed for 10 minutes without any problems, the kubelet resets the
 * restart backoff timer for that container." The first restart is immediate.
 * Feature gates (ReduceDefaultCrashLoopBackOffDecay, KubeletCrashLoopBackOffMax) can
 * change the numbers: the expected gaps come from the node's kubelet. The documented
 * delays are lower bounds: the kubelet requeues with up to 50 % jitter (see
 * kubeletRequeueJitter).
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
 *
 * Not covered here: the reset after 10 minutes of clean running.
 */
import {
  test,
  law,
  waitForPod,
  namedTimeout,
  containerRuns,
  containerStatus,
  restartCount,
  restartGaps,
  kubeletTimingFor,
  crashLoopGaps,
  tolerances,
  timeouts,
  listNodes,
} from '../../src/harness/index.ts';

const name = 'crashloop';
/** Restarts observed: the immediate one and three back-offs. */
const restarts = 4;
/** For the wait budget only (the verdict windows carry their own allowances): 1 s stamps and a container start. */
const gapTolerance = { name: '1 s timestamp resolution + 1 s container start', ms: 2_000 };

test(
  'a crashing container restarts at once, then after back-offs doubling from the initial delay',
  law('RST-1'),
  async ({ cluster, objects, watch, timeline, check }) => {
    // The first restart is judged against the kubelet's 1 s relist and one container start. On the general worker, whose
    // kubelet was starting the law suites' and a loss test's pods beside it, the crash was seen 2 s late once in 12 runs
    // (bench flakes: 4 s against ≤ 3.999 s). The pressure worker's kubelet starts nothing else: the memory-pressure
    // episode, the only other test placed there, runs before this one in the same project (playwright.config.ts).
    const pressureWorker = (await listNodes(cluster.kube, 'podlaw.dev/role=pressure'))[0]?.metadata?.name;
    const placement =
      pressureWorker === undefined
        ? { nodeLabel: 'kubernetes.io/os', nodeValue: 'linux' }
        : { nodeLabel: 'kubernetes.io/hostname', nodeValue: pressureWorker };
    await objects.apply('restarts/crashloop.yaml', { name, ...placement });
    const scheduled = await waitForPod(watch, name, (p) => p.spec?.nodeName !== undefined, 'scheduled', timeouts.podStart);
    const kubelet = kubeletTimingFor(cluster.timing, scheduled.spec?.nodeName ?? '');
    const expected = crashLoopGaps(kubelet, restarts);
    const totalMs = expected.reduce((sum, g) => sum + g.maxMs, 0);
    const budget = namedTimeout(
      `${restarts} restarts: ${expected.map((g) => g.formula).join(', ')} + ${restarts} × (${gapTolerance.name} + ${tolerances.containerRestart.name})`,
      totalMs + restarts * (gapTolerance.ms + tolerances.containerRestart.ms),
    );

    let backOffSeen = false;
    await waitForPod(
      watch,
      name,
      (p) => {
        if (containerStatus(p, 'app')?.state?.waiting?.reason === 'CrashLoopBackOff') backOffSeen = true;
        return restartCount(p, 'app') >= restarts && containerRuns(watch.historyOf(name), 'app').length > restarts;
      },
      `restarted ${restarts} times`,
      budget,
    );

    const runs = containerRuns(watch.historyOf(name), 'app');
    // The fault took effect: every run that started ended by itself with exit code 1. A
    // start the runtime failed (StartError, 128) also counts as a crash for the back-off.
    const ended = runs.slice(0, restarts);
    const ranAndExited = ended.filter((r) => r.reason !== 'StartError');
    if (ranAndExited.length < ended.length)
      timeline.action('note', `${ended.length - ranAndExited.length} start(s) failed in the runtime (StartError)`);
    const codes = ranAndExited.map((r) => String(r.exitCode));
    check.fact(
      'exit codes of the runs',
      'all 1',
      codes.join(','),
      'containerStatuses (lastState.terminated)',
      codes.length > 0 && codes.every((c) => c === '1'),
    );
    check.fact(
      'waiting reason between restarts',
      'CrashLoopBackOff',
      backOffSeen ? 'CrashLoopBackOff' : 'never seen',
      'state.waiting.reason',
    );
    const gaps = restartGaps(runs);
    expected.forEach((gap, i) => {
      const measured = gaps[i];
      // Stamped at the next start, where the back-off ended, not when read: the floor chains one back-off after another.
      if (measured === undefined) check.fact(gap.what, gap.formula, 'not observed', gap.source, false);
      else check.duration(gap, measured, tolerances.none, runs[i + 1]?.startedAt.getTime());
    });
  },
);
