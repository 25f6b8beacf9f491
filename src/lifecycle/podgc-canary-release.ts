/**
 * The pod GC canaries (src/harness/podgc-canary.ts) carry a finalizer of podlaw's: while it is on, a canary
 * stays and so does its namespace. Whoever deletes a podlaw namespace removes it first: the test's own
 * teardown, the namespace owner's close, and the collection of a killed run's namespaces.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { isConflict, unlessNotFound } from '../kube/api-errors.ts';

export const podGcCanaryFinalizer = 'podlaw.dev/podgc-canary';
/**
 * Their names: enough DELETE calls to put milliseconds into a PodGC pass. deploy/rbac/podlaw.yaml grants patch on these
 * names only (tests/unit/rbac-canaries.test.ts holds the two together).
 */
export const podGcCanaryNames = ['podgc-canary-0', 'podgc-canary-1', 'podgc-canary-2'] as const;
/** The label that finds the canaries of a namespace in one list call. */
export const podGcCanaryLabel = 'podlaw.dev/podgc-canary';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** Conflicts come from the controller's few writes to a canary; a handful of reads outlasts them. */
const maxAttempts = 5;

/** Removes podlaw's finalizer from every canary in the namespace (a deleted one then goes); returns how many it released. */
export async function releasePodGcCanaries(kube: KubeClients, namespace: string): Promise<number> {
  const pods = await unlessNotFound(() => kube.core.listNamespacedPod({ namespace, labelSelector: `${podGcCanaryLabel}=true` }));
  let released = 0;
  for (const pod of pods?.items ?? []) {
    if (await releaseOne(kube, namespace, pod)) released += 1;
  }
  return released;
}

/**
 * A merge patch replaces the finalizer list; its resourceVersion makes it fail rather than drop a finalizer added
 * meanwhile. The PodGC controller writes the canary too (it marks it Failed): on a conflict, read it again.
 */
async function releaseOne(kube: KubeClients, namespace: string, listed: V1Pod): Promise<boolean> {
  const name = listed.metadata?.name ?? '';
  let pod: V1Pod | undefined = listed;
  for (let attempt = 1; pod !== undefined; attempt += 1) {
    const finalizers = pod.metadata?.finalizers ?? [];
    if (!finalizers.includes(podGcCanaryFinalizer)) return false;
    const kept = finalizers.filter((f) => f !== podGcCanaryFinalizer);
    const body = { metadata: { finalizers: kept.length === 0 ? null : kept, resourceVersion: pod.metadata?.resourceVersion } };
    try {
      await unlessNotFound(() => kube.core.patchNamespacedPod({ name, namespace, body }, mergePatch));
      return true;
    } catch (error) {
      if (!isConflict(error) || attempt >= maxAttempts) throw error;
    }
    pod = await unlessNotFound(() => kube.core.readNamespacedPod({ name, namespace }));
  }
  return false;
}
