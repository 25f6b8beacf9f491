import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stagingModules, versionLdflags, wrapperGoMod } from '../../src/provision/build/kubernetes.ts';
import { parseLdd } from '../../src/provision/build/kube-proxy-image.ts';
import { withSandboxImage } from '../../src/provision/build/node-image.ts';
import { cacheKey } from '../../src/provision/lib/cache.ts';
import { formatDuration } from '../../src/provision/lib/progress.ts';

const kubernetesGoMod = `module k8s.io/kubernetes

require (
\tgithub.com/x/y v1.0.0
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
)
`;

test('staging modules are exactly the ./staging replaces', () => {
  assert.deepEqual(stagingModules(kubernetesGoMod), ['k8s.io/api', 'k8s.io/client-go']);
});

test('the wrapper module replaces each staging module by its published version', () => {
  const mod = wrapperGoMod('v1.36.3', 'v0.36.3', ['k8s.io/api']);
  assert.match(mod, /require k8s\.io\/kubernetes v1\.36\.3/);
  assert.match(mod, /k8s\.io\/api => k8s\.io\/api v0\.36\.3/);
});

test('version ldflags stamp component-base and client-go with major and minor', () => {
  const flags = versionLdflags('v1.36.3');
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    assert.ok(flags.includes(`-X ${pkg}.gitVersion=v1.36.3`));
    assert.ok(flags.includes(`-X ${pkg}.gitMajor=1`));
    assert.ok(flags.includes(`-X ${pkg}.gitMinor=36`));
  }
});

test('ldd output yields the resolved library paths, including the loader', () => {
  const out =
    '\tlinux-vdso.so.1 (0x00007ffd)\n\tlibnftables.so.1 => /lib/x86_64-linux-gnu/libnftables.so.1 (0x1)\n\t/lib64/ld-linux-x86-64.so.2 (0x2)\n';
  assert.deepEqual(parseLdd(out), ['/lib/x86_64-linux-gnu/libnftables.so.1', '/lib64/ld-linux-x86-64.so.2']);
});

test('the sandbox image is rewritten in kind containerd config', () => {
  const config = '[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.10"\n';
  assert.match(withSandboxImage(config, 'registry.k8s.io/pause:3.10.2'), /sandbox_image = "registry\.k8s\.io\/pause:3\.10\.2"/);
  assert.throws(() => withSandboxImage('[x]\n', 'registry.k8s.io/pause:3.10.2'), /no sandbox image/);
});

test('cache keys ignore key order and change with any input', () => {
  assert.equal(cacheKey({ a: '1', b: 2 }), cacheKey({ b: 2, a: '1' }));
  assert.notEqual(cacheKey({ a: '1' }), cacheKey({ a: '2' }));
});

test('durations print as h/m/s', () => {
  assert.equal(formatDuration(5), '5s');
  assert.equal(formatDuration(65), '1m05s');
  assert.equal(formatDuration(3725), '1h02m05s');
});

test('docker stats memory usage converts to MiB', async () => {
  const { parseMemUsageMiB } = await import('../../src/provision/lib/docker-stats.ts');
  assert.equal(parseMemUsageMiB('512MiB / 23.4GiB'), 512);
  assert.equal(parseMemUsageMiB('1.5GiB / 23.4GiB'), 1536);
  assert.throws(() => parseMemUsageMiB('n/a'), /unreadable/);
});

test('documented minima add up the lower bounds of timed observations only', async () => {
  const { documentedMinima } = await import('../../src/provision/lib/law-minima.ts');
  const minima = documentedMinima({
    laws: [
      { id: 'PRB-2', observations: [{ documentedMinMs: 30_000 }, {}] },
      { id: 'RST-1', observations: [{ documentedMinMs: 0 }, { documentedMinMs: 10_000 }, { documentedMinMs: -1_000 }] },
    ],
  });
  assert.deepEqual(minima, { perLaw: { 'PRB-2': 30_000, 'RST-1': 10_000 }, totalMs: 40_000, observations: 4 });
});
