import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { podGcCanaryNames } from '../../src/lifecycle/podgc-canary-release.ts';

interface Rule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs?: readonly string[];
}

const roles = parseAllDocuments(readFileSync(new URL('../../deploy/rbac/podlaw.yaml', import.meta.url), 'utf8')).map(
  (d) => d.toJS() as { kind?: string; rules?: readonly Rule[] },
);
const podPatchRules = roles
  .filter((r) => r.kind === 'ClusterRole')
  .flatMap((r) => r.rules ?? [])
  .filter((rule) => (rule.resources ?? []).includes('pods') && (rule.verbs ?? []).includes('patch'));

describe('deploy/rbac/podlaw.yaml: patch on pods', () => {
  it("is granted once, for NOD-10's pod GC canaries by name only", () => {
    assert.equal(podPatchRules.length, 1);
    assert.deepEqual(podPatchRules[0]?.resourceNames, [...podGcCanaryNames]);
  });
});
