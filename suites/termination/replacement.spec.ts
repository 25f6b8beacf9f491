/**
 * TRM-5 — "a given Pod (as defined by a UID) is never 'rescheduled' to a different node;
 * instead, that Pod can be replaced by a new, near-identical Pod. If you make a
 * replacement Pod, it can even have same name (as in .metadata.name) that the old Pod
 * had, but the replacement would have a different .metadata.uid from the old Pod."
 * A ReplicaSet replaces a terminating pod at once; a StatefulSet creates the same-name
 * pod only once the old one is gone.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-lifetime
 * https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
import type { V1Pod } from '@kubernetes/client-node';
import { test, law, PodDeletion, waitForPod, isRunning, waitFor, timeouts, happenedSince } from '../../src/harness/index.ts';

/**
 * How long a deleted pod lingers, Terminating: the window in which a StatefulSet that did not wait for the old pod would
 * have created its twin. Either controller reacts to the deletion within about a second (the ReplicaSet step below, on the
 * same informers): 10 s is ten times that, as NOD-7's window without a second db-0 (src/harness/lost-node.ts).
 */
const graceSeconds = 10;

function byLabel(pods: readonly V1Pod[], app: string): V1Pod[] {
  return pods.filter((p) => p.metadata?.labels?.['podlaw.dev/app'] === app);
}

