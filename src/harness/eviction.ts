/**
 * The Eviction API as a client sees it: the HTTP status, the Status body's reason and
 * causes (EVA-1). Never throws for an HTTP answer; only for a transport failure.
 */
import { ApiException } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { statusBodyOf } from '../kube/api-errors.ts';

export interface EvictionAnswer {
  readonly status: number;
  readonly reason: string | undefined;
  readonly causes: readonly string[];
  readonly message: string | undefined;
}

interface StatusBody {
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; type?: string; message?: string }[] };
}

export async function evict(kube: KubeClients, namespace: string, pod: string): Promise<EvictionAnswer> {
  try {
    const info = await kube.core.createNamespacedPodEvictionWithHttpInfo({
      name: pod,
      namespace,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } },
    });
    return { status: info.httpStatusCode, reason: undefined, causes: [], message: undefined };
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body = (statusBodyOf(error) ?? {}) as StatusBody;
    return {
      status: error.code,
      reason: body.reason,
      causes: (body.details?.causes ?? []).map((c) => c.reason ?? c.type ?? ''),
      message: body.message,
    };
  }
}

export function describeAnswer(answer: EvictionAnswer): string {
  const causes = answer.causes.length > 0 ? ` causes=[${answer.causes.join(',')}]` : '';
  return `${answer.status}${answer.reason !== undefined ? ` ${answer.reason}` : ''}${causes}`;
}
