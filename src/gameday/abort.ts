/**
 * `podlaw gameday abort` from another terminal: annotates every live game day's namespace
 * (labelled podlaw.dev/gameday) with the reason. Each run reads its namespace once a
 * second and, seeing the annotation, recovers every fault at once. Works from any machine
 * that reaches the cluster, and a run that died meanwhile is collected by its owner Lease.
 */
import { PatchStrategy } from '@kubernetes/client-node';
import { connect } from '../kube/client.ts';
import { harnessSettings } from '../run-settings.ts';
import { runLabels } from '../run-naming.ts';

export const gameDayLabel = 'podlaw.dev/gameday';
export const abortAnnotation = 'podlaw.dev/gameday-abort';

export async function abortCommand(env: NodeJS.ProcessEnv, reason: string): Promise<number> {
  const settings = harnessSettings(env);
  const kube = connect(settings.kubeconfigPath, settings.context);
  const namespaces = (await kube.core.listNamespace({ labelSelector: `${runLabels.managedBy}=podlaw,${gameDayLabel}` })).items;
  const live = namespaces.filter((n) => n.metadata?.deletionTimestamp === undefined);
  if (live.length === 0) {
    console.log('podlaw: no game day is running on this cluster');
    return 0;
  }
  for (const ns of live) {
    const name = ns.metadata?.name ?? '';
    await kube.objects.patch(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations: { [abortAnnotation]: reason } } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    console.log(`podlaw: asked game day ${ns.metadata?.labels?.[gameDayLabel] ?? '?'} (namespace ${name}) to abort: ${reason}`);
  }
  return 0;
}