test(
  'a replacement pod is a new object: new UID and IP; a StatefulSet waits for the old one to go',
  law('TRM-5'),
  async ({ cluster, namespace, objects, watch, faults, timeline, check }) => {
    await objects.apply('termination/replicated.yaml', { name: 'web', graceSeconds });
    const runningOne =
      (app: string, notUid?: string) =>
      (pods: readonly V1Pod[]): V1Pod | undefined =>
        byLabel(pods, app).find(
          (p) =>
            p.metadata?.uid !== notUid &&
            p.metadata?.deletionTimestamp === undefined &&
            isRunning(p, 'app') &&
            p.status?.podIP !== undefined,
        );

    await test.step('a ReplicaSet replaces a terminating pod at once, with a new name, UID and IP', async () => {
      const old = await waitFor(watch.pods, runningOne('web-deploy'), {
        description: 'the Deployment pod running',
        timeout: timeouts.podStart,
      });
      const deletion = new PodDeletion(cluster.kube, { namespace, labelSelector: 'podlaw.dev/app=web-deploy' }, { kind: 'graceful' });
      await faults.inject(deletion);
      // The fault took effect: the watch shows the old pod marked for deletion.
      await waitForPod(
        watch,
        old.metadata?.name ?? '',
        (p) => p.metadata?.deletionTimestamp !== undefined,
        'marked for deletion',
        timeouts.podDelete,
      );
      const fresh = await waitFor(watch.pods, runningOne('web-deploy', old.metadata?.uid), {
        description: 'a replacement Deployment pod running',
        timeout: timeouts.podStart,
      });
      // The law's timing: the replacement runs while the old pod is still there, terminating.
      const oldNow = watch.pods.get(old.metadata?.name ?? '');
      check.fact(
        'ReplicaSet: old pod when the replacement runs',
        'still terminating',
        oldNow?.metadata?.uid === old.metadata?.uid && oldNow?.metadata?.deletionTimestamp !== undefined ? 'still terminating' : 'gone',
        'pod watch',
      );
      check.fact('ReplicaSet: replacement UID', 'new', fresh.metadata?.uid !== old.metadata?.uid ? 'new' : 'same', 'metadata.uid');
      check.fact('ReplicaSet: replacement name', 'new', fresh.metadata?.name !== old.metadata?.name ? 'new' : 'same', 'metadata.name');
      check.fact(
        'ReplicaSet: replacement IP',
        'new',
        fresh.status?.podIP !== old.status?.podIP ? 'new' : `same (${String(old.status?.podIP)})`,
        'status.podIP',
      );
    });

    await test.step('a StatefulSet creates the same-name pod only after the old one is gone', async () => {
      const old = await waitForPod(
        watch,
        'web-sts-0',
        (p) => isRunning(p, 'app') && p.status?.podIP !== undefined,
        'running',
        timeouts.podStart,
      );
      const oldUid = old.metadata?.uid;
      let oldGoneAt: number | undefined;
      let freshSeenAt: number | undefined;
      // etcd revisions order the deletion of the old object and the creation of the new one.
      let oldGoneVersion: string | undefined;
      let freshCreatedVersion: string | undefined;
      const live = new Set(byLabel(watch.pods.objects(), 'web-sts').map((p) => p.metadata?.uid));
      let mostAtOnce = live.size;
      const unsubscribe = watch.pods.subscribe((change) => {
        if (change.object.metadata?.labels?.['podlaw.dev/app'] === 'web-sts') {
          if (change.type === 'DELETED') live.delete(change.object.metadata.uid);
          else live.add(change.object.metadata.uid);
          mostAtOnce = Math.max(mostAtOnce, live.size);
        }
        if (change.object.metadata?.name !== 'web-sts-0') return;
        if (change.type === 'DELETED' && change.object.metadata?.uid === oldUid) {
          oldGoneAt ??= change.receivedAt.getTime();
          oldGoneVersion ??= change.object.metadata?.resourceVersion;
        }
        if (change.type !== 'DELETED' && change.object.metadata?.uid !== oldUid) {
          freshSeenAt ??= change.receivedAt.getTime();
          freshCreatedVersion ??= change.object.metadata?.resourceVersion;
        }
      });
      try {
        const deletedAt = await faults.inject(new PodDeletion(cluster.kube, { namespace, names: ['web-sts-0'] }, { kind: 'graceful' }));
        const fresh = await waitForPod(
          watch,
          'web-sts-0',
          (p) => p.metadata?.uid !== oldUid && isRunning(p, 'app'),
          'replacement running',
          timeouts.podStart,
        );
        check.fact(
          'StatefulSet: replacement created after the old pod was gone',
          'yes',
          oldGoneAt !== undefined && freshSeenAt !== undefined && freshSeenAt >= oldGoneAt
            ? 'yes'
            : `no (gone ${String(oldGoneAt)}, new seen ${String(freshSeenAt)})`,
          'order of watch events',
        );
        // The controller's own behavior: had it tried to create the pod while the old object
        // existed, the API would have refused it (AlreadyExists) and the controller reported FailedCreate.
        const failedCreates = watch.events
          .objects()
          .filter((e) => e.involvedObject.kind === 'StatefulSet' && e.reason === 'FailedCreate' && happenedSince(e, deletedAt));
        check.fact(
          'StatefulSet: create attempts refused while the old pod existed',
          '0 FailedCreate',
          `${failedCreates.length} FailedCreate${failedCreates.length > 0 ? `: ${failedCreates[0]?.message ?? ''}` : ''}`,
          'StatefulSet events since the deletion',
        );
        const revisionsInOrder =
          oldGoneVersion !== undefined &&
          freshCreatedVersion !== undefined &&
          /^\d+$/.test(oldGoneVersion) &&
          /^\d+$/.test(freshCreatedVersion)
            ? BigInt(freshCreatedVersion) > BigInt(oldGoneVersion)
            : undefined;
        check.fact(
          'StatefulSet: new pod stored after the old object was removed',
          'yes',
          revisionsInOrder === true
            ? `yes (${((freshSeenAt ?? Number.NaN) - (oldGoneAt ?? Number.NaN)) / 1000} s later by the watch)`
            : `no (removed at revision ${String(oldGoneVersion)}, new pod at ${String(freshCreatedVersion)})`,
          'resourceVersions of the DELETED and ADDED watch events (etcd revisions)',
          revisionsInOrder === true,
        );
        check.fact(
          'StatefulSet: replacement name',
          'same (web-sts-0)',
          fresh.metadata?.name === 'web-sts-0' ? 'same (web-sts-0)' : 'different',
          'metadata.name',
        );
        check.fact('StatefulSet: replacement UID', 'new', fresh.metadata?.uid !== oldUid ? 'new' : 'same', 'metadata.uid');
        check.fact('StatefulSet: pods existing at once', '1', String(mostAtOnce), 'pod watch (no second ordinal stands in)');
        // "Usually" a new IP: noted on the timeline, not asserted — the old address is free again by then.
        timeline.action('note', `StatefulSet replacement IP ${String(fresh.status?.podIP)} (old ${String(old.status?.podIP)})`);
      } finally {
        unsubscribe();
      }
    });
  },
);
