/**
 * The pod as one network, IPC and UTS unit around its sandbox, with a shared emptyDir.
 *
 * NET-1 — "Every container in a Pod shares the network namespace, including the IP address and network ports.
 * Inside a Pod (and only then), the containers that belong to the Pod can communicate with one another using
 * localhost. … the containers in a Pod must coordinate how they use the shared network resources (such as ports)."
 * https://kubernetes.io/docs/concepts/workloads/pods/#pod-networking
 * NET-2 — "Each Pod is assigned a unique IP address"; a pod is never rescheduled or recreated under the same UID:
 * "a Pod … is replaced by a new, near-identical Pod, with even the same name if desired, but with a different UID."
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-lifetime
 * NS-1 — containers of a pod share the network, UTS and IPC namespaces; "When process namespace sharing is enabled,
 * processes in a container are visible to all other containers in the same pod."
 * https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/
 * VOL-1 — "An emptyDir volume is first created when a Pod is assigned to a node … all containers in the Pod can
 * read and write the same files in the emptyDir volume … A container crashing does not remove a Pod from a node.
 * The data in an emptyDir volume is safe across container crashes. … When a Pod is removed from a node for any
 * reason, the data in the emptyDir is deleted permanently." https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
 */
import type { TestInfo } from '@playwright/test';
import {
  test,
  law,
  notApplicable,
  ContainerProcessKill,
  containerLog,
  containerStatus,
  execInContainer,
  execOk,
  generalWorker,
  isRunning,
  podSandboxes,
  timeouts,
  waitForGone,
  waitForPod,
  type ClusterContext,
} from '../../src/harness/index.ts';

async function generalNode(cluster: ClusterContext, testInfo: TestInfo): Promise<string> {
  const node = (await generalWorker(cluster.kube))?.metadata?.name;
  if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
  return node;
}

const bindFailure = /address already in use/i;

test(
  'NET-1: containers of a pod reach each other on localhost and share one port space',
  law('NET-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = await generalNode(cluster, testInfo);
    await objects.apply('anatomy/port-clash.yaml', { name: 'ports', node });
    // Exactly one of the two servers can hold TCP 8080: the other ends (restartPolicy Never keeps its end).
    const pod = await waitForPod(
      watch,
      'ports',
      (p) => isRunning(p, 'client') && ['first', 'second'].some((c) => containerStatus(p, c)?.state?.terminated !== undefined),
      'one of the two servers ended, the client running',
      timeouts.podStart,
    );
    const ended = ['first', 'second'].filter((c) => containerStatus(pod, c)?.state?.terminated !== undefined);
    const serving = ['first', 'second'].filter((c) => isRunning(pod, c));
    check.fact('servers binding the same port: ended / running', '1 / 1', `${ended.length} / ${serving.length}`, 'containerStatuses');
    const loser = ended[0] ?? 'none';
    const exit = containerStatus(pod, loser)?.state?.terminated?.exitCode;
    const log = loser === 'none' ? '' : await containerLog(cluster.kube, pod, loser);
    check.fact(
      `the second server (${loser}) failed to bind`,
      'non-zero exit, log says address already in use',
      `exit ${String(exit)}, log ${bindFailure.test(log) ? 'says' : 'does not say'} address already in use`,
      `containerStatuses[${loser}].state.terminated, its log`,
      exit !== undefined && exit !== 0 && bindFailure.test(log),
    );
    const answer = await execOk(cluster.kube, { namespace, pod: 'ports', container: 'client' }, [
      '/bin/sh',
      '-c',
      "printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 127.0.0.1 8080",
    ]);
    check.fact(
      `client container → 127.0.0.1:8080 (served by ${serving.join(', ')})`,
      'HTTP 200 with the pod name',
      `${/^HTTP\/1\.[01] 200/.test(answer) ? 'HTTP 200' : 'no 200'}${answer.includes('ports') ? ' with the pod name' : ''}`,
      'agnhost netexec /hostname over localhost',
    );
  },
);

