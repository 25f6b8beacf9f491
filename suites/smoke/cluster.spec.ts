/**
 * The cluster itself, before any law: every node Ready, cluster DNS answering, pods
 * on different nodes reaching each other, a Service reachable from the host through
 * the loopback NodePort and answered from several nodes, and the pressure worker's
 * kubelet running with a memory.available hard threshold.
 *
 * These tests are independent and run in parallel (a failure does not skip the rest): the
 * phase ends with the longest of them. The node-loss suites freeze workers that the NodePort
 * test's replicas use, so their Playwright project runs after this one (playwright.config.ts).
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  expect,
  notApplicable,
  execInContainer,
  hostNodePort,
  nodeContainers,
  waitForProxiedEndpoints,
  isNodeReady,
  kubeletConfigz,
  listNodes,
  nodeRole,
  timeouts,
  networkErrorCode,
  waitForHttpAnswer,
  waitForReadyEndpoints,
  waitForReadyPods,
  smokeTag,
} from '../../src/harness/index.ts';

const hostNodePortUrl = `http://127.0.0.1:${hostNodePort}`;
/** Requests sent through the NodePort; each opens a new connection, so kube-proxy picks an endpoint each time. */
const requestsThroughNodePort = 30;
/** The bound on requests while waiting for a second node to answer. */
const maxRequestsThroughNodePort = 300;

test.describe('cluster smoke', { tag: smokeTag }, () => {
  test.describe.configure({ mode: 'parallel' });

  test('every node is Ready and cluster DNS resolves the API service', async ({ cluster, objects, watch, namespace }) => {
    const nodes = await listNodes(cluster.kube);
    const notReady = nodes.filter((n) => !isNodeReady(n));
    expect(
      notReady.map((n) => n.metadata?.name),
      'nodes not Ready',
    ).toEqual([]);
    expect(nodes.length).toBeGreaterThanOrEqual(3);

    await objects.apply('smoke/shell.yaml', { name: 'dns' });
    await waitForReadyPods(watch, 1, timeouts.podStart, {
      matching: (p) => p.metadata?.name === 'dns',
      description: 'shell pod dns Ready',
    });
    const apiService = await cluster.kube.core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    const lookup = await execInContainer(cluster.kube, { namespace, pod: 'dns', container: 'shell' }, [
      'nslookup',
      'kubernetes.default.svc.cluster.local',
    ]);
    expect(lookup.stdout, 'nslookup answer').toContain(apiService.spec?.clusterIP ?? 'no ClusterIP');
  });

  test('pods on different workers reach each other', async ({ cluster, objects, watch, namespace }, testInfo) => {
    const nodes = await listNodes(cluster.kube, 'podlaw.dev/worker=true');
    const [first, second] = nodes.map((n) => n.metadata?.name ?? '');
    if (first === undefined || second === undefined) notApplicable(testInfo, 'fewer than two nodes labelled podlaw.dev/worker=true');
    await objects.apply('smoke/netexec-on-node.yaml', { name: 'a', node: first });
    await objects.apply('smoke/netexec-on-node.yaml', { name: 'b', node: second });
    const netcheck = (pod: V1Pod): boolean => pod.metadata?.labels?.['app'] === 'netcheck';
    const pods = await waitForReadyPods(watch, 2, timeouts.podStart, { matching: netcheck, description: 'netexec pods a and b Ready' });
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const target = byName.get(to);
      expect(target?.spec?.nodeName, `${to} runs on another node than ${from}`).not.toBe(byName.get(from)?.spec?.nodeName);
      // agnhost connect opens a TCP connection from inside the pod and exits 0 only if it succeeds.
      const answer = await execInContainer(cluster.kube, { namespace, pod: from, container: 'netexec' }, [
        '/agnhost',
        'connect',
        `${target?.status?.podIP ?? ''}:8080`,
        '--timeout=5s',
      ]);
      expect(answer.outcome, `${from} → ${to} (${target?.status?.podIP ?? ''}) connects: ${answer.stderr}`).toEqual({
        kind: 'exited',
        exitCode: 0,
      });
    }
  });

  test('a Service on the loopback NodePort is answered by pods on several nodes', async ({ objects, watch, namespace }) => {
    await objects.apply('smoke/spread-agnhost.yaml');
    const spread = (pod: V1Pod): boolean => pod.metadata?.labels?.['app'] === 'spread';
    const pods = await waitForReadyPods(watch, 3, timeouts.podStart, { matching: spread, description: 'three spread replicas Ready' });
    const nodeOfPod = new Map(pods.map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? '']));
    expect(new Set(nodeOfPod.values()).size, 'replicas on distinct workers').toBe(3);
    await waitForReadyEndpoints(watch, 3, 'EndpointSlice of spread with 3 ready endpoints', timeouts.serviceStart);
    // The NodePort is served by the control plane's kube-proxy, which can lag the EndpointSlice (seen on a
    // fresh cluster: every request of the bounded burst went to the one endpoint it had programmed).
    await waitForProxiedEndpoints(nodeContainers[0], namespace, 'spread', 3, timeouts.kubeProxyEndpointLag);
    // The fault-free baseline starts once the Service answers at all; errors after that count.
    const first = await waitForHttpAnswer(`${hostNodePortUrl}/hostname`, timeouts.kubeProxyEndpointLag);
    test.info().annotations.push({
      type: 'measured:smoke endpoints ready → first NodePort answer',
      description: `${(first.elapsedMs / 1000).toFixed(1)} s, ${first.attempts} attempt(s)`,
    });

    // kube-proxy may still be catching up from one ready endpoint to three when the
    // first answer arrives, so requests go on (bounded) until two nodes have answered.
    const answeredBy = new Map<string, number>();
    const errors: string[] = [];
    const nodesSeen = (): Set<string> => new Set([...answeredBy.keys()].map((pod) => nodeOfPod.get(pod) ?? `unknown pod ${pod}`));
    const sendUntil = Date.now() + timeouts.kubeProxyEndpointLag.ms;
    let sent = 0;
    while (sent < maxRequestsThroughNodePort && Date.now() < sendUntil && (sent < requestsThroughNodePort || nodesSeen().size < 2)) {
      sent += 1;
      try {
        const response = await fetch(`${hostNodePortUrl}/hostname`, {
          headers: { connection: 'close' },
          signal: AbortSignal.timeout(5_000),
        });
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
    const pressure = await listNodes(cluster.kube, 'podlaw.dev/role=pressure');
    if (pressure.length === 0) notApplicable(testInfo, 'no node labelled podlaw.dev/role=pressure');
    for (const node of pressure) {
      const name = node.metadata?.name ?? '';
      expect(nodeRole(node)).toBe('pressure');
      const evictionHard = (await kubeletConfigz(cluster.kube, name)).evictionHard ?? {};
      test.info().annotations.push({ type: 'measured:smoke evictionHard', description: `${name}: ${JSON.stringify(evictionHard)}` });
      expect(Object.keys(evictionHard).sort()).toEqual(
        expect.arrayContaining(['imagefs.available', 'memory.available', 'nodefs.available', 'nodefs.inodesFree']),
      );
      expect(evictionHard['memory.available']).toMatch(/^\d+(Mi|Gi|Ki)?$/);
    }
  });
});
