/** The load target's Deployment: waits on its ready replicas, and its preStop variant. */
import type { KubernetesObject, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Observer } from '../harness/observer.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { isPodReady } from '../kube/pod-status.ts';
import { waitFor } from '../kube/wait.ts';

/** Adds a preStop sleep (the kubelet's sleep action) to the Deployment's container; 0 leaves none. */
export function withPreStopSleep(objects: KubernetesObject[], seconds: number): KubernetesObject[] {
  if (seconds <= 0) return objects;
  return objects.map((o) => {
    if (o.kind !== 'Deployment') return o;
    const d = structuredClone(o) as V1Deployment;
    for (const c of d.spec?.template.spec?.containers ?? []) c.lifecycle = { preStop: { sleep: { seconds } } };
    return d;
  });
}

export function readyServing(pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter((p) => p.metadata?.deletionTimestamp === undefined && isPodReady(p));
}

/** Waits until `count` pods are Ready and not terminating; returns them. */
export function waitForReadyPods(
  observe: Observer,
  count: number,
  timeout: NamedTimeout,
  except: readonly string[] = [],
): Promise<V1Pod[]> {
  return waitFor(
    observe.pods,
    (pods) => {
      const ready = readyServing(pods).filter((p) => !except.includes(p.metadata?.name ?? ''));
      return ready.length >= count ? ready : undefined;
    },
    {
      description: `${count} Ready pods not terminating${except.length > 0 ? ` besides ${except.join(', ')}` : ''}`,
      timeout,
      lastSeen: () =>
        observe.pods
          .objects()
          .map(
            (p) => `${p.metadata?.name}: ready=${String(isPodReady(p))} deleting=${String(p.metadata?.deletionTimestamp !== undefined)}`,
          ),
    },
  );
}

/** Readiness from a file (`cat <path>`), so ProbeFileToggle can fail it while netexec keeps serving. */
export function withFileReadiness(objects: KubernetesObject[], path: string): KubernetesObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment') return o;
    const d = structuredClone(o) as V1Deployment;
    for (const c of d.spec?.template.spec?.containers ?? []) {
      c.command = ['/bin/sh', '-c', `touch ${path} && exec /agnhost netexec --http-port=8080`];
      c.args = [];
      c.readinessProbe = { exec: { command: ['cat', path] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 };
    }
    return d;
  });
}
