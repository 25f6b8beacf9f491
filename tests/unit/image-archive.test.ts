import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { isPodlawError } from '../../src/errors.ts';
import {
  configPath,
  defaultPath,
  dockerManifest,
  imageConfig,
  layerPath,
  parseImageRef,
  serializeConfig,
} from '../../src/provision/lib/image-archive.ts';

const diffA = `sha256:${'a'.repeat(64)}`;
const diffB = `sha256:${'b'.repeat(64)}`;
const layers = [
  { diffId: diffA, createdBy: 'base' },
  { diffId: diffB, createdBy: 'binary' },
];

describe('parseImageRef', () => {
  it('accepts the references kubeadm and the fixtures use', () => {
    assert.deepEqual(parseImageRef('registry.k8s.io/etcd:3.6.8-0'), { name: 'registry.k8s.io/etcd', tag: '3.6.8-0' });
    assert.deepEqual(parseImageRef('registry.k8s.io/coredns/coredns:v1.14.2'), { name: 'registry.k8s.io/coredns/coredns', tag: 'v1.14.2' });
    assert.deepEqual(parseImageRef('podlaw.local/shell:1'), { name: 'podlaw.local/shell', tag: '1' });
    assert.deepEqual(parseImageRef('localhost:5000/x:y'), { name: 'localhost:5000/x', tag: 'y' });
  });

  it('rejects references that docker or containerd would rewrite', () => {
    for (const ref of [
      'pause:3.10.2',
      'library/busybox:1',
      'registry.k8s.io/pause',
      'Registry.k8s.io/pause:1',
      'registry.k8s.io/pause:3.10.2@sha256:00',
    ]) {
      assert.throws(
        () => parseImageRef(ref),
        (error: unknown) => isPodlawError(error) && error.kind === 'build',
        ref,
      );
    }
  });
});

describe('imageConfig', () => {
  it('lists the layers bottom-up as diff_ids, with one history entry per layer', () => {
    const config = imageConfig({ ref: 'registry.k8s.io/pause:3.10.2', entrypoint: ['/pause'] }, layers);
    assert.deepEqual(config['rootfs'], { type: 'layers', diff_ids: [diffA, diffB] });
    assert.deepEqual(
      (config['history'] as { created_by: string }[]).map((h) => h.created_by),
      ['base', 'binary'],
    );
    assert.equal(config['architecture'], 'amd64');
    assert.equal(config['os'], 'linux');
    assert.equal(config['created'], '1970-01-01T00:00:00Z');
  });

  it('sets PATH by default so a bare command resolves, and keeps a given PATH', () => {
    const withDefault = imageConfig({ ref: 'registry.k8s.io/etcd:3.6.8-0' }, layers)['config'] as { Env: string[] };
    assert.deepEqual(withDefault.Env, [`PATH=${defaultPath}`]);
    const given = imageConfig({ ref: 'registry.k8s.io/etcd:3.6.8-0', env: { PATH: '/bin', HOME: '/root' } }, layers)['config'] as {
      Env: string[];
    };
    assert.deepEqual(given.Env, ['PATH=/bin', 'HOME=/root']);
  });

  it('writes Entrypoint and Cmd only when given, and tcp as the default port protocol', () => {
    const shell = imageConfig({ ref: 'podlaw.local/shell:1', cmd: ['sh'] }, layers)['config'] as Record<string, unknown>;
    assert.equal('Entrypoint' in shell, false);
    assert.deepEqual(shell['Cmd'], ['sh']);
    assert.equal(shell['WorkingDir'], '/');
    const agnhost = imageConfig(
      {
        ref: 'registry.k8s.io/e2e-test-images/agnhost:2.63.0',
        entrypoint: ['/agnhost'],
        cmd: ['pause'],
        exposedPorts: ['8080', '53/udp'],
        user: '65535:65535',
      },
      layers,
    )['config'] as Record<string, unknown>;
    assert.deepEqual(agnhost['Entrypoint'], ['/agnhost']);
    assert.deepEqual(agnhost['Cmd'], ['pause']);
    assert.deepEqual(agnhost['ExposedPorts'], { '8080/tcp': {}, '53/udp': {} });
    assert.equal(agnhost['User'], '65535:65535');
  });
});

describe('serializeConfig', () => {
  it('gives the sha256 of exactly the bytes written, the same for the same spec', () => {
    const spec = { ref: 'registry.k8s.io/pause:3.10.2', entrypoint: ['/pause'] };
    const first = serializeConfig(imageConfig(spec, layers));
    const second = serializeConfig(imageConfig(spec, layers));
    assert.equal(first.json, second.json);
    assert.equal(first.digest, `sha256:${createHash('sha256').update(first.json).digest('hex')}`);
    const other = serializeConfig(imageConfig({ ...spec, entrypoint: ['/other'] }, layers));
    assert.notEqual(other.digest, first.digest);
  });
});

describe('dockerManifest', () => {
  it('names the config and layer files as docker save does, with the tag', () => {
    const configDigest = `sha256:${'c'.repeat(64)}`;
    const manifest = JSON.parse(dockerManifest('registry.k8s.io/pause:3.10.2', configDigest, [diffA, diffB])) as unknown;
    assert.deepEqual(manifest, [
      {
        Config: `${'c'.repeat(64)}.json`,
        RepoTags: ['registry.k8s.io/pause:3.10.2'],
        Layers: [`${'a'.repeat(64)}/layer.tar`, `${'b'.repeat(64)}/layer.tar`],
      },
    ]);
    assert.equal(layerPath(diffA), `${'a'.repeat(64)}/layer.tar`);
    assert.equal(configPath(configDigest), `${'c'.repeat(64)}.json`);
  });

  it('refuses a malformed digest or an unqualified tag', () => {
    assert.throws(() => dockerManifest('registry.k8s.io/pause:3.10.2', 'sha256:xyz', [diffA]));
    assert.throws(() => dockerManifest('pause:3.10.2', `sha256:${'c'.repeat(64)}`, [diffA]));
  });
});
