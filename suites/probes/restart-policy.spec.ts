/**
 * RST-3 — "The spec of a Pod has a restartPolicy field with possible values Always,
 * OnFailure, and Never. The default value is Always. The restartPolicy applies to app
 * containers in the Pod and to regular init containers." Under Always an init
 * container that fails is retried until it succeeds, and is not run again after.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
 * https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 */
import type { V1Pod } from '@kubernetes/client-node';
import { test, expect, law } from '../../src/harness/test.ts';
import { waitForPod } from '../../src/harness/pods.ts';
import { containerStatus, isRunning, restartCount } from '../../src/kube/pod-status.ts';
import { upstreamTimeouts } from '../../src/laws/timing.ts';
import { factObservation } from '../../src/timeline/observation.ts';

type Policy = 'Always' | 'OnFailure' | 'Never';
interface Case {
  readonly name: string;
  readonly policy: Policy;
  readonly exitCode: number;
  readonly expected: string;
  /** The state that settles the case: restarted, or terminal. */
  readonly settled: (pod: V1Pod) => boolean;
  readonly describe: (pod: V1Pod) => string;
}

const restarted = (p: V1Pod): boolean => restartCount(p, 'app') >= 1;
const terminal = (p: V1Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const restartedOutcome = (p: V1Pod): string => (restarted(p) ? `restarted, phase ${p.status?.phase ?? '?'}` : `not restarted, phase ${p.status?.phase ?? '?'}`);

const cases: readonly Case[] = [
  { name: 'always-exit-0', policy: 'Always', exitCode: 0, expected: 'restarted, phase Running', settled: restarted, describe: restartedOutcome },
  { name: 'always-exit-1', policy: 'Always', exitCode: 1, expected: 'restarted, phase Running', settled: restarted, describe: restartedOutcome },
  { name: 'onfailure-exit-0', policy: 'OnFailure', exitCode: 0, expected: 'not restarted, phase Succeeded', settled: terminal, describe: restartedOutcome },
  { name: 'onfailure-exit-1', policy: 'OnFailure', exitCode: 1, expected: 'restarted, phase Running', settled: restarted, describe: restartedOutcome },
  { name: 'never-exit-0', policy: 'Never', exitCode: 0, expected: 'not restarted, phase Succeeded', settled: terminal, describe: restartedOutcome },
  { name: 'never-exit-1', policy: 'Never', exitCode: 1, expected: 'not restarted, phase Failed', settled: terminal, describe: restartedOutcome },
];

test('restartPolicy decides which exits restart a container; init containers retry until they succeed', law('RST-3'), async ({ objects, observe, timeline }) => {
  for (const c of cases) await objects.apply('restarts/restart-policy.yaml', { name: c.name, policy: c.policy, exitCode: c.exitCode });
  await objects.apply('restarts/init-fails-once.yaml', { name: 'init-always', policy: 'Always' });
  await objects.apply('restarts/init-fails-once.yaml', { name: 'init-never', policy: 'Never' });

  await Promise.all(
    cases.map(async (c) => {
      const pod = await waitForPod(observe, c.name, c.settled, c.expected, upstreamTimeouts.podStart);
      // The fault took effect: the container exited with the code it was given.
      const exited = containerStatus(pod, 'app')?.lastState?.terminated ?? containerStatus(pod, 'app')?.state?.terminated;
      timeline.observe(factObservation('RST-3', `${c.policy}, exit ${c.exitCode}: exit code seen`, String(c.exitCode), String(exited?.exitCode), 'containerStatuses'));
      timeline.observe(factObservation('RST-3', `${c.policy}, exit ${c.exitCode}`, c.expected, c.describe(pod), 'restartCount and phase'));
    }),
  );

  await test.step('under Always, a failed init container is retried, and not rerun once it succeeded', async () => {
    const pod = await waitForPod(observe, 'init-always', (p) => isRunning(p, 'app'), 'app running after the init container succeeded', upstreamTimeouts.podStart);
    const init = containerStatus(pod, 'init');
    timeline.observe(factObservation('RST-3', 'init under Always: restarts', '1', String(init?.restartCount), 'initContainerStatuses'));
    timeline.observe(factObservation('RST-3', 'init under Always: final state', 'Completed (0)', `${init?.state?.terminated?.reason ?? 'not terminated'} (${String(init?.state?.terminated?.exitCode)})`, 'initContainerStatuses'));
  });

  await test.step('under Never, a failed init container fails the pod and the app never starts', async () => {
    const pod = await waitForPod(observe, 'init-never', terminal, 'terminal phase', upstreamTimeouts.podStart);
    timeline.observe(factObservation('RST-3', 'init under Never: phase', 'Failed', pod.status?.phase ?? '?', 'pod status'));
    const app = containerStatus(pod, 'app');
    timeline.observe(factObservation('RST-3', 'init under Never: app started', 'no', app?.state?.running !== undefined || app?.lastState?.terminated !== undefined || app?.state?.terminated?.startedAt !== undefined ? 'yes' : 'no', 'containerStatuses'));
  });

  expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
});