/** The namespace links of a container's own process and its hostname. */
async function namespacesOf(cluster: ClusterContext, namespace: string, pod: string, container: string): Promise<Record<string, string>> {
  const out = await execOk(cluster.kube, { namespace, pod, container }, [
    '/bin/sh',
    '-c',
    'for n in net uts ipc pid; do echo "$n $(readlink /proc/self/ns/$n)"; done; echo "hostname $(hostname)"',
  ]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => line.split(' ', 2) as [string, string]),
  );
}

test(
  'NS-1: containers share network, UTS and IPC; PIDs only with shareProcessNamespace',
  law('NS-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = await generalNode(cluster, testInfo);
    await objects.apply('anatomy/namespaces.yaml', { name: 'split', node, sharePids: 'false' });
    await objects.apply('anatomy/namespaces.yaml', { name: 'shared', node, sharePids: 'true' });
    for (const name of ['split', 'shared']) {
      await waitForPod(watch, name, (p) => isRunning(p, 'a') && isRunning(p, 'b'), 'both containers running', timeouts.podStart);
      const a = await namespacesOf(cluster, namespace, name, 'a');
      const b = await namespacesOf(cluster, namespace, name, 'b');
      const same = (n: string): string => (a[n] !== undefined && a[n] === b[n] ? `same (${a[n]})` : `different (${a[n]} vs ${b[n]})`);
      const sharePids = name === 'shared';
      for (const n of ['net', 'uts', 'ipc'])
        check.fact(`${name}: ${n} namespace of a and b`, 'same', same(n).split(' ')[0] ?? '', '/proc/self/ns links');
      check.fact(`${name}: hostname in a and b`, `${name} / ${name}`, `${a['hostname']} / ${b['hostname']}`, 'hostname in each container');
      check.fact(
        `pid namespace of a and b (${name}, shareProcessNamespace ${String(sharePids)})`,
        sharePids ? 'same' : 'different',
        same('pid').split(' ')[0] ?? '',
        `/proc/self/ns/pid: ${same('pid')}`,
      );
      const ps = await execOk(cluster.kube, { namespace, pod: name, container: 'a' }, ['ps', '-o', 'pid,args']);
      const seesB = ps.includes('sleep 3602');
      check.fact(
        `container a sees b's process (${name}, shareProcessNamespace ${String(sharePids)})`,
        sharePids ? 'sees' : 'does not see',
        seesB ? 'sees' : 'does not see',
        'ps in container a',
      );
      if (sharePids) {
        const first = /^\s*1\s+(\S+)/m.exec(ps)?.[1] ?? 'none';
        check.fact('PID 1 of the shared PID namespace', '/pause', first, 'ps in container a (the sandbox container)');
      }
    }
  },
);

