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
import { test, expect, law } from '../../src/harness/test.ts';
import { PodDeletion } from '../../src/faults/pod-delete.ts';
import { waitForPod } from '../../src/harness/pods.ts';
import { isRunning } from '../../src/kube/pod-status.ts';
import { waitFor } from '../../src/kube/wait.ts';
import { upstreamTimeouts } from '../../src/laws/timing.ts';
import { factObservation } from '../../src/timeline/observation.ts';

const graceSeconds = 20;

function byLabel(pods: readonly V1Pod[], app: string): V1Pod[] {
  return pods.filter((p) => p.metadata?.labels?.['podlaw.dev/app'] === app);
}

test('a replacement pod is a new object: new UID and IP; a StatefulSet waits for the old one to go', law('TRM-5'), async ({ cluster, namespace, objects, observe, faults, timeline }) => {
  await objects.apply('termination/replicated.yaml', { name: 'web', graceSeconds });
  const runningOne = (app: string, notUid?: string) => (pods: readonly V1Pod[]): V1Pod | undefined =>
    byLabel(pods, app).find(
      (p) => p.metadata?.uid !== notUid && p.metadata?.deletionTimestamp === undefined && isRunning(p, 'app') && p.status?.podIP !== undefined,
    );

  await test.step('a ReplicaSet replaces a terminating pod at once, with a new name, UID and IP', async () => {
    const old = await waitFor(observe.pods, runningOne('web-deploy'), { description: 'the Deployment pod running', timeout: upstreamTimeouts.podStart });
    const deletion = new PodDeletion(cluster.kube, { namespace, labelSelector: 'podlaw.dev/app=web-deploy' }, { kind: 'graceful' });
    await faults.inject(deletion);
    // The fault took effect: the watch shows the old pod marked for deletion.
    await waitForPod(observe, old.metadata?.name ?? '', (p) => p.metadata?.deletionTimestamp !== undefined, 'marked for deletion', upstreamTimeouts.podDelete);
    const fresh = await waitFor(observe.pods, runningOne('web-deploy', old.metadata?.uid), { description: 'a replacement Deployment pod running', timeout: upstreamTimeouts.podStart });
    // The law's timing: the replacement runs while the old pod is still there, terminating.
    const oldNow = observe.pods.get(old.metadata?.name ?? '');
    timeline.observe(factObservation('TRM-5', 'ReplicaSet: old pod when the replacement runs', 'still terminating', oldNow?.metadata?.uid === old.metadata?.uid && oldNow?.metadata?.deletionTimestamp !== undefined ? 'still terminating' : 'gone', 'pod watch'));
    timeline.observe(factObservation('TRM-5', 'ReplicaSet: replacement UID', 'new', fresh.metadata?.uid !== old.metadata?.uid ? 'new' : 'same', 'metadata.uid'));
    timeline.observe(factObservation('TRM-5', 'ReplicaSet: replacement name', 'new', fresh.metadata?.name !== old.metadata?.name ? 'new' : 'same', 'metadata.name'));
    timeline.observe(factObservation('TRM-5', 'ReplicaSet: replacement IP', 'new', fresh.status?.podIP !== old.status?.podIP ? 'new' : `same (${String(old.status?.podIP)})`, 'status.podIP'));
  });

  await test.step('a StatefulSet creates the same-name pod only after the old one is gone', async () => {
    const old = await waitForPod(observe, 'web-sts-0', (p) => isRunning(p, 'app') && p.status?.podIP !== undefined, 'running', upstreamTimeouts.podStart);
    const oldUid = old.metadata?.uid;
    let oldGoneAt: number | undefined;
    let freshSeenAt: number | undefined;
    const live = new Set(byLabel(observe.pods.objects(), 'web-sts').map((p) => p.metadata?.uid));
    let mostAtOnce = live.size;
    const unsubscribe = observe.pods.subscribe((change) => {
      if (change.object.metadata?.labels?.['podlaw.dev/app'] === 'web-sts') {
        if (change.type === 'DELETED') live.delete(change.object.metadata.uid);
        else live.add(change.object.metadata.uid);
        mostAtOnce = Math.max(mostAtOnce, live.size);
      }
      if (change.object.metadata?.name !== 'web-sts-0') return;
      if (change.type === 'DELETED' && change.object.metadata?.uid === oldUid) oldGoneAt ??= change.receivedAt.getTime();
      if (change.type !== 'DELETED' && change.object.metadata?.uid !== oldUid) freshSeenAt ??= change.receivedAt.getTime();
    });
    try {
      await faults.inject(new PodDeletion(cluster.kube, { namespace, names: ['web-sts-0'] }, { kind: 'graceful' }));
      const fresh = await waitForPod(observe, 'web-sts-0', (p) => p.metadata?.uid !== oldUid && isRunning(p, 'app'), 'replacement running', upstreamTimeouts.podStart);
      timeline.observe(factObservation('TRM-5', 'StatefulSet: replacement created after the old pod was gone', 'yes', oldGoneAt !== undefined && freshSeenAt !== undefined && freshSeenAt >= oldGoneAt ? 'yes' : `no (gone ${String(oldGoneAt)}, new seen ${String(freshSeenAt)})`, 'order of watch events'));
      timeline.observe(factObservation('TRM-5', 'StatefulSet: replacement name', 'same (web-sts-0)', fresh.metadata?.name === 'web-sts-0' ? 'same (web-sts-0)' : 'different', 'metadata.name'));
      timeline.observe(factObservation('TRM-5', 'StatefulSet: replacement UID', 'new', fresh.metadata?.uid !== oldUid ? 'new' : 'same', 'metadata.uid'));
      timeline.observe(factObservation('TRM-5', 'StatefulSet: pods existing at once', '1', String(mostAtOnce), 'pod watch (no second ordinal stands in)'));
      // "Usually" a new IP: noted on the timeline, not asserted — the old address is free again by then.
      timeline.action('note', `StatefulSet replacement IP ${String(fresh.status?.podIP)} (old ${String(old.status?.podIP)})`);
    } finally {
      unsubscribe();
    }
  });

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
