import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { memTotalMiB, pressureThresholdMiB, renderKindConfig } from '../../src/provision/cluster/render-config.ts';
import { configDigest, configDrift } from '../../src/provision/cluster/config-stamp.ts';

const meminfo24G = 'MemTotal:       24573412 kB\nMemFree:        23000000 kB\n';

test('reads MemTotal in MiB', () => {
  assert.equal(memTotalMiB(meminfo24G), 23997);
});

test('pressure threshold leaves the headroom between capacity and the threshold', () => {
  assert.equal(pressureThresholdMiB(23997, 1536), 22461);
  assert.throws(() => pressureThresholdMiB(2000, 1536), /too small/);
});

test('kind-config.yaml renders one control plane and four workers: a reserved pressure worker with a complete evictionHard, two loss workers, one general', () => {
  const rendered = renderKindConfig(readFileSync('kind-config.yaml', 'utf8'), meminfo24G);
  assert.doesNotMatch(rendered, /\{\{/);
  const config = parse(rendered) as {
    nodes: { role: string; labels?: Record<string, string>; kubeadmConfigPatchesJSON6902?: { patch: string }[] }[];
    networking: { disableDefaultCNI: boolean };
  };
  assert.deepEqual(
    config.nodes.map((n) => n.role),
    ['control-plane', 'worker', 'worker', 'worker', 'worker'],
  );
  const roles = config.nodes.map((n) => n.labels?.['podlaw.dev/role'] ?? '-');
  assert.deepEqual(roles, ['-', 'pressure', 'loss', 'loss', 'general']);
  const pressure = config.nodes.filter((n) => n.labels?.['podlaw.dev/role'] === 'pressure');
  assert.equal(pressure.length, 1);
  const patch = parse(pressure[0]?.kubeadmConfigPatchesJSON6902?.[0]?.patch ?? '[]') as { path: string; value: unknown }[];
  // Reserved: only the pressure family tolerates its taint, so no other suite's pod sits there.
  const taints = patch.find((op) => op.path === '/nodeRegistration/taints')?.value;
  assert.deepEqual(taints, [{ key: 'podlaw.dev/disruption', value: 'pressure', effect: 'NoSchedule' }]);
  const flags = patch
    .map((op) => op.value)
    .filter((v): v is { name: string; value: string } => typeof v === 'object' && v !== null && 'name' in v);
  const evictionHard = flags.find((flag) => flag.name === 'eviction-hard')?.value ?? '';
  for (const signal of ['memory.available<22461Mi', 'nodefs.available<', 'nodefs.inodesFree<', 'imagefs.available<']) {
    assert.ok(evictionHard.includes(signal), `${signal} missing from ${evictionHard}`);
  }
});

test('an unknown placeholder is an error, not a silently broken config', () => {
  assert.throws(() => renderKindConfig('a: {{NOT_A_SETTING}}\n', meminfo24G), /unknown placeholder/);
});

test('a cluster created from another rendered kind config, or from an unknown one, is to be recreated', () => {
  const rendered = 'kind: Cluster\nname: podlaw\n';
  assert.equal(configDrift(configDigest(rendered), rendered), undefined);
  assert.match(
    configDrift(configDigest(`${rendered} `), rendered) ?? '',
    /another kind-config\.yaml \(sha256 [0-9a-f]{12}, this checkout renders [0-9a-f]{12}\)/,
  );
  assert.match(configDrift(undefined, rendered) ?? '', /no record of the kind-config/);
});
