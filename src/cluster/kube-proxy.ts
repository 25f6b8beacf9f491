/** kube-proxy's configuration as the cluster stores it: the kube-system/kube-proxy ConfigMap (kubeadm's layout). */
import { parse } from 'yaml';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';

/** The proxy mode (iptables, ipvs, nftables) of the ConfigMap's config.conf; undefined when there is no such ConfigMap or mode. */
export async function readKubeProxyMode(kube: KubeClients): Promise<string | undefined> {
  const proxyConfig = await unlessNotFound(() => kube.core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' }));
  return (parse(proxyConfig?.data?.['config.conf'] ?? '') as { mode?: string } | null)?.mode;
}
