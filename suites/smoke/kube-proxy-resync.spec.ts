/**
 * kube-proxy's full resync keeps the Services it programmed.
 *
 * kube-proxy in nftables mode rewrites its whole ruleset in a full sync at start and then at least
 * once an hour (proxyutil.FullSyncPeriod = 1 h, pkg/proxy/util/utils.go; Proxier.syncProxyRules in
 * pkg/proxy/nftables/proxier.go). A full sync reads every map back (`nft --json list map`) and
 * deletes the elements it no longer wants. Seen on this project's clusters (issue 7): when the nft
 * in kube-proxy's image listed protocols as numbers (no /etc/protocols), that sync deleted every
 * element of service-ips on every node an hour after start, and ClusterIPs (cluster DNS too)
 * stopped answering. See src/provision/build/nft-listing-check.ts for the build-time half of this check.
 *
 * This test forces a full sync now on the control-plane node (a topology label change; only
 * traffic that starts on that node goes through its service-ips, and law pods never run there),
 * proves it happened (kube-proxy's transaction re-declaring service-ips shows up in `nft monitor`
 * on that node), and asserts that it deleted no element of the API and DNS Services, that they are
 * still in the map and that the API Service's ClusterIP answers from the node. Restoring the label
 * forces one more full sync, checked the same way.
 */
import type { V1Service } from '@kubernetes/client-node';
import {
  test,
  expect,
  notApplicable,
  nodeContainerExists,
  NodeZoneLabelFault,
  namedTimeout,
  deletedElementKeys,
  isKubeProxyFullSync,
  httpStatusFromNode,
  nodeMapKeys,
  NftMonitor,
  destructiveFaultRefusal,
  type MonitoredTransaction,
  readKubeProxyMode,
  listNodes,
  timeouts,
  smokeTag,
} from '../../src/harness/index.ts';

/** kube-proxy syncs after a Node update it watches; the e2e framework allows it timeouts.kubeProxyEndpointLag for an API change. */
const kubeProxyLag = timeouts.kubeProxyEndpointLag;
/** nft monitor is a local netlink subscription: it sees its own probe within moments. */
const monitorSubscribed = namedTimeout('nft monitor sees its liveness probe (local netlink, 10 s)', 10_000);
/** Two full syncs, each within kubeProxyLag, plus the monitor's start. */
const monitorLifetime = namedTimeout('two kube-proxy syncs (2 × 30 s) + monitor start (10 s) + 20 s', 90_000);

/** The service-ips keys kube-proxy writes for a Service: "<clusterIP> . <protocol> . <port>" per port. */
function serviceIpsKeys(service: V1Service): string[] {
  const ip = service.spec?.clusterIP;
  if (ip === undefined || ip === 'None') return [];
  return (service.spec?.ports ?? []).map((p) => `${ip} . ${(p.protocol ?? 'TCP').toLowerCase()} . ${p.port}`);
}

test.describe('cluster smoke: kube-proxy', { tag: smokeTag }, () => {
  const title = 'a kube-proxy full resync keeps the API and DNS Services in its service-ips map';
  test(title, async ({ cluster, faults, timeline }, testInfo) => {
    const refusal = await destructiveFaultRefusal(cluster.settings.context);
    if (refusal !== undefined) notApplicable(testInfo, refusal);
    const mode = await readKubeProxyMode(cluster.kube);
    if (mode !== 'nftables') {
      notApplicable(testInfo, `kube-proxy runs in mode ${JSON.stringify(mode ?? 'unknown')}, not nftables (its ConfigMap)`);
    }
    const controlPlanes = await listNodes(cluster.kube, 'node-role.kubernetes.io/control-plane');
    const node = controlPlanes[0]?.metadata?.name;
    if (node === undefined) notApplicable(testInfo, 'no node labelled node-role.kubernetes.io/control-plane');
    if (!(await nodeContainerExists(node))) notApplicable(testInfo, `node ${node} is not a kind node container on this host`);

    const services = [
      await cluster.kube.core.readNamespacedService({ name: 'kubernetes', namespace: 'default' }),
      await cluster.kube.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' }),
    ];
    const keptKeys = services.flatMap(serviceIpsKeys);
    const apiUrl = `https://${services[0]?.spec?.clusterIP ?? 'no-cluster-ip'}:443/healthz`;
    expect(await nodeMapKeys(node, 'service-ips'), `service-ips on ${node} before the resync`).toEqual(expect.arrayContaining(keptKeys));

    const monitor = await NftMonitor.start(node, monitorLifetime, monitorSubscribed);
    try {
      const checkFullSync = async (why: string, afterGeneration: number): Promise<void> => {
        const sync: MonitoredTransaction = await monitor.waitFor(
          `kube-proxy full sync ${why}`,
          (t) => t.generation > afterGeneration && isKubeProxyFullSync(t),
          kubeProxyLag,
        );
        timeline.action('kube-proxy-full-sync', `${node}: generation ${sync.generation} (${why}), ${sync.lines.length} nft commands`);
        const deleted = deletedElementKeys(sync, 'service-ips');
        testInfo.annotations.push({
          type: `measured:full sync ${why}`,
          description: `${sync.lines.length} commands; service-ips elements deleted: ${JSON.stringify(deleted)}`,
        });
        const lost = deleted.filter((k) => keptKeys.includes(k));
        expect(lost, `API/DNS Service elements the full sync (${why}) deleted from service-ips`).toEqual([]);
        const after = await nodeMapKeys(node, 'service-ips');
        expect(after, `service-ips on ${node} after the full sync (${why})`).toEqual(expect.arrayContaining(keptKeys));
        expect(await httpStatusFromNode(node, apiUrl, 5), `${apiUrl} from ${node} after the full sync (${why})`).toBe('200');
      };

      const before = Math.max(0, ...monitor.transactions.map((t) => t.generation));
      const zone = new NodeZoneLabelFault(cluster.kube, node, `podlaw-resync-${cluster.settings.runId}`.slice(0, 63));
      await faults.inject(zone);
      await checkFullSync('forced by the zone label', before);
      const injected = Math.max(0, ...monitor.transactions.map((t) => t.generation));
      await faults.recover(zone);
      await checkFullSync('after the label was restored', injected);
    } finally {
      await monitor.stop();
    }
  });
});
