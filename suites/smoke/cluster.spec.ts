/**
 * The cluster itself, before any law: every node Ready, cluster DNS answering, pods
 * on different nodes reaching each other, a Service reachable from the host through
 * the loopback NodePort and answered from several nodes, the pressure worker's
 * kubelet running with a memory.available hard threshold, and the node-loss fault.
 *
 * These tests run one after another in one worker (mode 'default': in order, and a
 * failure does not skip the rest), because the last one freezes a worker that the
 * NodePort test's replicas use. The law suites' pods never land on the loss workers
 * (their podlaw.dev/disruption taint), so they run in parallel unaffected.
 *
 * Node loss: "Ready: … Unknown if the node controller has not heard from the node in
 * the last node-monitor-grace-period" — https://kubernetes.io/docs/reference/node/node-status/
 * The expected time comes from kube-controller-manager's flags (or the documented
 * default for this version when they cannot be read). It is measured from the node's
 * last heartbeat (its Lease renewTime) to the Ready=Unknown transition; the wait's
 * budget is that grace period plus one monitor period, plus 15 s of slack.
 */
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { test, expect, law, notApplicable } from '../../src/harness/test.ts';
import { NodePauseFault, nodeContainerExists } from '../../src/faults/node-pause.ts';
import { execInContainer } from '../../src/kube/exec.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import { isPodReady } from '../../src/kube/pod-status.ts';
import { waitFor, waitForObject } from '../../src/kube/wait.ts';
import { nodeNotReady, tolerances, upstreamTimeouts } from '../../src/laws/timing.ts';
import { kubeletTimingFor } from '../../src/cluster/timing.ts';
import { networkErrorCode, waitForHttpAnswer } from '../../src/net/http-answer.ts';
import { destructiveFaultRefusal } from '../../src/safety.ts';
import { durationObservation } from '../../src/timeline/observation.ts';

const hostNodePortUrl = 'http://127.0.0.1:30080';
/** Requests sent through the NodePort; each opens a new connection, so kube-proxy picks an endpoint each time. */
const requestsThroughNodePort = 30;
/** The bound on requests while waiting for a second node to answer. */
const maxRequestsThroughNodePort = 300;
/** The e2e framework's ServiceStartTimeout (2 min) bounds the endpoints becoming ready. */
const serviceStart = namedTimeout('service endpoints ready (e2e framework ServiceStartTimeout 2 min)', 120_000);
/** kube-proxy programs ready endpoints some time after the EndpointSlice says so. */
const kubeProxyLag = namedTimeout('kube-proxy programs new endpoints (e2e framework KubeProxyEndpointLagTimeout 30 s)', 30_000);

function readyPods(pods: readonly V1Pod[], count: number, selector: (p: V1Pod) => boolean): V1Pod[] | undefined {
  const ready = pods.filter((p) => selector(p) && p.metadata?.deletionTimestamp === undefined && isPodReady(p));
  return ready.length >= count ? ready : undefined;
}

const lossSlack = { name: 'node-loss slack 15 s', ms: 15_000 } as const;

function readyStatus(node: V1Node): string | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** A MicroTime as client-node hands it over: a Date, or the RFC 3339 string off the wire. */
function microTimeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

function nodeRole(node: V1Node): string | undefined {
  return node.metadata?.labels?.['podlaw.dev/role'];
}

