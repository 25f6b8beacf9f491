/**
 * RST-3 — "The spec of a Pod has a restartPolicy field with possible values Always,
 * OnFailure, and Never. The default value is Always. The restartPolicy applies to app
 * containers in the Pod and to regular init containers." Under Always an init
 * container that fails is retried until it succeeds, and is not run again after.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
 * https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  waitForPod,
  containerRuns,
  containerStatus,
  isRunning,
  restartCount,
  timeouts,
  type ContainerRun,
} from '../../src/harness/index.ts';

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

test(
  'restartPolicy decides which exits restart a container; init containers retry until they succeed',
  law('RST-3'),
  async ({ objects, watch, timeline, check }) => {
    const runsOf = (pod: string, container: string): { ran: ContainerRun[]; startErrors: number } =>
      split(containerRuns(watch.historyOf(pod), container));
    const noteStartErrors = (pod: string, container: string): void => {
      const { startErrors } = runsOf(pod, container);
      if (startErrors > 0)
        timeline.action('note', `${pod}[${container}]: ${startErrors} start(s) failed in the runtime (StartError), retried by the kubelet`);
    };
    /** Restarted after the container itself exited (not merely after a failed start). */
    const restartedAfterExit = (pod: V1Pod, name: string): boolean => {
      const { ran, startErrors } = runsOf(name, 'app');
      return ran.some((r) => r.finishedAt !== undefined) && restartCount(pod, 'app') >= startErrors + 1;
    };
    await objects.apply('restarts/init-fails-once.yaml', { name: 'init-always', policy: 'Always' });
    await objects.apply('restarts/init-fails-once.yaml', { name: 'init-never', policy: 'Never' });

    /**
     * Under Never (and OnFailure after exit 0) a runtime that fails to start the container
     * (StartError, seen here as runc "unable to freeze" on cgroup v1 under load) ends the
     * pod before the container ran: the fault — the container exiting with its code — did
     * not happen, so that pod proves nothing. It is recorded and the case is run again
     * with a new pod, at most `attemptsPerCase` times.
     */
    const attemptsPerCase = 3;
    const runCase = async (c: Case): Promise<void> => {
      const restarts = c.expected.startsWith('restarted');
      for (let attempt = 1; ; attempt += 1) {
        const name = attempt === 1 ? c.name : `${c.name}-attempt${attempt}`;
        await objects.apply('restarts/restart-policy.yaml', { name, policy: c.policy, exitCode: c.exitCode });
        const pod = await waitForPod(
          watch,
          name,
          (p) => (restarts ? restartedAfterExit(p, name) : terminal(p)),
          c.expected,
          timeouts.podStart,
        );
        const { ran, startErrors } = runsOf(name, 'app');
        noteStartErrors(name, 'app');
        if (ran.length === 0 && startErrors > 0 && attempt < attemptsPerCase) {
          timeline.action('note', `${name}: the container never ran (runtime StartError); running the case again with a new pod`);
          continue;
        }
        // The fault took effect: the container ran and exited with the code it was given.
        check.fact(
          `${c.policy}, exit ${c.exitCode}: exit code seen`,
          String(c.exitCode),
          ran.map((r) => String(r.exitCode)).at(0) ?? 'no run ended',
          'containerStatuses',
        );
        const outcome = `${restartedAfterExit(pod, name) ? 'restarted' : 'not restarted'}, phase ${pod.status?.phase ?? '?'}`;
        check.fact(`${c.policy}, exit ${c.exitCode}`, c.expected, outcome, 'restartCount and phase');
        return;
      }
    };
    await Promise.all(cases.map(runCase));

    await test.step('under Always, a failed init container is retried, and not rerun once it succeeded', async () => {
      const pod = await waitForPod(
        watch,
        'init-always',
        (p) => isRunning(p, 'app'),
        'app running after the init container succeeded',
        timeouts.podStart,
      );
      const init = containerStatus(pod, 'init');
      const { ran } = runsOf('init-always', 'init');
      noteStartErrors('init-always', 'init');
      check.fact(
        'init under Always: exit codes of its runs',
        '1,0',
        ran.map((r) => String(r.exitCode)).join(','),
        'initContainerStatuses, every version seen',
      );
      check.fact(
        'init under Always: final state',
        'Completed (0)',
        `${init?.state?.terminated?.reason ?? 'not terminated'} (${String(init?.state?.terminated?.exitCode)})`,
        'initContainerStatuses',
      );
    });

    await test.step('under Never, a failed init container fails the pod and the app never starts', async () => {
      const pod = await waitForPod(watch, 'init-never', terminal, 'terminal phase', timeouts.podStart);
      check.fact('init under Never: phase', 'Failed', pod.status?.phase ?? '?', 'pod status');
      const app = containerStatus(pod, 'app');
      check.fact(
        'init under Never: app started',
        'no',
        app?.state?.running !== undefined || app?.lastState?.terminated !== undefined || app?.state?.terminated?.startedAt !== undefined
          ? 'yes'
          : 'no',
        'containerStatuses',
      );
    });
  },
);
