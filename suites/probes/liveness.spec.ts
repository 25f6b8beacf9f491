/**
 * PRB-2 — "If a container fails its liveness probe failureThreshold times in a row,
 * the kubelet kills the container and restarts it according to its restartPolicy."
 * Timing: about initialDelaySeconds + failureThreshold × periodSeconds, plus up to one
 * period for where the probe ticker happens to be.
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  ProbeFileToggle,
  eventsAbout,
  waitForEvent,
  waitForPodRunning,
  containerStatus,
  budgetFor,
  probeKill,
  tolerances,
  eventTime,
  waitForRestart,
} from '../../src/harness/index.ts';

const probe = { initialDelaySeconds: 4, periodSeconds: 2, failureThreshold: 3 };

function lastTermination(pod: V1Pod): { startedAt: Date; finishedAt: Date; exitCode: number } {
  const terminated = containerStatus(pod, 'app')?.lastState?.terminated;
  if (terminated?.startedAt === undefined || terminated.finishedAt === undefined) throw new Error('no previous run recorded');
  return { startedAt: new Date(terminated.startedAt), finishedAt: new Date(terminated.finishedAt), exitCode: terminated.exitCode };
}

test(
  'liveness failures restart the container after failureThreshold × period',
  law('PRB-2'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    await objects.apply('probes/liveness-exec.yaml', { name: 'healthy-then-failing', createHealthy: 'yes', ...probe });
    await objects.apply('probes/liveness-exec.yaml', { name: 'failing-from-start', createHealthy: 'no', ...probe });

    await test.step('a probe failing from the container start kills it after initialDelay + failureThreshold × period', async () => {
      const expected = probeKill('liveness', probe, true);
      const budget = budgetFor(expected, tolerances.containerRestart, tolerances.statusPropagation);
      // The fault took effect: the kubelet reports this container's liveness probe failing.
      await waitForEvent(watch, 'failing-from-start', 'Unhealthy', budget, { container: 'app' });
      const restarted = await waitForRestart(watch, 'failing-from-start', 'restarted once', budget);
      const run = lastTermination(restarted);
      check.duration(expected, run.finishedAt.getTime() - run.startedAt.getTime(), tolerances.timestampResolution);
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
      const expected = probeKill('liveness', probe, false);
      const budget = budgetFor(expected, tolerances.containerRestart, tolerances.statusPropagation);

      // The fault took effect: the kubelet reports the liveness probe failing.
      await waitForEvent(watch, 'healthy-then-failing', 'Unhealthy', budget, { container: 'app' });
      const restarted = await waitForRestart(watch, 'healthy-then-failing', 'restarted once', budget);
      const run = lastTermination(restarted);
      check.duration(expected, run.finishedAt.getTime() - injectedAt.getTime(), tolerances.timestampResolution);

      const killing = await waitForEvent(watch, 'healthy-then-failing', 'Killing', budget, { container: 'app' });
      const unhealthy = eventsAbout(watch.events.objects(), 'healthy-then-failing', 'Unhealthy', 'app')[0];
      const unhealthyAt = unhealthy !== undefined ? eventTime(unhealthy)?.getTime() : undefined;
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