test.describe('cluster smoke', () => {
  test.describe.configure({ mode: 'default' });

  test('every node is Ready and cluster DNS resolves the API service', async ({ cluster, objects, observe, namespace }) => {
    const { body: nodes } = { body: await cluster.kube.core.listNode() };
    const notReady = nodes.items.filter((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True');
    expect(notReady.map((n) => n.metadata?.name), 'nodes not Ready').toEqual([]);
    expect(nodes.items.length).toBeGreaterThanOrEqual(3);

    await objects.apply('smoke/shell.yaml', { name: 'dns' });
    await waitFor(observe.pods, (pods) => readyPods(pods, 1, (p) => p.metadata?.name === 'dns'), {
      description: 'shell pod dns Ready',
      timeout: upstreamTimeouts.podStart,
    });
    const apiService = await cluster.kube.core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    const lookup = await execInContainer(cluster.kube, { namespace, pod: 'dns', container: 'shell' }, ['nslookup', 'kubernetes.default.svc.cluster.local']);
    expect(lookup.stdout, 'nslookup answer').toContain(apiService.spec?.clusterIP ?? 'no ClusterIP');
  });

  test('pods on different workers reach each other', async ({ cluster, objects, observe, namespace }, testInfo) => {
    const nodes = (await cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/worker=true' })).items;
    const [first, second] = nodes.map((n) => n.metadata?.name ?? '');
    if (first === undefined || second === undefined) notApplicable(testInfo, 'fewer than two nodes labelled podlaw.dev/worker=true');
    await objects.apply('smoke/netexec-on-node.yaml', { name: 'a', node: first });
    await objects.apply('smoke/netexec-on-node.yaml', { name: 'b', node: second });
    const pods = await waitFor(observe.pods, (p) => readyPods(p, 2, (pod) => pod.metadata?.labels?.['app'] === 'netcheck'), {
      description: 'netexec pods a and b Ready',
      timeout: upstreamTimeouts.podStart,
    });
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
    for (const [from, to] of [['a', 'b'], ['b', 'a']] as const) {
      const target = byName.get(to);
      expect(target?.spec?.nodeName, `${to} runs on another node than ${from}`).not.toBe(byName.get(from)?.spec?.nodeName);
      // agnhost connect opens a TCP connection from inside the pod and exits 0 only if it succeeds.
      const answer = await execInContainer(cluster.kube, { namespace, pod: from, container: 'netexec' }, [
        '/agnhost', 'connect', `${target?.status?.podIP ?? ''}:8080`, '--timeout=5s',
      ]);
      expect(answer.outcome, `${from} → ${to} (${target?.status?.podIP ?? ''}) connects: ${answer.stderr}`).toEqual({ kind: 'exited', exitCode: 0 });
    }
  });

  test('a Service on the loopback NodePort is answered by pods on several nodes', async ({ objects, observe }) => {
    await objects.apply('smoke/spread-agnhost.yaml');
    const pods = await waitFor(observe.pods, (p) => readyPods(p, 3, (pod) => pod.metadata?.labels?.['app'] === 'spread'), {
      description: 'three spread replicas Ready',
      timeout: upstreamTimeouts.podStart,
    });
    const nodeOfPod = new Map(pods.map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? '']));
    expect(new Set(nodeOfPod.values()).size, 'replicas on distinct workers').toBe(3);
    await waitFor(
      observe.endpointSlices,
      (slices) => {
        const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true);
        return ready.length >= 3 ? ready : undefined;
      },
      { description: 'EndpointSlice of spread with 3 ready endpoints', timeout: serviceStart },
    );
    // The fault-free baseline starts once the Service answers at all; errors after that count.
    const first = await waitForHttpAnswer(`${hostNodePortUrl}/hostname`, kubeProxyLag);
    test.info().annotations.push({ type: 'measured:smoke endpoints ready → first NodePort answer', description: `${(first.elapsedMs / 1000).toFixed(1)} s, ${first.attempts} attempt(s)` });

    // kube-proxy may still be catching up from one ready endpoint to three when the
    // first answer arrives, so requests go on (bounded) until two nodes have answered.
    const answeredBy = new Map<string, number>();
    const errors: string[] = [];
    const nodesSeen = (): Set<string> => new Set([...answeredBy.keys()].map((pod) => nodeOfPod.get(pod) ?? `unknown pod ${pod}`));
    const sendUntil = Date.now() + kubeProxyLag.ms;
    let sent = 0;
    while (sent < maxRequestsThroughNodePort && Date.now() < sendUntil && (sent < requestsThroughNodePort || nodesSeen().size < 2)) {
      sent += 1;
      try {
        const response = await fetch(`${hostNodePortUrl}/hostname`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });
        const hostname = (await response.text()).trim();
        answeredBy.set(hostname, (answeredBy.get(hostname) ?? 0) + 1);
      } catch (error) {
        errors.push(networkErrorCode(error) ?? 'unknown');
      }
    }
    const nodesAnswering = nodesSeen();
    test.info().annotations.push({
      type: 'measured:smoke NodePort',
      description: `${sent} requests, ${errors.length} errors (${errors.join(', ')}); answered by ${[...answeredBy].map(([pod, n]) => `${pod}@${nodeOfPod.get(pod) ?? '?'}×${n}`).join(', ')}`,
    });
    expect(errors, 'requests that failed, by error code').toEqual([]);
    expect(nodesAnswering.size, `distinct nodes answering: ${[...nodesAnswering].join(', ')}`).toBeGreaterThanOrEqual(2);
  });

  test('the pressure worker runs with a complete memory.available hard eviction threshold', async ({ cluster }, testInfo) => {
    const pressure = (await cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/role=pressure' })).items;
    if (pressure.length === 0) notApplicable(testInfo, 'no node labelled podlaw.dev/role=pressure');
    for (const node of pressure) {
      const name = node.metadata?.name ?? '';
      expect(nodeRole(node)).toBe('pressure');
      const configz = (await cluster.kube.core.connectGetNodeProxyWithPath({ name, path: 'configz' })) as unknown;
      const parsed = (typeof configz === 'string' ? JSON.parse(configz) : configz) as { kubeletconfig?: { evictionHard?: Record<string, string> } };
      const evictionHard = parsed.kubeletconfig?.evictionHard ?? {};
      test.info().annotations.push({ type: 'measured:smoke evictionHard', description: `${name}: ${JSON.stringify(evictionHard)}` });
      expect(Object.keys(evictionHard).sort()).toEqual(expect.arrayContaining(['imagefs.available', 'memory.available', 'nodefs.available', 'nodefs.inodesFree']));
      expect(evictionHard['memory.available']).toMatch(/^\d+(Mi|Gi|Ki)?$/);
    }
  });

  test('a paused worker turns Ready=Unknown within the grace period and returns Ready when unpaused', law('NOD-1'), async ({ cluster, observe, faults, timeline }, testInfo) => {
    const refusal = await destructiveFaultRefusal(cluster.settings.context);
    if (refusal !== undefined) notApplicable(testInfo, refusal);
    const candidates = (await cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/role=loss' })).items.map((n) => n.metadata?.name ?? '');
    const node = candidates.at(-1);
    if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=loss to pause');
    if (!(await nodeContainerExists(node))) notApplicable(testInfo, `node ${node} is not a kind node container on this host`);

    await waitForObject(observe.nodes, node, (n) => readyStatus(n) === 'True', {
      description: `node ${node} Ready before the fault`,
      timeout: namedTimeout('node already Ready (none expected)', 5_000),
    });
    const expectation = nodeNotReady(cluster.timing);
    const pause = new NodePauseFault(node);
    const pausedAt = await faults.inject(pause);

    // The fault took effect: the node controller stopped hearing from the node.
    const unknown = await waitForObject(observe.nodes, node, (n) => readyStatus(n) === 'Unknown', {
      description: `node ${node} Ready=Unknown after its container was paused`,
      timeout: namedTimeout(`${expectation.formula} + ${lossSlack.name}`, expectation.maxMs + lossSlack.ms),
    });
    const unknownSeenAt = Date.now();
    expect(unknown.status?.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('NodeStatusUnknown');
    testInfo.annotations.push({ type: 'measured:pause → Ready=Unknown', description: `${((unknownSeenAt - pausedAt.getTime()) / 1000).toFixed(1)} s (the last heartbeat came up to one lease renewal before the pause)` });

    // The grace period runs from the node's last heartbeat: its Lease's renewTime, frozen since the pause.
    const lease = await cluster.kube.config.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: node, namespace: 'kube-node-lease' });
    const lastHeartbeatMs = microTimeMs(lease.spec?.renewTime);
    expect(lastHeartbeatMs, `Lease kube-node-lease/${node} renewTime`).not.toBeNaN();
    expect(lastHeartbeatMs, 'no heartbeat after the pause').toBeLessThanOrEqual(pausedAt.getTime() + tolerances.timestampResolution.ms);
    timeline.observe(durationObservation('NOD-1', { ...expectation, what: 'last heartbeat (Lease renewTime) → Ready=Unknown' }, unknownSeenAt - lastHeartbeatMs, tolerances.statusPropagation));

    const kubelet = kubeletTimingFor(cluster.timing, node);
    const backBudget = kubelet.nodeStatusUpdateFrequencyMs.value + cluster.timing.nodeMonitorPeriodMs.value + lossSlack.ms;
    const unpausedAt = await faults.recover(pause);
    await waitForObject(observe.nodes, node, (n) => readyStatus(n) === 'True', {
      description: `node ${node} Ready again after unpause`,
      timeout: namedTimeout(`kubelet nodeStatusUpdateFrequency ${kubelet.nodeStatusUpdateFrequencyMs.value / 1000} s + node-monitor-period ${cluster.timing.nodeMonitorPeriodMs.value / 1000} s + ${lossSlack.name}`, backBudget),
    });
    expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
    testInfo.annotations.push({ type: 'measured:unpause → Ready=True', description: `${((Date.now() - unpausedAt.getTime()) / 1000).toFixed(1)} s` });
  });
});
