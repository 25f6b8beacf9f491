import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStaticPodFileName, staticPodFileName } from '../../src/faults/static-pod-manifest.ts';
import { mirrorPodName } from '../../src/harness/static-pods.ts';

test('a static pod file name carries the run id and the pod, and parses back', () => {
  const name = staticPodFileName('oy4dx5mx', 'static-web');
  assert.equal(name, 'podlaw-oy4dx5mx-static-web.yaml');
  assert.deepEqual(parseStaticPodFileName(name), { runId: 'oy4dx5mx', pod: 'static-web' });
});

test("other files in staticPodPath are not podlaw's", () => {
  for (const other of ['kube-apiserver.yaml', 'etcd.yaml', 'podlaw-.yaml', 'podlaw-abc-web.yml', 'podlaw-ABC-web.yaml']) {
    assert.equal(parseStaticPodFileName(other), undefined, other);
  }
});

test('a name that would not parse back is refused', () => {
  assert.throws(() => staticPodFileName('Run_1', 'web'));
});

test("the mirror pod is named after the static pod and the node (kubelet's generatePodName)", () => {
  assert.equal(mirrorPodName('static-web', 'podlaw-worker4'), 'static-web-podlaw-worker4');
});
