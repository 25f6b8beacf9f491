/**
 * The node-image lookup against this host's real Docker engine, without touching the shared
 * cluster or kindest/node: a small local image gets a throwaway name for the "present" path
 * (removed afterwards; the image itself keeps its own name), and a name no registry serves
 * takes the "absent, pull fails" path with its measured duration.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { imageExists, tagImage, untagImage } from '../../src/docker.ts';
import { chooseNodeImage, describeChoice, lookUpOfficialImage } from '../../src/provision/cluster/node-image-choice.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';

const suffix = `${process.pid}-${Date.now().toString(36)}`;
const throwaway = `podlaw.test/node-image-lookup:${suffix}`;
/** This host has no registry access: a failed pull answers in well under a second (0.04 s measured); 60 s is docker's own dial budget twice over. */
const pullBound = namedTimeout('pull of an unreachable registry (docker dial timeout 30 s, twice)', 60_000);

after(async () => {
  if (await imageExists(throwaway)) await untagImage(throwaway);
});

async function someLocalImage(): Promise<string> {
  const { stdout } = await execa('docker', ['images', '--format', '{{.Size}}\t{{.Repository}}:{{.Tag}}', '--filter', 'dangling=false']);
  const refs = stdout
    .split('\n')
    .map((l) => l.split('\t')[1] ?? '')
    .filter((r) => r !== '' && !r.includes('<none>'));
  assert.ok(refs.length > 0, 'a local image to tag');
  return refs[refs.length - 1] ?? '';
}

test('an image present locally is chosen without a pull', async () => {
  await tagImage(await someLocalImage(), throwaway);
  const lookup = await lookUpOfficialImage(throwaway, { pullTimeout: pullBound, env: {} });
  assert.deepEqual(lookup, { image: throwaway, present: true, pull: undefined });
  const choice = chooseNodeImage(lookup);
  assert.deepEqual(choice, { source: 'official', image: throwaway, reason: `${throwaway} is present locally` });
  console.log(describeChoice(choice));
  await untagImage(throwaway);
  assert.equal(await imageExists(throwaway), false, 'the throwaway name is removed');
});

test('an absent image whose pull fails means the offline build, with the reason', async () => {
  const absent = `podlaw.test/node-image-absent:${suffix}`;
  const lookup = await lookUpOfficialImage(absent, { pullTimeout: pullBound, env: {} });
  assert.equal(lookup.present, false);
  assert.equal(lookup.pull?.ok, false);
  assert.ok((lookup.pull?.ms ?? Infinity) < pullBound.ms, `the pull answered within ${pullBound.name}: ${lookup.pull?.ms ?? '?'} ms`);
  const choice = chooseNodeImage(lookup);
  assert.equal(choice.source, 'offline-build');
  console.log(describeChoice(choice), `(pull ${lookup.pull?.ms ?? '?'} ms)`);
  assert.equal(await imageExists(absent), false);
});
