/**
 * INI-1 — "Init containers always run to completion. Each init container must complete successfully before the
 * next one starts. If a Pod's init container fails, the kubelet repeatedly restarts that init container until it
 * succeeds. However, if the Pod has a restartPolicy of Never, and an init container fails during startup of that
 * Pod, Kubernetes treats the overall Pod as failed." "Each init container must exit successfully before the next
 * container starts." While init containers run, the Pod's Initialized condition is False. "The Pod's effective
 * request/limit for a resource is the higher of: the sum of all app containers request/limit for a resource; the
 * effective init request/limit for a resource" — "Scheduling is done based on effective requests/limits".
 * https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 */
import {
  test,
  law,
  notApplicable,
  containerStatus,
  effectiveRequest,
  execOk,
  generalWorker,
  isRunning,
  nodeMemoryRoom,
  podCondition,
  timeouts,
  waitForGone,
  waitForPod,
} from '../../src/harness/index.ts';

const mi = 1024 * 1024;
const inMi = (bytes: number): string => `${Math.round(bytes / mi)}Mi`;

test(
  'INI-1: init containers run one at a time, in order, each exiting 0 before the next; Initialized=False meanwhile',
  law('INI-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = (await generalWorker(cluster.kube))?.metadata?.name;
    if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
    await objects.apply('anatomy/init-order.yaml', { name: 'ordered', node });
    await objects.apply('anatomy/init-fails.yaml', { name: 'failing', node });

    await waitForPod(watch, 'ordered', (p) => isRunning(p, 'app'), 'app running after the three init containers', timeouts.podStart);
    const order = (await execOk(cluster.kube, { namespace, pod: 'ordered', container: 'app' }, ['cat', '/w/order'])).trim().split('\n');
    check.fact(
      'order of starts and ends in the shared file',
      'start-1 end-1 start-2 end-2 start-3 end-3 app',
      order.join(' '),
      'emptyDir /w/order',
    );
    const history = watch.historyOf('ordered');
    const initRunning = history.filter((p) => ['init-1', 'init-2', 'init-3'].some((c) => isRunning(p, c)));
    // The fault here is the init phase itself: it must have been seen, or Initialized=False proves nothing.
    check.fact(
      'versions seen with an init container running',
      '≥ 1',
      String(initRunning.length),
      'pod watch history',
      initRunning.length >= 1,
    );
    const initializedWhileRunning = initRunning.map((p) => podCondition(p, 'Initialized')?.status ?? 'absent');
    check.fact(
      'Initialized while an init container runs',
      'False',
      [...new Set(initializedWhileRunning)].join(', '),
      'status.conditions[Initialized] of every version with an init container running',
      initializedWhileRunning.length > 0 && initializedWhileRunning.every((s) => s === 'False'),
    );
    const concurrent = history.filter((p) => ['init-1', 'init-2', 'init-3', 'app'].filter((c) => isRunning(p, c)).length > 1).length;
    check.fact('versions with two of init-1..3 and app running at once', '0', String(concurrent), 'pod watch history');
    const exits = ['init-1', 'init-2', 'init-3'].map(
      (c) => `${c}=${String(containerStatus(history.at(-1) ?? {}, c)?.state?.terminated?.exitCode)}`,
    );
    check.fact('init exit codes', 'init-1=0 init-2=0 init-3=0', exits.join(' '), 'initContainerStatuses');

    const failed = await waitForPod(watch, 'failing', (p) => p.status?.phase === 'Failed', 'phase Failed', timeouts.podStart);
    const failExit = containerStatus(failed, 'init-fails')?.state?.terminated?.exitCode;
    check.fact('restartPolicy Never: init-fails exit code (fault took effect)', '3', String(failExit), 'initContainerStatuses[init-fails]');
    check.fact('restartPolicy Never: pod phase after a failed init container', 'Failed', failed.status?.phase ?? '?', 'status.phase');
    const neverStarted = watch
      .historyOf('failing')
      .filter((p) =>
        ['init-never', 'app'].some(
          (c) => containerStatus(p, c)?.state?.running !== undefined || containerStatus(p, c)?.state?.terminated !== undefined,
        ),
      ).length;
    check.fact('versions where init-never or app had started', '0', String(neverStarted), 'pod watch history');
    check.fact(
      'restartPolicy Never: init-fails restarts',
      '0',
      String(containerStatus(failed, 'init-fails')?.restartCount ?? 0),
      'restartCount',
    );
  },
);

