/**
 * TRM-1 — "When you request deletion of a Pod, the cluster records and tracks the intended
 * grace period before the Pod is allowed to be forcefully killed." The API server sets
 * deletionTimestamp and deletionGracePeriodSeconds (30 s by default) and the object
 * stays until the kubelet has stopped the containers; "Setting the grace period to 0
 * forcibly and immediately deletes the Pod from the API server."
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  PodDeletion,
  waitForPodRunning,
  unlessNotFound,
  waitForGone,
  deletionTimestampOffset,
  tolerances,
  timeouts,
  describeSource,
} from '../../src/harness/index.ts';

function allContainersTerminated(pod: V1Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.length > 0 && statuses.every((s) => s.state?.terminated !== undefined);
}

test(
  'deletion is graceful by default and immediate when forced',
  law('TRM-1'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    await objects.apply('termination/default-grace.yaml', { name: 'graceful' });
    await objects.apply('termination/ignores-term.yaml', { name: 'forced', graceSeconds: 30 });
    const graceful = await waitForPodRunning(watch, 'graceful');
    const forced = await waitForPodRunning(watch, 'forced');

    await test.step('a plain delete marks the pod and leaves it until the kubelet confirms', async () => {
      const deletion = new PodDeletion(cluster.kube, { namespace, names: ['graceful'] }, { kind: 'graceful' });
      await faults.inject(deletion);
      const record = deletion.records[0];
      const marked = record?.response;
      const grace = cluster.timing.terminationGracePeriodSeconds;
      check.fact(
        'deletionGracePeriodSeconds',
        String(grace.value),
        String(marked?.metadata?.deletionGracePeriodSeconds),
        describeSource(grace),
      );
      const sentMs = record?.requestedAt.getTime() ?? NaN;
      const offset = new Date(marked?.metadata?.deletionTimestamp ?? NaN).getTime() - sentMs;
      const roundTripMs = (record?.respondedAt.getTime() ?? NaN) - sentMs;
      check.duration(deletionTimestampOffset(grace.value, roundTripMs, describeSource(grace)), offset, tolerances.none);

      const rightAfter = await unlessNotFound(() => cluster.kube.core.readNamespacedPod({ name: 'graceful', namespace }));
      check.fact(
        'object right after the delete',
        'present, deletionTimestamp set',
        rightAfter === undefined
          ? 'gone'
          : rightAfter.metadata?.deletionTimestamp !== undefined
            ? 'present, deletionTimestamp set'
            : 'present, not marked',
        'GET after DELETE',
      );

      await waitForGone(watch.pods, 'graceful', {
        description: 'pod graceful removed',
        timeout: timeouts.podDelete,
        ...(graceful.metadata?.uid !== undefined ? { uid: graceful.metadata.uid } : {}),
      });
      const confirmed = watch
        .historyOf('graceful', graceful.metadata?.uid)
        .some((p) => p.metadata?.deletionTimestamp !== undefined && allContainersTerminated(p));
      check.fact(
        'removed after the kubelet reported its containers stopped',
        'yes',
        confirmed ? 'yes' : 'no',
        'pod versions seen before DELETED',
      );
    });

    await test.step('a forced delete with grace 0 removes the object at once', async () => {
      const deletion = new PodDeletion(cluster.kube, { namespace, names: ['forced'] }, { kind: 'force' });
      await faults.inject(deletion);
      const rightAfter = await unlessNotFound(() => cluster.kube.core.readNamespacedPod({ name: 'forced', namespace }));
      check.fact('object right after a forced delete', 'gone', rightAfter === undefined ? 'gone' : 'present', 'GET after DELETE (grace 0)');
      const stoppedFirst = watch.historyOf('forced', forced.metadata?.uid).some(allContainersTerminated);
      check.fact('kubelet confirmation awaited', 'no', stoppedFirst ? 'yes' : 'no', 'pod versions seen before DELETED');
    });
  },
);
