import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { forbiddenAsPodlawError, exitCodes, rbacManifestPath } from '../../src/errors.ts';
import { probeRbacObjects, readRbacManifest } from '../../src/harness/rbac-manifest.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
type RbacDoc = {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { name: string };
  subjects?: { kind: string; name: string }[];
};

const docs = readRbacManifest() as unknown as RbacDoc[];
const rulesOf = (name: string): Rule[] => docs.find((d) => d.metadata.name === name && d.rules !== undefined)?.rules ?? [];
const grants = (rules: Rule[], group: string, resource: string, verb: string): boolean =>
  rules.some(
    (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb) && r.resourceNames === undefined,
  );

test('the manifest holds the base role, the kube-system reads, the opt-in destructive role and their bindings', () => {
  assert.deepEqual(
    docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`),
    [
      'ClusterRole//podlaw',
      'Role/kube-system/podlaw-kube-system',
      'ClusterRole//podlaw-destructive',
      'ClusterRoleBinding//podlaw',
      'RoleBinding/kube-system/podlaw-kube-system',
      'ClusterRoleBinding//podlaw-destructive',
    ],
  );
});

test('no role grants wildcards, secrets, RBAC, impersonation or admission webhooks', () => {
  for (const doc of docs.filter((d) => d.rules !== undefined)) {
    for (const rule of doc.rules ?? []) {
      const where = `${doc.metadata.name}: ${JSON.stringify(rule)}`;
      assert.ok(![...rule.apiGroups, ...rule.resources, ...rule.verbs].includes('*'), where);
      assert.ok(!rule.resources.includes('secrets'), where);
      assert.ok(!rule.apiGroups.includes('rbac.authorization.k8s.io') && !rule.apiGroups.includes('admissionregistration.k8s.io'), where);
      assert.ok(!rule.verbs.some((v) => ['impersonate', 'escalate', 'bind'].includes(v)), where);
    }
  }
});

test('node writes are only in the destructive role (src/safety.ts gates those faults)', () => {
  for (const verb of ['update', 'patch', 'delete', 'create']) {
    assert.equal(grants(rulesOf('podlaw'), '', 'nodes', verb), false, `base role ${verb} nodes`);
    assert.equal(grants(rulesOf('podlaw-destructive'), '', 'nodes', verb), true, `destructive role ${verb} nodes`);
  }
  assert.equal(grants(rulesOf('podlaw'), '', 'nodes/proxy', 'get'), true);
  assert.deepEqual(rulesOf('podlaw-kube-system'), [
    { apiGroups: [''], resources: ['configmaps'], resourceNames: ['coredns', 'kube-proxy'], verbs: ['get'] },
  ]);
});

test('the probe copy renames roles and their references, replaces the User subject and labels everything', () => {
  const copy = probeRbacObjects(readRbacManifest(), 'r1-ab', 'podlaw-access-probe-r1-ab', 'r1') as unknown as RbacDoc[];
  assert.ok(copy.every((d) => d.metadata.name.endsWith('-r1-ab')));
  assert.ok(
    copy.every(
      (d) =>
        (d as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels['app.kubernetes.io/managed-by'] === 'podlaw',
    ),
  );
  assert.deepEqual(
    copy.filter((d) => d.roleRef !== undefined).map((d) => d.roleRef?.name),
    ['podlaw-r1-ab', 'podlaw-kube-system-r1-ab', 'podlaw-destructive-r1-ab'],
  );
  assert.ok(copy.flatMap((d) => d.subjects ?? []).every((s) => s.kind === 'User' && s.name === 'podlaw-access-probe-r1-ab'));
  assert.match(readFileSync(rbacManifestPath, 'utf8'), /kind: User, name: podlaw \}/);
});

test('a 403 becomes one line naming the permission and the manifest, exit 20', () => {
  const status = {
    kind: 'Status',
    status: 'Failure',
    message: 'secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" at the cluster scope',
    reason: 'Forbidden',
    code: 403,
  };
  const error = forbiddenAsPodlawError({ code: 403, body: JSON.stringify(status) });
  assert.equal(error?.exitCode, exitCodes.forbidden);
  assert.equal(
    error?.oneLine(),
    'podlaw: permission missing: secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" at the cluster scope' +
      ' — grant it with deploy/rbac/podlaw.yaml (README "Least-privilege access"; node faults need its podlaw-destructive role)',
  );
  assert.equal(forbiddenAsPodlawError({ code: 404, body: '{}' }), undefined);
  assert.match(forbiddenAsPodlawError({ code: 403, body: 'not json' })?.oneLine() ?? '', /refused a request \(HTTP 403\)/);
});

test('the checked-in objects are not labelled managed-by=podlaw, so podlaw clean never removes a user grant', () => {
  const labelled = readRbacManifest().filter((o) => o.metadata?.labels?.['app.kubernetes.io/managed-by'] !== undefined);
  assert.deepEqual(labelled, []);
});
