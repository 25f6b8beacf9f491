import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinAnswers, parseNewFlow } from '../../src/net/conntrack-text.ts';
import { flow } from './fixtures/new-flow.ts';

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
    seenFrom: '172.18.0.5:58715',
  });
  assert.equal(parseNewFlow('[1795419946.9]\t [DESTROY] tcp 6 src=1.2.3.4 dst=5.6.7.8 sport=1 dport=2'), undefined);
  assert.equal(parseNewFlow('conntrack v1.4.7 (conntrack-tools): 12 flow events have been shown.'), undefined);
});

function answer(seenPort: number, startMs: number, endMs = startMs + 5) {
  return { seenFrom: `172.18.0.5:${seenPort}`, startMs, endMs };
}

test('each answer takes the flow with the address it names, printed at or after its start', () => {
  const flows = [flow(2, 100), flow(51, 101), flow(103, 102)];
  assert.deepEqual(joinAnswers([answer(101, 50), answer(100, 0), answer(102, 100)], flows).flowOfAnswer, [flows[1], flows[0], flows[2]]);
});

test('a request started in the same millisecond as another still finds its own flow (a burst under CPU contention)', () => {
  const flows = [flow(10, 7), flow(10, 8), flow(11, 9)];
  assert.deepEqual(joinAnswers([answer(9, 9), answer(7, 9), answer(8, 9)], flows).flowOfAnswer, [flows[2], flows[0], flows[1]]);
});

test('a flow printed seconds late is still its answer’s own; one printed before the start is not (one step early)', () => {
  assert.deepEqual(joinAnswers([answer(5, 100, 120)], [flow(3100, 5)]).flowOfAnswer, [flow(3100, 5)]);
  assert.deepEqual(joinAnswers([answer(5, 100, 120)], [flow(99, 5)]).flowOfAnswer, [flow(99, 5)]);
  assert.deepEqual(joinAnswers([answer(5, 100, 120)], [flow(98, 5)]).flowOfAnswer, [undefined]);
});

test('a masquerade port used twice in a run: each answer takes the flow of its own time', () => {
  const flows = [flow(1000, 5), flow(61_000, 5)];
  assert.deepEqual(joinAnswers([answer(5, 60_999), answer(5, 999)], flows).flowOfAnswer, [flows[1], flows[0]]);
});

test('an address no flow had: the answer has no flow (the monitor missed it)', () => {
  assert.deepEqual(joinAnswers([answer(6, 0)], [flow(1, 5)]).flowOfAnswer, [undefined]);
});

test('an unanswered flow is placed between the answered flows printed around it, however late the printing', () => {
  // Printed 2 s late, in the kernel's order: answered (start 100), unanswered, answered (start 150, end 155).
  const flows = [flow(2100, 1), flow(2101, 9, '10.244.5.20'), flow(2102, 2)];
  const join = joinAnswers([answer(1, 100, 104), answer(2, 150, 155)], flows);
  assert.deepEqual(join.openedWithin[1], { notBeforeMs: 99, notAfterMs: 156 });
  // With no answered flow after it, only its own printing bounds it from above.
  assert.deepEqual(joinAnswers([answer(1, 100, 104)], flows.slice(0, 2)).openedWithin[1], { notBeforeMs: 99, notAfterMs: 2101 });
});

test('an answer whose own flow was never printed does not take a later flow with its address (kernel order)', () => {
  // A (100–105, address :5) has no flow printed; B (200–205) is printed first; then a failed request's flow to the lost pod that
  // masquerade gave the same address :5 (another endpoint): printed after B's, so made after A ended — not A's.
  const flows = [flow(210, 6), flow(260, 5, '10.244.5.20')];
  const join = joinAnswers([answer(5, 100, 105), answer(6, 200, 205)], flows);
  assert.deepEqual(join.flowOfAnswer, [undefined, flows[0]]);
});