test(
  'INI-1: the scheduler counts max(largest init request, sum of app requests)',
  law('INI-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = (await generalWorker(cluster.kube))?.metadata?.name;
    if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
    const room = await nodeMemoryRoom(cluster.kube, node);
    const source = `${node}: allocatable ${inMi(room.allocatableBytes)} (node status) − ${inMi(room.requestedBytes)} requested by its ${room.pods} pods`;
    testInfo.annotations.push({ type: 'room', description: `${source} = ${inMi(room.freeBytes)} free` });
    // An init request alone above the free room, app requests tiny: only counting init requests can refuse it.
    const tooBigInit = Math.round(room.freeBytes + 1024 * mi);
    // Init 60 % of the room, apps 30 % each: the max (60 %) fits, the sum of init and apps (120 %) would not.
    const share = Math.floor((room.freeBytes * 0.3) / mi) * mi;
    const fits = effectiveRequest([{ request: 2 * share, restartable: false }], [share, share]);
    check.fact(
      'documented effective request of the second pod vs init + apps',
      `${inMi(fits.effective)} ≤ ${inMi(room.freeBytes)} < ${inMi(fits.effectiveInit + fits.appSum)}`,
      `${inMi(fits.effective)} ≤ ${inMi(room.freeBytes)} < ${inMi(fits.effectiveInit + fits.appSum)}`,
      `src/laws/expectations/anatomy.ts effectiveRequest; ${source}`,
      fits.effective <= room.freeBytes && fits.effectiveInit + fits.appSum > room.freeBytes,
    );
    await objects.apply('anatomy/init-request.yaml', {
      name: 'init-too-big',
      node,
      initMemory: String(tooBigInit),
      appMemory: String(16 * mi),
    });
    await objects.apply('anatomy/init-request.yaml', {
      name: 'max-not-sum',
      node,
      initMemory: String(2 * share),
      appMemory: String(share),
    });

    const refused = await waitForPod(
      watch,
      'init-too-big',
      (p) => podCondition(p, 'PodScheduled')?.reason === 'Unschedulable',
      'PodScheduled=False Unschedulable',
      timeouts.podStart,
    );
    const message = podCondition(refused, 'PodScheduled')?.message ?? '';
    check.fact(
      `init ${inMi(tooBigInit)} (> ${inMi(room.freeBytes)} free), apps 2 × 16Mi`,
      'Unschedulable: Insufficient memory',
      `${podCondition(refused, 'PodScheduled')?.reason}: ${message}`,
      'status.conditions[PodScheduled]',
      /Insufficient memory/.test(message),
    );
    const placed = await waitForPod(watch, 'max-not-sum', (p) => p.spec?.nodeName !== undefined, `bound to ${node}`, timeouts.podStart);
    check.fact(
      `init ${inMi(2 * share)}, apps 2 × ${inMi(share)}`,
      `scheduled on ${node}`,
      `scheduled on ${placed.spec?.nodeName}`,
      'spec.nodeName',
    );
    // Its requests hold most of the node's room for other tests: give it back at once.
    await cluster.kube.core.deleteNamespacedPod({ namespace, name: 'max-not-sum', gracePeriodSeconds: 0 });
    await waitForGone(watch.pods, 'max-not-sum', { description: 'max-not-sum deleted', timeout: timeouts.podDelete });

    // Two init containers of 60 % each: the largest fits, their sum (120 %) would not.
    const initShare = 2 * share;
    await objects.apply('anatomy/init-request-two.yaml', { name: 'inits-not-summed', node, initMemory: String(initShare) });
    const both = await waitForPod(
      watch,
      'inits-not-summed',
      (p) => p.spec?.nodeName !== undefined || podCondition(p, 'PodScheduled')?.reason === 'Unschedulable',
      'bound or refused',
      timeouts.podStart,
    );
    const outcome =
      both.spec?.nodeName !== undefined ? `scheduled on ${both.spec.nodeName}` : `refused: ${podCondition(both, 'PodScheduled')?.message}`;
    const sizes = `init 2 × ${inMi(initShare)} (sum ${inMi(2 * initShare)} > ${inMi(room.freeBytes)} free)`;
    check.fact(
      'two init containers each fitting, their sum not',
      `${sizes}: scheduled on ${node}`,
      `${sizes}: ${outcome}`,
      'spec.nodeName / PodScheduled',
    );
    await cluster.kube.core.deleteNamespacedPod({ namespace, name: 'inits-not-summed', gracePeriodSeconds: 0 });
  },
);
