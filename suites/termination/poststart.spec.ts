/**
 * HK-1 — "PostStart: This hook is executed immediately after a container is created.
 * However, there is no guarantee that the hook will execute before the container
 * ENTRYPOINT." "The Container's status is not set to RUNNING until the PostStart handler
 * completes." "If a PostStart or PreStop hook fails, it kills the Container."
 * https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
import {
  test,
  expect,
  law,
  waitForEvent,
  waitForPod,
  execOk,
  namedTimeout,
  containerStatus,
  isRunning,
  firstStamp,
  parseStamps,
  timeouts,
} from '../../src/harness/index.ts';

const hookSeconds = 5;

test(
  'postStart runs alongside the entrypoint, gates Running, and kills the container when it fails',
  law('HK-1'),
  async ({ cluster, namespace, objects, watch, check }) => {
    await objects.apply('termination/poststart.yaml', { name: 'slow-hook', policy: 'Always', hookSeconds, hookExit: 0 });
    await objects.apply('termination/poststart.yaml', { name: 'failing-hook', policy: 'Never', hookSeconds: 0, hookExit: 1 });

    await test.step('the entrypoint runs while the hook runs, and Running is reported only after the hook', async () => {
      let firstRunningSeenAt: Date | undefined;
      const unsubscribe = watch.pods.subscribe((change) => {
        if (change.object.metadata?.name === 'slow-hook' && isRunning(change.object, 'app')) firstRunningSeenAt ??= change.receivedAt;
      });
      try {
        await waitForPod(watch, 'slow-hook', (p) => isRunning(p, 'app'), 'container running', timeouts.podStart);
      } finally {
        unsubscribe();
      }
      const stamps = parseStamps(await execOk(cluster.kube, { namespace, pod: 'slow-hook', container: 'app' }, ['cat', '/shared/stamps']));
      const entry = firstStamp(stamps, 'entry');
      const hookStart = firstStamp(stamps, 'poststart-start');
      const hookEnd = firstStamp(stamps, 'poststart-end');
      // The hook really ran, for as long as it was told to.
      check.fact(
        'stamps written',
        'entry, poststart-start, poststart-end',
        [entry, hookStart, hookEnd].every((x) => x !== undefined)
          ? 'entry, poststart-start, poststart-end'
          : stamps.map((x) => x.mark).join(', '),
        'in-pod stamps in the shared emptyDir',
      );
      // Without the stamps or the first Running seen, the ordering cannot be shown: that is a failure, not a pass.
      expect(firstRunningSeenAt, 'the watch saw the container become Running').toBeDefined();
      if (entry === undefined || hookStart === undefined || hookEnd === undefined || firstRunningSeenAt === undefined) {
        expect(
          [entry, hookStart, hookEnd].map((s) => s?.mark),
          'stamps entry, poststart-start, poststart-end',
        ).toEqual(['entry', 'poststart-start', 'poststart-end']);
        return;
      }
      check.fact(
        'entrypoint ran before the hook finished (concurrently)',
        'yes',
        entry.at < hookEnd.at ? 'yes' : `no (entry ${entry.at.toISOString()}, hook end ${hookEnd.at.toISOString()})`,
        'in-pod stamps',
      );
      check.fact(
        'Running first reported after the hook finished',
        'yes',
        firstRunningSeenAt >= hookEnd.at
          ? 'yes'
          : `no (Running seen ${firstRunningSeenAt.toISOString()}, hook end ${hookEnd.at.toISOString()})`,
        'watch receipt time vs in-pod stamp (same host clock)',
      );
    });

    await test.step('a failing postStart hook kills the container', async () => {
      const budget = namedTimeout('hook failure → container killed (pod start budget, e2e framework PodStart 5 min)', timeouts.podStart.ms);
      await waitForEvent(watch, 'failing-hook', 'FailedPostStartHook', budget);
      const pod = await waitForPod(
        watch,
        'failing-hook',
        (p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded',
        'terminal phase under restartPolicy Never',
        budget,
      );
      const state = containerStatus(pod, 'app')?.state?.terminated;
      check.fact(
        'after a failed postStart: container',
        'terminated',
        state !== undefined ? 'terminated' : 'not terminated',
        'state.terminated',
      );
      check.fact('after a failed postStart: pod phase (restartPolicy Never)', 'Failed', pod.status?.phase ?? '?', 'pod status');
    });
  },
);
