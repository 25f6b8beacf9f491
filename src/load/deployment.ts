/** The load target's Deployment: its preStop and file-readiness variants. (Waits on its ready replicas: src/harness/pods.ts.) */
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';

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
