import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { cniConfig, nodeNetworks, routeCommands } from '../../src/net/pod-network.ts';

const nodeList: V1Node[] = [
  {
    metadata: { name: 'podlaw-control-plane' },
    spec: { podCIDR: '10.244.0.0/24' },
    status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] },
  },
  {
    metadata: { name: 'podlaw-worker' },
    spec: { podCIDR: '10.244.1.0/24' },
    status: {
      addresses: [
        { type: 'Hostname', address: 'x' },
        { type: 'InternalIP', address: '172.18.0.3' },
      ],
    },
  },
];

test('parses each node name, InternalIP and podCIDR', () => {
  assert.deepEqual(nodeNetworks(nodeList), [
    { name: 'podlaw-control-plane', internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
    { name: 'podlaw-worker', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' },
  ]);
});

test('a node without podCIDR is reported, not skipped', () => {
  const list: V1Node[] = [{ metadata: { name: 'n' }, spec: {}, status: { addresses: [{ type: 'InternalIP', address: '1.2.3.4' }] } }];
  assert.throws(() => nodeNetworks(list), /no podCIDR/);
});

test('routes go to every other node and never to itself', () => {
  const nodes = nodeNetworks(nodeList);
  const [controlPlane] = nodes;
  assert.ok(controlPlane !== undefined);
  assert.deepEqual(routeCommands(controlPlane, nodes), [['ip', 'route', 'replace', '10.244.1.0/24', 'via', '172.18.0.3']]);
});

test('the CNI config allocates from the node podCIDR with ptp and keeps port mappings', () => {
  const config = JSON.parse(cniConfig('10.244.2.0/24')) as { plugins: { type: string; ipam?: { ranges: { subnet: string }[][] } }[] };
  assert.deepEqual(
    config.plugins.map((p) => p.type),
    ['ptp', 'portmap'],
  );
  assert.equal(config.plugins[0]?.ipam?.ranges[0]?.[0]?.subnet, '10.244.2.0/24');
});
