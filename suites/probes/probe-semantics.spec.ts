/**
 * PRB-6 — "httpGet: any code greater than or equal to 200 and less than 400 indicates
 * success. Any other code indicates failure." "tcpSocket: if it can establish a
 * connection, the container is considered healthy." "exec: if the command exits with
 * status 0, the diagnostic is considered successful." The kubelet sends
 * User-Agent kube-probe/<major>.<minor>.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#probe-outcome
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  eventsAbout,
  waitForPod,
  waitForLogLine,
  containerStatus,
  isRunning,
  waitFor,
  budgetFor,
  firstProbeResult,
  tolerances,
  timeouts,
} from '../../src/harness/index.ts';

const name = 'probe-semantics';
const cases = [
  { container: 'http-200', probe: 'HTTP 200', passes: true },
  { container: 'http-399', probe: 'HTTP 399', passes: true },
  { container: 'http-400', probe: 'HTTP 400', passes: false },
  { container: 'http-500', probe: 'HTTP 500', passes: false },
  { container: 'tcp-open', probe: 'TCP to a listening port', passes: true },
  { container: 'tcp-closed', probe: 'TCP to a closed port', passes: false },
  { container: 'exec-0', probe: 'exec exit 0', passes: true },
  { container: 'exec-1', probe: 'exec exit 1', passes: false },
  { container: 'exec-2', probe: 'exec exit 2', passes: false },
  { container: 'http-ua', probe: 'HTTP 200 from the recorder', passes: true },
] as const;

/** Every probe has had its say: its container is ready, or the kubelet reported it Unhealthy. */
function settled(pod: V1Pod, unhealthy: ReadonlySet<string>): boolean {
  return cases.every((c) => containerStatus(pod, c.container)?.ready === true || unhealthy.has(c.container));
}

test(
  'HTTP probes pass on 200-399, TCP probes on an open port, exec probes on exit 0',
  law('PRB-6'),
  async ({ cluster, namespace, objects, watch, check }) => {
    await objects.apply('probes/probe-semantics.yaml', { name });
    await waitForPod(watch, name, (p) => cases.every((c) => isRunning(p, c.container)), 'every container running', timeouts.podStart);

    const outcome = firstProbeResult(2, 2);
    const pod = await waitFor(
      watch.pods,
      (pods) => {
        const current = pods.find((p) => p.metadata?.name === name);
        const unhealthy = new Set(
          cases.filter((c) => eventsAbout(watch.events.objects(), name, 'Unhealthy', c.container).length > 0).map((c) => c.container),
        );
        return current !== undefined && settled(current, unhealthy) ? current : undefined;
      },
      {
        description: `every probe of pod ${name} ready or reported Unhealthy`,
        timeout: budgetFor(outcome, tolerances.containerRestart, tolerances.statusPropagation, tolerances.statusPropagation),
        alsoOn: [watch.events],
      },
    );

    for (const c of cases) {
      const ready = containerStatus(pod, c.container)?.ready === true;
      const reportedUnhealthy = eventsAbout(watch.events.objects(), name, 'Unhealthy', c.container).length > 0;
      const observed = ready ? 'passes' : 'fails';
      check.fact(
        c.probe,
        c.passes ? 'passes' : 'fails',
        `${observed}${reportedUnhealthy ? ' (Unhealthy event)' : ''}`,
        'container ready flag and kubelet events',
        c.passes ? ready && !reportedUnhealthy : !ready && reportedUnhealthy,
      );
    }

    await test.step('the kubelet identifies itself as kube-probe/<major>.<minor>', async () => {
      // The recorder container prints each request it answers; its probe passed, so one came in.
      const match = await waitForLogLine(
        cluster.kube,
        { namespace, pod: name, container: 'recorder' },
        /User-Agent:\s*(\S+)/i,
        budgetFor(outcome, tolerances.statusPropagation),
      );
      const expected = `kube-probe/${cluster.version.major}.${cluster.version.minor}`;
      check.fact('User-Agent', expected, match[1] ?? 'no request recorded', `server version ${cluster.version.gitVersion}`);
    });
  },
);
