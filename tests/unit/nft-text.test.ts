import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletedElementKeys, isKubeProxyFullSync, mapElementKeys, monitoredTransactions } from '../../src/net/nft-text.ts';

const listing = (proto: string | number): string =>
  JSON.stringify({
    nftables: [
      { metainfo: { version: '1.0.6', json_schema_version: 1 } },
      { map: { name: 'service-ips', elem: [[{ concat: ['10.96.0.1', proto, 443] }, { goto: { target: 'service-x' } }]] } },
    ],
  });

test('map listings yield element keys joined like knftables, protocols as nft printed them', () => {
  assert.deepEqual(mapElementKeys(listing('tcp')), ['10.96.0.1 . tcp . 443']);
  // What nft 1.0.6 prints without /etc/protocols: a key kube-proxy never computes.
  assert.deepEqual(mapElementKeys(listing(6)), ['10.96.0.1 . 6 . 443']);
  assert.deepEqual(mapElementKeys(JSON.stringify({ nftables: [{ map: { name: 'empty' } }] })), []);
  assert.throws(() => mapElementKeys(JSON.stringify({ nftables: [] })), /expected one map/);
});

// Excerpt of `nft monitor` on podlaw-worker4 during the full resync that emptied service-ips (issue 7).
const fullSyncThatEmptied = `add chain ip kube-proxy services
delete rule ip kube-proxy services handle 51
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "ClusterIP, ExternalIP and LB IPs"; } 
add rule ip kube-proxy services handle 85 ip daddr . meta l4proto . th dport vmap @service-ips
delete element ip kube-proxy service-ips { 10.96.0.10 . udp . 53 : goto service-FY5PMXPG-kube-system/kube-dns/udp/dns }
delete element ip kube-proxy service-ips { 10.96.0.1 . tcp . 443 : goto service-2QRHZV4L-default/kubernetes/tcp/https }
# new generation 25 by process 27380 (nft)
`;
const partialSync = `add element ip kube-proxy service-ips { 10.96.0.20 . tcp . 80 : goto service-A-ns/web/tcp/http }
# new generation 26 by process 27492 (nft)
add chain ip kube-proxy still-printing`;

test('monitor output splits into committed transactions; the unterminated tail is left out', () => {
  const transactions = monitoredTransactions(fullSyncThatEmptied + partialSync);
  assert.deepEqual(
    transactions.map((t) => t.generation),
    [25, 26],
  );
  assert.equal(transactions[0]?.lines.length, 6);
});

test('only a transaction that re-declares service-ips is a kube-proxy full sync', () => {
  const [full, partial] = monitoredTransactions(fullSyncThatEmptied + partialSync);
  assert.ok(full !== undefined && partial !== undefined);
  assert.equal(isKubeProxyFullSync(full), true);
  assert.equal(isKubeProxyFullSync(partial), false);
});

test('deleted element keys are read from single and multi-element delete lines', () => {
  const [full] = monitoredTransactions(fullSyncThatEmptied);
  assert.ok(full !== undefined);
  assert.deepEqual(deletedElementKeys(full, 'service-ips'), ['10.96.0.10 . udp . 53', '10.96.0.1 . tcp . 443']);
  const multi = monitoredTransactions(
    'delete element ip kube-proxy service-ips { 10.0.0.1 . tcp . 80 : goto a, 10.0.0.2 . udp . 53 : goto b }\n' +
      '# new generation 3 by process 1 (nft)\n',
  );
  assert.deepEqual(deletedElementKeys(multi[0]!, 'service-ips'), ['10.0.0.1 . tcp . 80', '10.0.0.2 . udp . 53']);
  assert.deepEqual(deletedElementKeys(full, 'cluster-ips'), []);
});
