/**
 * NET-3 — hostNetwork: "The hostNetwork setting allows pods to see the host node's network interfaces" (the seed
 * pages); the Pod API: "hostNetwork: Host networking requested for this pod. Use the host's network namespace."
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/ (hostNetwork)
 * hostPort: "Number of port to expose on the host." — reachable at the node's IP on that port (the CNI portmap).
 * https://kubernetes.io/docs/concepts/configuration/overview/#services
 */
import {
  test,
  law,
  notApplicable,
  execOk,
  generalWorker,
  inNodeText,
  isPodReady,
  isRunning,
  nodeInternalIp,
  timeouts,
  waitForPod,
} from '../../src/harness/index.ts';

/** A port outside the NodePort range (30000-32767) that no other podlaw fixture publishes. */
const hostPort = 18080;

test(
  "NET-3: a hostNetwork pod is in the node's network namespace; a hostPort answers on the node's IP",
  law('NET-3'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const worker = await generalWorker(cluster.kube);
    const node = worker?.metadata?.name;
    if (worker === undefined || node === undefined)
      notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
    const nodeIp = nodeInternalIp(worker);
    await objects.apply('anatomy/host-network.yaml', { node, hostPort });

    const onHost = await waitForPod(
      watch,
      'on-host',
      (p) => isRunning(p, 'app') && p.status?.podIP !== undefined,
      'running',
      timeouts.podStart,
    );
    check.fact('hostNetwork pod: status.podIP', nodeIp, onHost.status?.podIP ?? '?', `node ${node} InternalIP (status.addresses)`);
    const inPod = { namespace, pod: 'on-host', container: 'app' };
    const podNetns = (await execOk(cluster.kube, inPod, ['readlink', '/proc/self/ns/net'])).trim();
    const nodeNetns = (await inNodeText(node, ['readlink', '/proc/1/ns/net'])).trim();
    check.fact(
      'hostNetwork pod: network namespace',
      `${nodeNetns} (the node's)`,
      `${podNetns}${podNetns === nodeNetns ? " (the node's)" : ''}`,
      `/proc/self/ns/net in the pod; /proc/1/ns/net in ${node}`,
    );
    const addresses = await execOk(cluster.kube, inPod, ['ip', '-o', '-4', 'addr']);
    check.fact(
      "hostNetwork pod: sees the node's address",
      `${nodeIp} on an interface`,
      addresses.includes(`inet ${nodeIp}/`) ? `${nodeIp} on an interface` : 'absent',
      'ip addr in the pod',
    );
    check.fact('hostNetwork pod: hostname', node, (await execOk(cluster.kube, inPod, ['hostname'])).trim(), 'hostname in the pod');

    const server = await waitForPod(watch, 'host-port', (p) => isPodReady(p), 'Ready', timeouts.podStart);
    await waitForPod(watch, 'caller', (p) => isRunning(p, 'app'), 'running', timeouts.podStart);
    const answer = await execOk(cluster.kube, { namespace, pod: 'caller', container: 'app' }, [
      '/bin/sh',
      '-c',
      `printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${nodeIp} ${hostPort}`,
    ]);
    check.fact(
      `another pod → ${nodeIp}:${hostPort} (hostPort of host-port, pod IP ${server.status?.podIP})`,
      'HTTP 200 from host-port',
      `${/^HTTP\/1\.[01] 200/.test(answer) ? 'HTTP 200' : 'no 200'}${answer.includes('host-port') ? ' from host-port' : ''}`,
      'agnhost netexec /hostname through the node IP',
    );
  },
);
