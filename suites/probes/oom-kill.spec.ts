/**
 * RST-2 — "If a Container allocates more memory than its limit, the Container becomes a
 * candidate for termination. If the Container continues to consume memory beyond its
 * limit, the Container is terminated." The kernel's OOM killer ends it (reason
 * OOMKilled, exit code 137); the kubelet restarts it per restartPolicy; the pod is not
 * evicted and stays on its node.
 * https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#exceed-a-container-s-memory-limit
 */
import { test, expect, law } from '../../src/harness/test.ts';
import { waitForPod } from '../../src/harness/pods.ts';
import { containerStatus, podCondition, restartCount } from '../../src/kube/pod-status.ts';
import { upstreamTimeouts } from '../../src/laws/timing.ts';
import { factObservation } from '../../src/timeline/observation.ts';

const name = 'oom';

test('a container over its memory limit is OOM-killed and restarted, not evicted', law('RST-2'), async ({ objects, observe, timeline }) => {
  const [created] = await objects.apply('restarts/oom.yaml', { name, limit: '64Mi', allocate: '256M' });
  const restarted = await waitForPod(
    observe,
    name,
    (p) => restartCount(p, 'app') >= 1 && containerStatus(p, 'app')?.lastState?.terminated !== undefined,
    'restarted after its first run ended',
    upstreamTimeouts.podStart,
  );
  const first = containerStatus(restarted, 'app')?.lastState?.terminated;
  // The fault took effect: the run ended because the kernel killed it for memory.
  timeline.observe(factObservation('RST-2', 'reason', 'OOMKilled', first?.reason ?? 'none', 'lastState.terminated'));
  timeline.observe(factObservation('RST-2', 'exit code', '137', String(first?.exitCode), 'lastState.terminated'));
  timeline.observe(factObservation('RST-2', 'restarted per restartPolicy Always', 'restartCount ≥ 1', restartCount(restarted, 'app') >= 1 ? 'restartCount ≥ 1' : '0', 'containerStatuses'));

  const everyVersion = observe.historyOf(name);
  const evicted = everyVersion.some((p) => p.status?.reason === 'Evicted' || podCondition(p, 'DisruptionTarget') !== undefined);
  const nodes = new Set(everyVersion.map((p) => p.spec?.nodeName).filter((n) => n !== undefined));
  const uids = new Set(everyVersion.map((p) => p.metadata?.uid));
  timeline.observe(factObservation('RST-2', 'evicted', 'no', evicted ? 'yes' : 'no', 'pod status reason and DisruptionTarget condition, every version seen'));
  timeline.observe(factObservation('RST-2', 'same pod on the same node', `1 pod (${String(created?.metadata?.uid)}) on 1 node`, `${uids.size} pod (${[...uids].join(',')}) on ${nodes.size} node`, 'every version seen'));
  timeline.observe(factObservation('RST-2', 'pod phase', 'not Failed', restarted.status?.phase === 'Failed' ? 'Failed' : 'not Failed', 'pod status'));

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
