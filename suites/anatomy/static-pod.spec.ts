/**
 * STA-1 — "Static Pods are managed directly by the kubelet daemon on a specific node, without the API server
 * observing them … The kubelet automatically tries to create a mirror Pod on the Kubernetes API server for each
 * static Pod … the Pods running on a node are visible on the API server, but cannot be controlled from there.
 * The Pod names will be suffixed with the node hostname." "If you try to use kubectl to delete the mirror Pod …
 * the kubelet doesn't remove the static Pod." Removing the manifest from the watched directory stops the pod.
 * https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
 *
 * Destructive (a file written into a node's filesystem): only on podlaw's own cluster or with --allow-destructive.
 * The file is a Fault named podlaw-<run id>-<pod>.yaml; recovery removes it, and the leftover sweeper removes one a
 * killed run left. The node's kubelet is never restarted.
 */
import {
  test,
  law,
  notApplicable,
  configSourceAnnotation,
  containerStatus,
  describeSource,
  destructiveFaultRefusal,
  generalWorker,
  isMirrorPod,
  isRunning,
  mirrorAnnotation,
  mirrorPodName,
  mirrorRecreateTimeout,
  nodePathExists,
  readySandboxCount,
  staticPodFault,
  staticPodManifest,
  staticPodRemoveTimeout,
  staticPodSettings,
  staticPodStartTimeout,
  timeouts,
  unlessNotFound,
  waitForGone,
  waitForNoReadySandbox,
  waitForPod,
} from '../../src/harness/index.ts';

const podName = 'static-web';

test(
  'STA-1: a manifest in staticPodPath runs as a static pod with a mirror; a deleted mirror comes back; removing the file removes it',
  law('STA-1'),
  async ({ cluster, namespace, watch, faults, check }, testInfo) => {
    const refusal = await destructiveFaultRefusal(cluster.settings.context);
    if (refusal !== undefined) notApplicable(testInfo, refusal);
    const node = (await generalWorker(cluster.kube))?.metadata?.name;
    if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to write the manifest on');

    const settings = await staticPodSettings(cluster.kube, node);
    const mirror = mirrorPodName(podName, node);
    const fault = staticPodFault(settings, cluster.settings.runId, podName, staticPodManifest(podName, namespace, 'podlaw.local/shell:1'));
    const writtenAt = await faults.inject(fault);
    check.fact(
      `manifest ${fault.path} on ${node}`,
      'present',
      (await nodePathExists(node, fault.path)) ? 'present' : 'absent',
      `test -e in the node; staticPodPath ${describeSource(settings.staticPodPath)}`,
    );

    // The fault took effect: the kubelet runs the file's pod and mirrors it into the API.
    const startBudget = staticPodStartTimeout(settings, timeouts.podStart);
    const first = await waitForPod(watch, mirror, (p) => isRunning(p, 'app'), 'mirror pod of the static pod running', startBudget);
    const startMs = Date.now() - writtenAt.getTime();
    check.fact(
      'file written → mirror pod running',
      `≤ ${startBudget.ms} ms (${startBudget.name})`,
      `${startMs} ms`,
      `watch of pods in ${namespace}; fileCheckFrequency ${describeSource(settings.fileCheckFrequencyMs)}`,
      startMs <= startBudget.ms,
    );
    check.fact('mirror pod name', `${podName}-${node}`, first.metadata?.name ?? '', 'pod as stored');
    check.fact('mirror pod namespace', namespace, first.metadata?.namespace ?? '', 'pod as stored (the manifest names the test namespace)');
    check.fact(`annotation ${mirrorAnnotation}`, 'present', isMirrorPod(first) ? 'present' : 'absent', 'pod as stored');
    check.fact(
      `annotation ${configSourceAnnotation}`,
      'file',
      first.metadata?.annotations?.[configSourceAnnotation] ?? '',
      'pod as stored',
    );
    const owner = (first.metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`).join(',');
    check.fact('owner reference', `Node/${node}`, owner, 'pod as stored metadata.ownerReferences');
    check.fact('node', node, first.spec?.nodeName ?? '', 'pod as stored spec.nodeName');
    const container = containerStatus(first, 'app');
    const containerId = container?.containerID ?? '';

    // Deleting the mirror through the API does not stop the static pod: the kubelet posts a new mirror.
    const firstUid = first.metadata?.uid ?? '';
    const deletedAt = new Date();
    await unlessNotFound(() => cluster.kube.core.deleteNamespacedPod({ name: mirror, namespace }));
    const recreateBudget = mirrorRecreateTimeout(settings);
    const second = await waitForPod(
      watch,
      mirror,
      (p) => p.metadata?.uid !== firstUid && p.metadata?.deletionTimestamp === undefined && isRunning(p, 'app'),
      'a new mirror pod (another uid) running',
      recreateBudget,
    );
    const recreateMs = Date.now() - deletedAt.getTime();
    check.fact(
      'mirror deleted → new mirror running',
      `≤ ${recreateBudget.ms} ms (${recreateBudget.name})`,
      `${recreateMs} ms`,
      `watch of pods; syncFrequency ${describeSource(settings.syncFrequencyMs)}`,
      recreateMs <= recreateBudget.ms,
    );
    check.fact(
      'recreated mirror: a new API object',
      'uid changed',
      second.metadata?.uid !== firstUid ? 'uid changed' : 'same uid',
      'pod as stored',
    );
    check.fact(
      'recreated mirror: same static pod (config.hash)',
      first.metadata?.annotations?.['kubernetes.io/config.hash'] ?? '?',
      second.metadata?.annotations?.['kubernetes.io/config.hash'] ?? '',
      'annotation kubernetes.io/config.hash',
    );
    const after = containerStatus(second, 'app');
    check.fact('container not restarted: container id', containerId, after?.containerID ?? '', 'status.containerStatuses[app].containerID');
    check.fact('container not restarted: restartCount', '0', String(after?.restartCount ?? -1), 'status.containerStatuses[app]');

    // Removing the file removes the pod: the kubelet stops it and deletes its mirror.
    check.fact(
      'before removal: Ready sandboxes of the static pod on the node',
      '1',
      String(await readySandboxCount(node, namespace, mirror)),
      `crictl pods --state Ready in ${node}`,
    );
    const removedAt = await faults.recover(fault);
    const removeBudget = staticPodRemoveTimeout(settings, timeouts.podDelete);
    const gone = await waitForGone(watch.pods, mirror, {
      description: `mirror pod ${mirror} deleted by the kubelet`,
      timeout: removeBudget,
    });
    const removeMs = gone.getTime() - removedAt.getTime();
    check.fact(
      'file removed → mirror pod gone',
      `≤ ${removeBudget.ms} ms (${removeBudget.name})`,
      `${removeMs} ms`,
      `watch of pods; fileCheckFrequency ${describeSource(settings.fileCheckFrequencyMs)}`,
      removeMs <= removeBudget.ms,
    );
    const stopped = await waitForNoReadySandbox(node, namespace, mirror, timeouts.podDelete);
    check.fact(
      'file removed → no Ready sandbox of the static pod on the node',
      'none',
      'none',
      `crictl pods --state Ready in ${node}, ${stopped.getTime() - removedAt.getTime()} ms after removal`,
    );
  },
);
