import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInPodReview } from '../../src/harness/anatomy.ts';

const review = JSON.stringify({
  kind: 'SelfSubjectReview',
  apiVersion: 'authentication.k8s.io/v1',
  status: { userInfo: { username: 'system:serviceaccount:ns:reader', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'] } },
});

test("the in-pod review's stdout line gives the status and the user", () => {
  const parsed = parseInPodReview(`${JSON.stringify({ error: '', status: 201, body: review })}\n`);
  assert.deepEqual(parsed, {
    status: 201,
    error: '',
    username: 'system:serviceaccount:ns:reader',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'],
  });
});

test('a failed request (no body) gives its error and no user', () => {
  const parsed = parseInPodReview(JSON.stringify({ error: 'x509: certificate signed by unknown authority', status: 0, body: null }));
  assert.equal(parsed.status, 0);
  assert.equal(parsed.username, '');
  assert.match(parsed.error, /x509/);
});

test('output without the line is an error, not an empty user', () => {
  assert.throws(() => parseInPodReview('time="…" level=error msg="script error"'));
});
