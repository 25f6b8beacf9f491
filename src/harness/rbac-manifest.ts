/**
 * deploy/rbac/podlaw.yaml as objects, and its copy for one access probe (pure apart from reading the file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { rbacManifestPath } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { parseManifests } from '../kube/manifest.ts';
import { runLabels } from '../run-naming.ts';

/** The subject the manifest binds, which users replace with their own. */
export const manifestUser = 'podlaw';
export const destructiveBinding = 'podlaw-destructive';

export interface RbacObject extends KubernetesObject {
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { apiGroup?: string; kind: string; name: string; namespace?: string }[];
}

export function readRbacManifest(): KubernetesObject[] {
  return parseManifests(readFileSync(join(repoRoot, rbacManifestPath), 'utf8'), rbacManifestPath);
}

/**
 * The manifest's objects for one probe: names (and the roles bindings refer to) get `-suffix`,
 * the `User podlaw` subjects become `user`, labels carry podlaw's managed-by and the run id so
 * `podlaw clean` finds anything a killed run left. Pure.
 */
export function probeRbacObjects(objects: readonly KubernetesObject[], suffix: string, user: string, runId: string): RbacObject[] {
  return objects.map((object) => {
    const rbac = object as RbacObject;
    const renamed: RbacObject = {
      ...rbac,
      metadata: {
        ...rbac.metadata,
        name: `${rbac.metadata?.name ?? ''}-${suffix}`,
        labels: { ...rbac.metadata?.labels, [runLabels.managedBy]: 'podlaw', [runLabels.runId]: runId },
      },
    };
    if (rbac.roleRef !== undefined) renamed.roleRef = { ...rbac.roleRef, name: `${rbac.roleRef.name}-${suffix}` };
    if (rbac.subjects !== undefined) {
      renamed.subjects = rbac.subjects.map((s) => (s.kind === 'User' && s.name === manifestUser ? { ...s, name: user } : s));
    }
    return renamed;
  });
}