test(
  'NET-2, VOL-1, NS-1: a container restart keeps the IP, the sandbox and the emptyDir; a recreated pod gets new ones',
  law('NET-2', 'VOL-1', 'NS-1'),
  async ({ cluster, namespace, objects, watch, faults, check }, testInfo) => {
    const node = await generalNode(cluster, testInfo);
    const vol = check.for('VOL-1');
    const ns = check.for('NS-1');
    await objects.apply('anatomy/shared-volume.yaml', { name: 'keeper', node });
    const before = await waitForPod(
      watch,
      'keeper',
      (p) => isRunning(p, 'writer') && isRunning(p, 'reader') && p.status?.podIP !== undefined,
      'both running with an IP',
      timeouts.podStart,
    );
    const writer = { namespace, pod: 'keeper', container: 'writer' };
    const reader = { namespace, pod: 'keeper', container: 'reader' };
    await execOk(cluster.kube, writer, ['/bin/sh', '-c', 'echo written-by-writer > /data/shared.txt']);
    vol.fact(
      'file written by writer, read by reader',
      'written-by-writer',
      (await execOk(cluster.kube, reader, ['cat', '/data/shared.txt'])).trim(),
      'emptyDir data, exec cat in reader',
    );
    const sandboxesBefore = await podSandboxes(node, before);
    const netnsBefore = (await namespacesOf(cluster, namespace, 'keeper', 'writer'))['net'];

    await test.step('restart the writer container', async () => {
      await faults.inject(new ContainerProcessKill(cluster.kube, writer, { signal: 'TERM' }));
    });
    const after = await waitForPod(
      watch,
      'keeper',
      (p) => (containerStatus(p, 'writer')?.restartCount ?? 0) >= 1 && isRunning(p, 'writer'),
      'writer restarted and running',
      timeouts.podStart,
    );
    // The fault took effect: the writer's previous instance ended with the trapped TERM, and it started again.
    const last = containerStatus(after, 'writer')?.lastState?.terminated;
    check.fact(
      'writer restarted (fault took effect)',
      'restartCount ≥ 1, last exit 143',
      `restartCount ${containerStatus(after, 'writer')?.restartCount}, last exit ${String(last?.exitCode)}`,
      'containerStatuses[writer]',
      last?.exitCode === 143,
    );
    vol.fact(
      'starts recorded in the volume by the writer',
      'started\nstarted',
      (await execOk(cluster.kube, writer, ['cat', '/data/starts'])).trim(),
      'emptyDir /data/starts, one line per writer start',
    );
    vol.fact(
      'file after the writer restarted',
      'written-by-writer',
      (await execOk(cluster.kube, writer, ['cat', '/data/shared.txt'])).trim(),
      'exec cat in the new writer',
    );
    check.fact('pod IP across the container restart', before.status?.podIP ?? '?', after.status?.podIP ?? 'none', 'status.podIP');
    check.fact('pod UID across the container restart', before.metadata?.uid ?? '?', after.metadata?.uid ?? 'none', 'metadata.uid');
    const sandboxesAfter = await podSandboxes(node, after);
    ns.fact(
      'CRI sandbox across the container restart',
      sandboxesBefore.map((s) => `${s.id.slice(0, 13)} ${s.state}`).join(', '),
      sandboxesAfter.map((s) => `${s.id.slice(0, 13)} ${s.state}`).join(', '),
      `crictl pods in ${node} (the pod API has no sandbox field)`,
      sandboxesBefore.length === 1 && sandboxesAfter.length === 1 && sandboxesBefore[0]?.id === sandboxesAfter[0]?.id,
    );
    ns.fact(
      'network namespace of the restarted writer',
      netnsBefore ?? '?',
      (await namespacesOf(cluster, namespace, 'keeper', 'writer'))['net'] ?? 'unread',
      '/proc/self/ns/net in writer',
    );

    await test.step('delete the pod and create one with the same name', async () => {
      await cluster.kube.core.deleteNamespacedPod({ namespace, name: 'keeper', gracePeriodSeconds: 1 });
      await waitForGone(watch.pods, 'keeper', {
        uid: after.metadata?.uid ?? '',
        description: 'keeper deleted',
        timeout: timeouts.podDelete,
      });
      await objects.apply('anatomy/shared-volume.yaml', { name: 'keeper', node });
    });
    const recreated = await waitForPod(
      watch,
      'keeper',
      (p) => p.metadata?.uid !== before.metadata?.uid && isRunning(p, 'reader') && p.status?.podIP !== undefined,
      'the new pod running with an IP',
      timeouts.podStart,
    );
    check.fact(
      'recreated pod: UID',
      `not ${before.metadata?.uid}`,
      recreated.metadata?.uid ?? '?',
      'metadata.uid',
      recreated.metadata?.uid !== before.metadata?.uid,
    );
    check.fact(
      'recreated pod: IP',
      `not ${before.status?.podIP}`,
      recreated.status?.podIP ?? '?',
      'status.podIP',
      recreated.status?.podIP !== before.status?.podIP,
    );
    const leftover = await execInContainer(cluster.kube, reader, ['cat', '/data/shared.txt']);
    vol.fact(
      'recreated pod: the file in its emptyDir',
      'absent',
      leftover.stdout.trim() === '' ? 'absent' : `present: ${leftover.stdout.trim()}`,
      'exec cat in the new pod',
    );
    vol.fact(
      'recreated pod: starts in its volume',
      'started',
      (await execOk(cluster.kube, reader, ['cat', '/data/starts'])).trim(),
      'emptyDir /data/starts of the new pod',
    );
  },
);
