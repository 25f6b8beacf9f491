/**
 * What the cluster DNS (CoreDNS) serves, read from its Corefile (ConfigMap kube-system/coredns): the
 * kubernetes plugin's `pods` mode decides whether pod A records exist
 * (https://coredns.io/plugins/kubernetes/: "pods POD-MODE … disabled (default), insecure, verified").
 */
import type { KubeClients } from '../kube/client.ts';

export type PodsMode = 'disabled' | 'insecure' | 'verified';

export interface CorednsPods {
  readonly mode: PodsMode;
  /** The zones the kubernetes plugin serves (its first argument list). */
  readonly zones: readonly string[];
  readonly source: string;
}

/** The kubernetes plugin block of a Corefile: its zones and pods mode (disabled when the block has none) (pure). */
export function parseCorefilePods(corefile: string): { mode: PodsMode; zones: string[] } | undefined {
  const block = /^\s*kubernetes\b([^{\n]*)\{([^}]*)\}/m.exec(corefile);
  if (block === null) return undefined;
  const zones = (block[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter((z) => z !== '');
  const pods = /^\s*pods\s+(\S+)/m.exec(block[2] ?? '');
  const mode = pods?.[1] ?? 'disabled';
  if (mode !== 'disabled' && mode !== 'insecure' && mode !== 'verified') throw new Error(`unknown CoreDNS pods mode ${mode}`);
  return { mode, zones };
}

export async function readCorednsPods(kube: KubeClients): Promise<CorednsPods | undefined> {
  const config = await kube.core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'coredns' });
  const parsed = parseCorefilePods(config.data?.['Corefile'] ?? '');
  return parsed === undefined ? undefined : { ...parsed, source: 'ConfigMap kube-system/coredns, Corefile, kubernetes plugin' };
}
