import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNewFlow, startsWithoutFlow, type NewFlow } from '../../src/net/conntrack-text.ts';

const seen =
  '[1795419946.902985]\t    [NEW] tcp      6 120 SYN_SENT src=172.18.0.1 dst=172.18.0.5 sport=37010 dport=31173 [UNREPLIED] ' +
  'src=10.244.2.13 dst=172.18.0.5 sport=8080 dport=58715';

test('a NEW line as conntrack-tools 1.4.7 printed it on a kind node', () => {
  assert.deepEqual(parseNewFlow(seen), {
    atMs: 1795419946903,
    clientAddress: '172.18.0.1',
    clientPort: 37010,
    servicePort: 31173,
    endpoint: '10.244.2.13',
  });
  assert.equal(parseNewFlow('[1795419946.9]\t [DESTROY] tcp 6 src=1.2.3.4 dst=5.6.7.8 sport=1 dport=2'), undefined);
  assert.equal(parseNewFlow('conntrack v1.4.7 (conntrack-tools): 12 flow events have been shown.'), undefined);
});

function flowsAt(times: readonly number[]): NewFlow[] {
  return times.map((atMs) => ({ atMs, clientAddress: 'c', clientPort: 1, servicePort: 2, endpoint: 'e' }));
}

test('every request at 20/s with its flow 1–12 ms later has a flow', () => {
  const starts = [0, 50, 100, 150, 200];
  assert.deepEqual(startsWithoutFlow(starts, flowsAt([1, 53, 112, 151, 204]), 25), []);
});

test('a request whose flow is missing is found, and does not take its neighbour’s flow (50 ms later)', () => {
  const starts = [0, 50, 100, 150];
  assert.deepEqual(startsWithoutFlow(starts, flowsAt([2, 103, 151]), 25), [50]);
});

test('one step late: a flow just past the lag bound is not the request’s own', () => {
  assert.deepEqual(startsWithoutFlow([0], flowsAt([25]), 25), []);
  assert.deepEqual(startsWithoutFlow([0], flowsAt([26]), 25), [0]);
});

test('flows nobody here sent (before the first request) are skipped', () => {
  assert.deepEqual(startsWithoutFlow([100, 150], flowsAt([10, 40, 101, 152]), 25), []);
});
