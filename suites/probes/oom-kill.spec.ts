/**
 * RST-2 — "If a Container allocates more memory than its limit, the Container becomes a
 * candidate for termination. If the Container continues to consume memory beyond its
 * limit, the Container is terminated." The kernel's OOM killer ends it (reason
 * OOMKilled, exit code 137); the kubelet restarts it per restartPolicy; the pod is not
 * evicted and stays on its node.
 * https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#exceed-a-container-s-memory-limit
 */
import { test, law, waitForRestart, containerStatus, podCondition, restartCount, timeouts } from '../../src/harness/index.ts';

const name = 'oom';

test('a container over its memory limit is OOM-killed and restarted, not evicted', law('RST-2'), async ({ objects, watch, check }) => {
  const [created] = await objects.apply('restarts/oom.yaml', { name, limit: '64Mi', allocate: '256M' });
  const restarted = await waitForRestart(watch, name, 'restarted after its first run ended', timeouts.podStart);
  const first = containerStatus(restarted, 'app')?.lastState?.terminated;
  // The fault took effect: the run ended because the kernel killed it for memory.
  check.fact('reason', 'OOMKilled', first?.reason ?? 'none', 'lastState.terminated');
  check.fact('exit code', '137', String(first?.exitCode), 'lastState.terminated');
  check.fact(
    'restarted per restartPolicy Always',
    'restartCount ≥ 1',
    restartCount(restarted, 'app') >= 1 ? 'restartCount ≥ 1' : '0',
    'containerStatuses',
  );

  const everyVersion = watch.historyOf(name);
  const evicted = everyVersion.some((p) => p.status?.reason === 'Evicted' || podCondition(p, 'DisruptionTarget') !== undefined);
  const nodes = new Set(everyVersion.map((p) => p.spec?.nodeName).filter((n) => n !== undefined));
  const uids = new Set(everyVersion.map((p) => p.metadata?.uid));
  check.fact('evicted', 'no', evicted ? 'yes' : 'no', 'pod status reason and DisruptionTarget condition, every version seen');
  check.fact(
    'same pod on the same node',
    `1 pod (${String(created?.metadata?.uid)}) on 1 node`,
    `${uids.size} pod (${[...uids].join(',')}) on ${nodes.size} node`,
    'every version seen',
  );
  check.fact('pod phase', 'not Failed', restarted.status?.phase === 'Failed' ? 'Failed' : 'not Failed', 'pod status');
});
