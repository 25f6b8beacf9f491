/**
 * SC-1 — Sidecar containers (init containers with restartPolicy Always) "are started
 * before the main application container", in order; "sidecar containers are restarted
 * (even if the Pod restartPolicy is Never)"; when the Pod terminates, "the kubelet
 * postpones terminating sidecar containers until the main application container has
 * fully stopped. The sidecar containers are then shut down in the opposite order of
 * their appearance in the Pod specification."
 * https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  ContainerProcessKill,
  waitForPod,
  waitForPodRunning,
  execOk,
  containerStatus,
  isRunning,
  restartCount,
  firstStamp,
  parseStamps,
  timeouts,
} from '../../src/harness/index.ts';

const name = 'sidecars';

function startedAt(pod: V1Pod, container: string): number {
  return new Date(containerStatus(pod, container)?.state?.running?.startedAt ?? Number.NaN).getTime();
}

test(
  'sidecars start before the app, restart under Never, and stop after it in reverse order',
  law('SC-1'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    await objects.apply('termination/sidecars.yaml', { name });
    const running = await waitForPodRunning(watch, name, 'app');

    await test.step('start order: sidecar-a, sidecar-b, then the app', async () => {
      const [a, b, app] = [startedAt(running, 'sidecar-a'), startedAt(running, 'sidecar-b'), startedAt(running, 'app')];
      check.fact(
        'start order (startedAt)',
        'sidecar-a < sidecar-b < app',
        a < b && b < app ? 'sidecar-a < sidecar-b < app' : `a ${a}, b ${b}, app ${app}`,
        'containerStatuses startedAt (sidecars report started 2 s after start)',
      );
    });

    await test.step('a crashed sidecar is restarted although the pod says Never', async () => {
      await faults.inject(new ContainerProcessKill(cluster.kube, { namespace, pod: name, container: 'sidecar-a' }, { signal: 'USR1' }));
      const restarted = await waitForPod(
        watch,
        name,
        (p) => restartCount(p, 'sidecar-a') >= 1 && isRunning(p, 'sidecar-a'),
        'sidecar-a restarted and running',
        timeouts.podStart,
      );
      // The fault took effect: the previous run ended with the exit code of the USR1 trap.
      check.fact(
        'sidecar-a crash exit code',
        '1',
        String(containerStatus(restarted, 'sidecar-a')?.lastState?.terminated?.exitCode),
        'lastState.terminated',
      );
      check.fact(
        'sidecar-a restarted under restartPolicy Never',
        'yes',
        restartCount(restarted, 'sidecar-a') >= 1 ? 'yes' : 'no',
        'restartCount',
      );
    });

    await test.step('when the app exits, sidecars stop after it, sidecar-b before sidecar-a', async () => {
      await execOk(cluster.kube, { namespace, pod: name, container: 'app' }, ['touch', '/shared/done']);
      const done = await waitForPod(
        watch,
        name,
        (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed',
        'pod completed',
        timeouts.podDelete,
      );
      const finished = (container: string): number =>
        new Date(containerStatus(done, container)?.state?.terminated?.finishedAt ?? Number.NaN).getTime();
      const termOf = (container: string): number =>
        firstStamp(parseStamps(containerStatus(done, container)?.state?.terminated?.message ?? ''), 'term')?.at.getTime() ?? Number.NaN;
      const [appEnd, bTerm, bEnd, aTerm] = [finished('app'), termOf('sidecar-b'), finished('sidecar-b'), termOf('sidecar-a')];
      check.fact('pod phase', 'Succeeded', done.status?.phase ?? '?', 'pod status');
      // finishedAt has 1 s resolution; in-pod stamps have µs.
      check.fact(
        'sidecar-b told to stop after the app finished',
        'yes',
        bTerm >= appEnd ? 'yes' : `no (b SIGTERM ${bTerm}, app finished ${appEnd})`,
        'in-pod stamp vs app finishedAt',
      );
      check.fact(
        'sidecar-a told to stop after sidecar-b finished',
        'yes',
        aTerm >= bEnd ? 'yes' : `no (a SIGTERM ${aTerm}, b finished ${bEnd})`,
        'in-pod stamp vs sidecar-b finishedAt (b lingers 2 s after SIGTERM)',
      );
    });
  },
);
