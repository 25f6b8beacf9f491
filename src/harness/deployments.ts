/** Deployments as the suites need them: a watch on one, and a rolling update started the way `kubectl rollout restart` does. */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { resourceTypes } from '../kube/resources.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { unlessNotFound } from '../kube/api-errors.ts';

/** A started watch on one Deployment; the caller stops it. */
export async function watchDeployment(kube: KubeClients, namespace: string, name: string): Promise<ResumableWatch<V1Deployment>> {
  const deployments = new ResumableWatch<V1Deployment>(kube, resourceTypes.deployment, {
    namespace,
    fieldSelector: `metadata.name=${name}`,
  });
  await deployments.start();
  return deployments;
}

/** Starts a rolling update: a new pod-template annotation (a strategic merge patch), as `kubectl rollout restart` does. */
export async function startRollout(kube: KubeClients, namespace: string, name: string, annotation = 'podlaw.dev/rollout'): Promise<void> {
  await kube.apps.patchNamespacedDeployment(
    { name, namespace, body: { spec: { template: { metadata: { annotations: { [annotation]: String(Date.now()) } } } } } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
}

/**
 * Retires a test's Deployments and their pods at once: the Deployments go first with their pods orphaned
 * (so no ReplicaSet replaces them), then the pods with a short grace. A fixture built to outlast a long
 * grace (a 100 s preStop, 120 s grace) would otherwise hold its node for minutes after the namespace is
 * deleted, and the next run's pressure test waits for it.
 */
export async function retireDeploymentsNow(kube: KubeClients, namespace: string, labelSelector: string, graceSeconds = 1): Promise<void> {
  const deployments = await kube.apps.listNamespacedDeployment({ namespace, labelSelector });
  for (const deployment of deployments.items) {
    const name = deployment.metadata?.name ?? '';
    await unlessNotFound(() => kube.apps.deleteNamespacedDeployment({ name, namespace, body: { propagationPolicy: 'Orphan' } }));
  }
  const sets = await kube.apps.listNamespacedReplicaSet({ namespace, labelSelector });
  for (const set of sets.items) {
    const name = set.metadata?.name ?? '';
    await unlessNotFound(() => kube.apps.deleteNamespacedReplicaSet({ name, namespace, body: { propagationPolicy: 'Orphan' } }));
  }
  await kube.core.deleteCollectionNamespacedPod({ namespace, labelSelector, body: { gracePeriodSeconds: graceSeconds } });
}
