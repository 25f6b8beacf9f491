/**
 * What each node's kubelet is configured with, read through the API server's node
 * proxy: /configz (the effective KubeletConfiguration) and /metrics (feature gates).
 */
import type { KubeClients } from '../kube/client.ts';
import { parseFeatureGateMetrics } from './feature-gates.ts';
import type { FeatureGateStates } from './feature-gates.ts';

/** The subset of KubeletConfiguration (kubelet.config.k8s.io/v1beta1) podlaw reads. */
export interface KubeletConfigz {
  readonly nodeStatusUpdateFrequency?: string;
  readonly nodeStatusReportFrequency?: string;
  readonly nodeLeaseDurationSeconds?: number;
  readonly evictionHard?: Readonly<Record<string, string>>;
  readonly evictionSoft?: Readonly<Record<string, string>>;
  readonly evictionPressureTransitionPeriod?: string;
  readonly evictionMaxPodGracePeriod?: number;
  readonly shutdownGracePeriod?: string;
  readonly crashLoopBackOff?: { readonly maxContainerRestartPeriod?: string };
  readonly featureGates?: Readonly<Record<string, boolean>>;
  readonly clusterDNS?: readonly string[];
  readonly clusterDomain?: string;
  readonly resolvConf?: string;
  readonly staticPodPath?: string;
  readonly fileCheckFrequency?: string;
  readonly syncFrequency?: string;
}

/** The answer of /configz, as text or as the JSON value client-node already decoded. */
export function parseConfigz(answer: unknown): KubeletConfigz {
  // client-node decodes JSON answers even where its types promise a string.
  const parsed: unknown = typeof answer === 'string' ? JSON.parse(answer) : answer;
  if (typeof parsed !== 'object' || parsed === null || !('kubeletconfig' in parsed)) {
    throw new Error('configz answer has no kubeletconfig');
  }
  return parsed.kubeletconfig as KubeletConfigz;
}

export interface KubeletView {
  readonly node: string;
  readonly configz: KubeletConfigz | undefined;
  readonly configzError: string | undefined;
  readonly featureGates: FeatureGateStates | undefined;
  readonly featureGatesError: string | undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The API server's proxy to a frozen kubelet (a node a killed run left paused) never answers; the harness must still
 * start, so the next run can undo that leftover. 10 s is far above a live kubelet's answer here (tens of ms).
 */
const kubeletAnswerMs = 10_000;

function bounded<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${kubeletAnswerMs / 1000} s (node paused or lost?)`)),
      kubeletAnswerMs,
    );
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

export async function readKubelet(kube: KubeClients, node: string): Promise<KubeletView> {
  const [configz, metrics] = await Promise.allSettled([
    bounded(kube.core.connectGetNodeProxyWithPath({ name: node, path: 'configz' }), `kubelet ${node} /configz`),
    bounded(kube.core.connectGetNodeProxyWithPath({ name: node, path: 'metrics' }), `kubelet ${node} /metrics`),
  ]);
  let config: KubeletConfigz | undefined;
  let configzError: string | undefined;
  if (configz.status === 'fulfilled') {
    try {
      config = parseConfigz(configz.value as unknown);
    } catch (error) {
      configzError = describe(error);
    }
  } else {
    configzError = describe(configz.reason);
  }
  return {
    node,
    configz: config,
    configzError,
    featureGates: metrics.status === 'fulfilled' && typeof metrics.value === 'string' ? parseFeatureGateMetrics(metrics.value) : undefined,
    featureGatesError:
      metrics.status === 'rejected'
        ? describe(metrics.reason)
        : typeof metrics.value === 'string'
          ? undefined
          : 'metrics answer is not text',
  };
}
