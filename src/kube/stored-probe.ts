/**
 * A probe's fields read from the pod AS STORED (the create response or a read-back), so
 * that expectations follow what the API admitted, not what the test meant to send.
 * Unset fields take the API defaults the apiserver itself fills in (core/v1 defaults.go:
 * SetDefaults_Probe); the source says which. Pure.
 */
import type { KubernetesObject, V1Pod, V1Probe } from '@kubernetes/client-node';

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export interface StoredProbe {
  readonly initialDelaySeconds: number;
  readonly successThreshold: number;
  readonly timing: { readonly periodSeconds: number; readonly failureThreshold: number; readonly timeoutSeconds: number };
  readonly source: string;
}

const apiDefaults = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;

export function storedProbe(object: KubernetesObject | undefined, container: string, kind: ProbeKind): StoredProbe {
  const pod = object as V1Pod | undefined;
  const probe: V1Probe | undefined = pod?.spec?.containers.find((c) => c.name === container)?.[kind];
  if (probe === undefined) throw new Error(`pod ${pod?.metadata?.name ?? '?'} as stored has no ${kind} on container ${container}`);
  const defaulted: string[] = [];
  const field = (name: keyof typeof apiDefaults): number => {
    const value = probe[name];
    if (value !== undefined) return value;
    defaulted.push(name);
    return apiDefaults[name];
  };
  const stored = {
    initialDelaySeconds: field('initialDelaySeconds'),
    successThreshold: field('successThreshold'),
    timing: { periodSeconds: field('periodSeconds'), failureThreshold: field('failureThreshold'), timeoutSeconds: field('timeoutSeconds') },
  };
  const source = `${kind} of container ${container}, pod spec (stored)${defaulted.length > 0 ? `; API default for ${defaulted.join(', ')}` : ''}`;
  return { ...stored, source };
}
