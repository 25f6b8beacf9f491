/** Deployments as the suites need them: a watch on one, and a rolling update started the way `kubectl rollout restart` does. */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { resourceTypes } from '../kube/resources.ts';
import { ResumableWatch } from '../kube/watch.ts';

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
