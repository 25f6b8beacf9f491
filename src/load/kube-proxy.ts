/**
 * How soon kube-proxy applies an EndpointSlice change: at most once per minSyncPeriod
 * of its mode, read from the kube-proxy ConfigMap kubeadm (and kind) writes; 0 or
 * absent means the default, 1 s (pkg/proxy/apis/config/v1alpha1/defaults.go,
 * SetDefaults_KubeProxyConfiguration, for iptables and nftables alike).
 */
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { parseGoDuration } from '../cluster/go-duration.ts';
import { namedTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { tolerances } from '../laws/expectation.ts';

export interface ProxySync {
  readonly mode: string;
  readonly minSyncMs: number;
  readonly source: string;
}

const defaultMinSyncMs = 1_000;

/** Pure: the ConfigMap's config.conf (YAML) → mode and minSyncPeriod. */
export function proxySyncFrom(configText: string | undefined): ProxySync {
  const fallback = {
    mode: 'iptables',
    minSyncMs: defaultMinSyncMs,
    source: 'kube-proxy default minSyncPeriod 1 s (no kube-proxy ConfigMap)',
  };
  if (configText === undefined) return fallback;
  const mode = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(configText)?.[1] || 'iptables';
  const section = new RegExp(`^${mode}:\\s*\\n((?:[ \\t]+.*\\n?)*)`, 'm').exec(configText)?.[1] ?? '';
  const raw = /minSyncPeriod:\s*"?([0-9a-zµ.]+)"?/.exec(section)?.[1];
  const ms = raw === undefined ? 0 : parseGoDuration(raw);
  return ms > 0
    ? { mode, minSyncMs: ms, source: `kube-system/kube-proxy ConfigMap ${mode}.minSyncPeriod ${raw}` }
    : {
        mode,
        minSyncMs: defaultMinSyncMs,
        source: `kube-system/kube-proxy ConfigMap ${mode}.minSyncPeriod ${raw ?? 'unset'} → default 1 s`,
      };
}

export async function readProxySync(kube: KubeClients): Promise<ProxySync> {
  const cm = await unlessNotFound(() => kube.core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' }));
  return proxySyncFrom(cm?.data?.['config.conf']);
}

/** How long after an endpoint left its EndpointSlice kube-proxy may still send it new connections: one sync, plus propagation. */
export function propagationBound(proxy: ProxySync): NamedTimeout {
  return namedTimeout(
    `kube-proxy minSyncPeriod ${proxy.minSyncMs / 1000} s + ${tolerances.statusPropagation.name}`,
    proxy.minSyncMs + tolerances.statusPropagation.ms,
  );
}
