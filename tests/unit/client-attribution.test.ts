import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeAnswers } from '../../src/harness/conntrack.ts';
import type { RequestRecord } from '../../src/load/records.ts';
import { flow } from './fixtures/new-flow.ts';

const stays = '10.244.4.9';
const lost = '10.244.5.20';
const podOf = (ip: string): string | undefined => ({ [stays]: 'front-stays', [lost]: 'front-lost' })[ip];

function answered(startMs: number, seenPort: number): RequestRecord {
  return { startMs, status: 200, latencyMs: 3, elapsedMs: 4, pod: `172.18.0.5:${seenPort}`, errorCode: 0 };
}

function timedOut(startMs: number): RequestRecord {
  return { startMs, status: 0, latencyMs: 0, elapsedMs: 2000, pod: undefined, errorCode: 1050 };
}

test('answers name the pod their flow went to; a failure with no flow of its own leaves no unanswered flow', () => {
  // Run 9's shape: a request on a reused tuple (no flow) started in the same burst as an answered one.
  const records = [answered(1000, 11), timedOut(1010), answered(1012, 12)];
  const flows = [flow(1001, 11, stays), flow(1013, 12, stays)];
  const load = attributeAnswers(records, flows, podOf);
  assert.deepEqual(
    load.records.map((r) => r.pod),
    ['front-stays', undefined, 'front-stays'],
  );
  assert.deepEqual(load.unanswered, []);
  assert.equal(load.answersWithoutFlow, 0);
});

test('a new connection that got no answer is unanswered, with the endpoint it went to', () => {
  const records = [answered(1000, 11), timedOut(1050)];
  const flows = [flow(1001, 11, stays), flow(1052, 13, lost)];
  const load = attributeAnswers(records, flows, podOf);
  assert.deepEqual(
    load.unanswered.map((t) => t.flow),
    [flows[1]],
  );
  // Opened after the answered request's start, printed at 1052.
  assert.deepEqual(load.unanswered[0]?.opened, { notBeforeMs: 999, notAfterMs: 1052 });
  assert.equal(load.records[0]?.pod, 'front-stays');
});

test('an answer the monitor did not show is counted, and names no pod', () => {
  const load = attributeAnswers([answered(1000, 11)], [], podOf);
  assert.equal(load.answersWithoutFlow, 1);
  assert.equal(load.records[0]?.pod, undefined);
});

test('two NEW entries for one client address and port are one connection when the answer of the later one had started by the first', () => {
  // Seen on kubelet stop: :48314 → stays pod at 48.231 s (masquerade :48595), again at 48.241 s (:17457), answered by the second.
  const first = { ...flow(1000, 48595, stays), clientPort: 48314 };
  const second = { ...flow(1010, 17457, stays), clientPort: 48314 };
  const load = attributeAnswers([answered(999, 17457)], [first, second], podOf);
  assert.deepEqual(load.unanswered, []);
  assert.equal(load.replaced, 1);
  // The same client port again for a request started after the first entry opened is another connection: the first counts.
  const later = attributeAnswers([answered(3999, 17457)], [first, { ...second, atMs: 4000 }], podOf);
  assert.deepEqual(
    later.unanswered.map((t) => t.flow),
    [first],
  );
});
