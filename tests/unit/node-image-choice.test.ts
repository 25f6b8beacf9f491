import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseNodeImage, describeChoice, lookUpOfficialImage, officialNodeImage } from '../../src/provision/cluster/node-image-choice.ts';
import { versions } from '../../src/provision/versions.ts';

test('the official image is kindest/node at the pinned Kubernetes version', () => {
  assert.equal(officialNodeImage, `kindest/node:${versions.kubernetes}`);
});

test('present locally: the official image, no pull needed', () => {
  const choice = chooseNodeImage({ image: 'kindest/node:v1.36.3', present: true, pull: undefined });
  assert.deepEqual(choice, { source: 'official', image: 'kindest/node:v1.36.3', reason: 'kindest/node:v1.36.3 is present locally' });
  assert.match(describeChoice(choice), /^node image: official kindest\/node:v1\.36\.3 .*offline node image build is skipped$/);
});

test('pulled: the official image, with the pull time', () => {
  const choice = chooseNodeImage({ image: 'kindest/node:v1.36.3', present: false, pull: { ok: true, ms: 41_200 } });
  assert.deepEqual(choice, { source: 'official', image: 'kindest/node:v1.36.3', reason: 'kindest/node:v1.36.3 pulled in 41.2 s' });
});

test('absent and the pull fails (no registry): the offline build, saying why', () => {
  const reason = 'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host';
  const choice = chooseNodeImage({ image: 'kindest/node:v1.36.3', present: false, pull: { ok: false, ms: 42, reason } });
  assert.equal(choice.source, 'offline-build');
  assert.equal(choice.reason, `kindest/node:v1.36.3 is not present locally and docker pull failed after 0.04 s: ${reason}`);
  assert.match(describeChoice(choice), /^node image: offline build \(kindest\/node:v1\.36\.3 is not present locally/);
});

test('absent and the pull timed out: the offline build', () => {
  const choice = chooseNodeImage({
    image: 'kindest/node:v1.36.3',
    present: false,
    pull: { ok: false, ms: 600_000, reason: 'no answer within 600 s' },
  });
  assert.equal(choice.source, 'offline-build');
  assert.match(choice.reason, /failed after 600\.00 s: no answer within 600 s$/);
});

test('PODLAW_NODE_IMAGE=offline skips the lookup altogether', async () => {
  const lookup = await lookUpOfficialImage('kindest/node:v1.36.3', { env: { PODLAW_NODE_IMAGE: 'offline' } });
  assert.deepEqual(lookup, { image: 'kindest/node:v1.36.3', present: false, pull: undefined, skipped: 'PODLAW_NODE_IMAGE=offline' });
  assert.deepEqual(chooseNodeImage(lookup), { source: 'offline-build', reason: 'PODLAW_NODE_IMAGE=offline' });
});
