/**
 * PRB-2 — "If a container fails its liveness probe failureThreshold times in a row,
 * the kubelet kills the container and restarts it according to its restartPolicy."
 * Timing: the kill comes at the failureThreshold-th consecutive failure, (N − 1) periods
 * after the first failing probe (prober/worker.go:doProbe). Timed from the first failure,
 * not from the fault, so threshold N ± 1 lands a whole period outside the window
 * (src/laws/windows.ts); the period is 4 s so that the 1 s timestamps cannot bridge it.
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  ProbeFileToggle,
  waitForEvent,
  waitForPodRunning,
  containerStatus,
  budgetFor,
  probeKill,
  storedProbe,
  firstEventTime,
  tolerances,
  eventTime,
  waitForRestart,
} from '../../src/harness/index.ts';

const probe = { initialDelaySeconds: 4, periodSeconds: 4, failureThreshold: 3 };

function lastTermination(pod: V1Pod): { startedAt: Date; finishedAt: Date; exitCode: number } {
  const terminated = containerStatus(pod, 'app')?.lastState?.terminated;
  if (terminated?.startedAt === undefined || terminated.finishedAt === undefined) throw new Error('no previous run recorded');
  return { startedAt: new Date(terminated.startedAt), finishedAt: new Date(terminated.finishedAt), exitCode: terminated.exitCode };
}

test(
  'liveness failures restart the container after failureThreshold × period',
  law('PRB-2'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    const [later] = await objects.apply('probes/liveness-exec.yaml', { name: 'healthy-then-failing', createHealthy: 'yes', ...probe });
    const [fromStart] = await objects.apply('probes/liveness-exec.yaml', { name: 'failing-from-start', createHealthy: 'no', ...probe });

    await test.step('a probe failing from the container start kills it at the failureThreshold-th failure', async () => {
      const stored = storedProbe(fromStart, 'app', 'livenessProbe');
      const expected = probeKill('liveness', stored.timing, stored.source);
      const budget = budgetFor(
        { ...expected, maxMs: expected.maxMs + (stored.initialDelaySeconds + stored.timing.periodSeconds) * 1000 },
        tolerances.containerRestart,
        tolerances.statusPropagation,
      );
      // The fault took effect: the kubelet reports this container's liveness probe failing.
      const unhealthy = await waitForEvent(watch, 'failing-from-start', 'Unhealthy', budget, { container: 'app' });
      const restarted = await waitForRestart(watch, 'failing-from-start', 'restarted once', budget);
      const run = lastTermination(restarted);
      check.duration(expected, run.finishedAt.getTime() - firstEventTime(unhealthy).getTime(), tolerances.none);
      // Killed by the probe (SIGTERM, trapped: exit 143), not by a crash of its own.
      check.fact('failing from start: exit code of the killed run', '143', String(run.exitCode), 'lastState.terminated (SIGTERM trapped)');
    });

    await test.step('a probe that starts failing later kills it failureThreshold × period after', async () => {
      const before = await waitForPodRunning(watch, 'healthy-then-failing');
      const firstContainer = containerStatus(before, 'app')?.containerID;
      const toggle = new ProbeFileToggle(
        cluster.kube,
        { namespace, pod: 'healthy-then-failing', container: 'app' },
        '/tmp/healthy',
        'liveness',
      );
      const injectedAt = await faults.inject(toggle);
      const stored = storedProbe(later, 'app', 'livenessProbe');
      const expected = probeKill('liveness', stored.timing, stored.source);
      const budget = budgetFor(
        { ...expected, maxMs: expected.maxMs + stored.timing.periodSeconds * 1000 },
        tolerances.containerRestart,
        tolerances.statusPropagation,
      );

      // The fault took effect: the kubelet reports the liveness probe failing.
      const unhealthy = await waitForEvent(watch, 'healthy-then-failing', 'Unhealthy', budget, { container: 'app', since: injectedAt });
      const restarted = await waitForRestart(watch, 'healthy-then-failing', 'restarted once', budget);
      const run = lastTermination(restarted);
      check.duration(expected, run.finishedAt.getTime() - firstEventTime(unhealthy).getTime(), tolerances.none);

      const killing = await waitForEvent(watch, 'healthy-then-failing', 'Killing', budget, { container: 'app', since: injectedAt });
      const unhealthyAt = eventTime(unhealthy)?.getTime();
      const killingAt = eventTime(killing)?.getTime();
      const order =
        unhealthyAt !== undefined && killingAt !== undefined && unhealthyAt <= killingAt
          ? 'Unhealthy then Killing'
          : `Unhealthy at ${String(unhealthyAt)}, Killing at ${String(killingAt)}`;
      check.fact('events', 'Unhealthy then Killing', order, 'kubelet events');
      check.fact(
        'restart per restartPolicy Always',
        'new container, same pod',
        containerStatus(restarted, 'app')?.containerID !== firstContainer && restarted.metadata?.uid === before.metadata?.uid
          ? 'new container, same pod'
          : 'unchanged',
        'pod status',
      );
      // The entrypoint traps SIGTERM and exits 143: the kill went through the graceful path.
      check.fact('exit code of the killed run', '143', String(run.exitCode), 'lastState.terminated (SIGTERM trapped)');
    });
  },
);
