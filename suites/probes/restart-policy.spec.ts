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
import { containerRuns, containerStatus, isRunning, restartCount } from '../../src/kube/pod-status.ts';
import type { ContainerRun } from '../../src/kube/pod-status.ts';
import { upstreamTimeouts } from '../../src/laws/timing.ts';
import { factObservation } from '../../src/timeline/observation.ts';

type Policy = 'Always' | 'OnFailure' | 'Never';
interface Case {
  readonly name: string;
  readonly policy: Policy;
  readonly exitCode: number;
  readonly expected: 'restarted, phase Running' | 'not restarted, phase Succeeded' | 'not restarted, phase Failed';
}

const cases: readonly Case[] = [
  { name: 'always-exit-0', policy: 'Always', exitCode: 0, expected: 'restarted, phase Running' },
  { name: 'always-exit-1', policy: 'Always', exitCode: 1, expected: 'restarted, phase Running' },
  { name: 'onfailure-exit-0', policy: 'OnFailure', exitCode: 0, expected: 'not restarted, phase Succeeded' },
  { name: 'onfailure-exit-1', policy: 'OnFailure', exitCode: 1, expected: 'restarted, phase Running' },
  { name: 'never-exit-0', policy: 'Never', exitCode: 0, expected: 'not restarted, phase Succeeded' },
  { name: 'never-exit-1', policy: 'Never', exitCode: 1, expected: 'not restarted, phase Failed' },
];

const terminal = (p: V1Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Runs the runtime failed to start (exit 128, StartError) are restarted too, but are not the container's doing. */
function split(runs: readonly ContainerRun[]): { ran: ContainerRun[]; startErrors: number } {
  return { ran: runs.filter((r) => r.reason !== 'StartError'), startErrors: runs.filter((r) => r.reason === 'StartError').length };
}

test('restartPolicy decides which exits restart a container; init containers retry until they succeed', law('RST-3'), async ({ objects, observe, timeline }) => {
  const runsOf = (pod: string, container: string): { ran: ContainerRun[]; startErrors: number } => split(containerRuns(observe.historyOf(pod), container));
  const noteStartErrors = (pod: string, container: string): void => {
    const { startErrors } = runsOf(pod, container);
    if (startErrors > 0) timeline.action('note', `${pod}[${container}]: ${startErrors} start(s) failed in the runtime (StartError), retried by the kubelet`);
  };
  /** Restarted after the container itself exited (not merely after a failed start). */
  const restartedAfterExit = (pod: V1Pod, name: string): boolean => {
    const { ran, startErrors } = runsOf(name, 'app');
    return ran.some((r) => r.finishedAt !== undefined) && restartCount(pod, 'app') >= startErrors + 1;
  };
  for (const c of cases) await objects.apply('restarts/restart-policy.yaml', { name: c.name, policy: c.policy, exitCode: c.exitCode });
  await objects.apply('restarts/init-fails-once.yaml', { name: 'init-always', policy: 'Always' });
  await objects.apply('restarts/init-fails-once.yaml', { name: 'init-never', policy: 'Never' });

  await Promise.all(
    cases.map(async (c) => {
      const restarts = c.expected.startsWith('restarted');
      const pod = await waitForPod(observe, c.name, (p) => (restarts ? restartedAfterExit(p, c.name) : terminal(p)), c.expected, upstreamTimeouts.podStart);
      // The fault took effect: the container ran and exited with the code it was given.
      const { ran } = runsOf(c.name, 'app');
      noteStartErrors(c.name, 'app');
      timeline.observe(factObservation('RST-3', `${c.policy}, exit ${c.exitCode}: exit code seen`, String(c.exitCode), ran.map((r) => String(r.exitCode)).at(0) ?? 'no run ended', 'containerStatuses'));
      const outcome = `${restartedAfterExit(pod, c.name) ? 'restarted' : 'not restarted'}, phase ${pod.status?.phase ?? '?'}`;
      timeline.observe(factObservation('RST-3', `${c.policy}, exit ${c.exitCode}`, c.expected, outcome, 'restartCount and phase'));
    }),
  );

  await test.step('under Always, a failed init container is retried, and not rerun once it succeeded', async () => {
    const pod = await waitForPod(observe, 'init-always', (p) => isRunning(p, 'app'), 'app running after the init container succeeded', upstreamTimeouts.podStart);
    const init = containerStatus(pod, 'init');
    const { ran } = runsOf('init-always', 'init');
    noteStartErrors('init-always', 'init');
    timeline.observe(factObservation('RST-3', 'init under Always: exit codes of its runs', '1,0', ran.map((r) => String(r.exitCode)).join(','), 'initContainerStatuses, every version seen'));
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
