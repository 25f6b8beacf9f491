/**
 * What a failed test leaves behind for diagnosis: the namespace's events in order,
 * each pod as YAML (its "description"), and the logs of every container — the current
 * instance and, after restarts, the previous one.
 */
import { stringify } from 'yaml';
import type { KubeClients } from '../kube/client.ts';
import { readContainerLog } from '../kube/logs.ts';
import { eventTime } from '../kube/events.ts';
import { eventSummary } from '../timeline/summaries.ts';

export interface Artifact {
  readonly name: string;
  readonly contentType: 'text/plain' | 'application/yaml';
  readonly body: string;
}

export async function collectFailureArtifacts(kube: KubeClients, namespace: string): Promise<Artifact[]> {
  const artifacts: Artifact[] = [];
  const [events, pods] = await Promise.all([kube.core.listNamespacedEvent({ namespace }), kube.core.listNamespacedPod({ namespace })]);
  const sorted = [...events.items].sort((a, b) => (eventTime(a)?.getTime() ?? 0) - (eventTime(b)?.getTime() ?? 0));
  artifacts.push({
    name: 'events.txt',
    contentType: 'text/plain',
    body: sorted.map((e) => `${eventTime(e)?.toISOString() ?? '-'} ${eventSummary(e)}`).join('\n'),
  });
  for (const pod of pods.items) {
    const name = pod.metadata?.name ?? 'unnamed';
    artifacts.push({ name: `pod-${name}.yaml`, contentType: 'application/yaml', body: stringify(pod) });
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const status of statuses) {
      const current = await readContainerLog(kube, namespace, name, status.name, { tailLines: 500 });
      if (current !== undefined) artifacts.push({ name: `log-${name}-${status.name}.txt`, contentType: 'text/plain', body: current });
      if (status.restartCount > 0) {
        const previous = await readContainerLog(kube, namespace, name, status.name, { previous: true, tailLines: 500 });
        if (previous !== undefined) {
          artifacts.push({ name: `log-${name}-${status.name}-previous.txt`, contentType: 'text/plain', body: previous });
        }
      }
    }
  }
  return artifacts;
}
