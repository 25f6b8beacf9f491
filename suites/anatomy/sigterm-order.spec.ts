/**
 * TRM-1, as the seed pages state it wrongly: "kubelet sends SIGTERM to all containers (in reverse declaration
 * order)". The documented rule: on deletion "the kubelet … triggers the container runtime to send a TERM signal to
 * process 1 inside each container"; an order exists only for sidecars, stopped in reverse after the app containers
 * (SC-1). https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 * The kubelet kills the app containers in parallel, one goroutine each (pkg/kubelet/kuberuntime/
 * kuberuntime_container.go, killContainersWithSyncResult). Evidence: the last-declared container lingers after its
 * SIGTERM; if the kubelet went one container after another in reverse order, the others would get theirs only after
 * it exited, at least the linger later. Sent together, all three arrive well within the linger.
 */
import { test, law, notApplicable, execOk, generalWorker, isRunning, parseStamps, timeouts, waitForPod } from '../../src/harness/index.ts';

const lingerSeconds = 5;

test(
  'TRM-1: app containers are sent SIGTERM together, not one after another in reverse declaration order',
  law('TRM-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = (await generalWorker(cluster.kube))?.metadata?.name;
    if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
    await objects.apply('anatomy/sigterm-order.yaml', { name: 'three', node, lingerSeconds });
    await waitForPod(watch, 'three', (p) => ['c1', 'c2', 'c3', 'witness'].every((c) => isRunning(p, c)), 'all running', timeouts.podStart);
    const witness = { namespace, pod: 'three', container: 'witness' };
    // The traps are installed before each container touches its up-file.
    check.fact(
      'containers armed (trap set)',
      'up-c1 up-c2 up-c3',
      (await execOk(cluster.kube, witness, ['ls', '/r']))
        .trim()
        .split(/\s+/)
        .filter((f) => f.startsWith('up-'))
        .sort()
        .join(' '),
      'files in the shared emptyDir',
    );
    await cluster.kube.core.deleteNamespacedPod({ namespace, name: 'three' });
    // Read inside the pod while the witness (trapping TERM) keeps it up: the kubelet posts no status of a pod it is
    // killing until every container stopped, so the wait for the three stamps runs in the witness, bounded by the
    // grace period (the exec ends when the witness is killed).
    const text = await execOk(cluster.kube, witness, [
      '/bin/sh',
      '-c',
      'until [ -f /r/terms ] && [ "$(wc -l < /r/terms)" -ge 3 ]; do sleep 0.1; done; cat /r/terms',
    ]);
    const stamps = parseStamps(text);
    check.fact(
      'SIGTERM received (fault took effect)',
      'term-c1 term-c2 term-c3',
      stamps
        .map((s) => s.mark)
        .sort()
        .join(' '),
      'in-pod stamps',
    );
    const times = stamps.map((s) => s.at.getTime());
    const spreadMs = Math.max(...times) - Math.min(...times);
    const order = [...stamps].sort((a, b) => a.at.getTime() - b.at.getTime()).map((s) => s.mark.replace('term-', ''));
    check.fact(
      'app containers: SIGTERM spread',
      `< ${lingerSeconds} s (c3's linger): sent together`,
      `${spreadMs} ms, order ${order.join(' → ')}`,
      'in-pod adjtimex stamps; kuberuntime_container.go killContainersWithSyncResult',
      stamps.length === 3 && spreadMs < lingerSeconds * 1000,
    );
  },
);
