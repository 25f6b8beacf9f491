/**
 * SC-1 — Sidecar containers (init containers with restartPolicy Always) "are started
 * before the main application container", in order; "sidecar containers are restarted
 * (even if the Pod restartPolicy is Never)"; when the Pod terminates, "the kubelet
 * postpones terminating sidecar containers until the main application container has
 * fully stopped. The sidecar containers are then shut down in the opposite order of
 * their appearance in the Pod specification." Checked on pod deletion while the app
 * still runs (it lingers 2 s after SIGTERM), with in-pod stamps.
 * https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  ContainerProcessKill,
  PodDeletion,
  waitForGone,
  waitForPod,
  waitForPodRunning,
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

    await test.step('on pod deletion while the app runs, sidecars stop after it, sidecar-b before sidecar-a', async () => {
      const uid = running.metadata?.uid;
      if (uid === undefined) throw new Error(`pod ${name} has no uid`);
      const deletion = new PodDeletion(cluster.kube, { namespace, names: [name] }, { kind: 'graceful' });
      await faults.inject(deletion);
      // The fault took effect: the app got SIGTERM while running (its "term" stamp) and the pod went away.
      await waitForGone(watch.pods, name, { uid, description: `pod ${name} deleted`, timeout: timeouts.podDelete });
      // The kubelet reports every container terminated before the pod object is removed: the last version seen.
      const history = watch.historyOf(name, uid);
      const last = history.at(-1);
      if (last === undefined) throw new Error(`no version of pod ${name} was seen`);
      const stamp = (container: string, mark: string): number =>
        firstStamp(parseStamps(containerStatus(last, container)?.state?.terminated?.message ?? ''), mark)?.at.getTime() ?? Number.NaN;
      const [appTerm, appExit, bTerm, bExit, aTerm] = [
        stamp('app', 'term'),
        stamp('app', 'exit'),
        stamp('sidecar-b', 'term'),
        stamp('sidecar-b', 'exit'),
        stamp('sidecar-a', 'term'),
      ];
      check.fact(
        'app told to stop while running',
        'yes',
        Number.isFinite(appTerm) && Number.isFinite(appExit) ? 'yes' : 'no app term/exit stamps',
        'in-pod stamps (termination message) of the last pod version',
      );
      // All in-pod stamps (µs, one clock): a sidecar told to stop before the app has exited fails here.
      check.fact(
        'sidecar-b told to stop after the app exited',
        'yes',
        bTerm >= appExit ? 'yes' : `no (b SIGTERM ${bTerm}, app exit ${appExit})`,
        'in-pod stamps (the app lingers 2 s after SIGTERM)',
      );
      check.fact(
        'sidecar-a told to stop after sidecar-b exited',
        'yes',
        aTerm >= bExit ? 'yes' : `no (a SIGTERM ${aTerm}, b exit ${bExit})`,
        'in-pod stamps (sidecar-b lingers 2 s after SIGTERM)',
      );
    });
  },
);
