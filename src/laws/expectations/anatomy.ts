/**
 * Pod anatomy: the effective request of a pod with init containers (INI-1).
 *
 * "The highest of any particular resource request or limit defined on all init containers is the effective
 * init request/limit. … The Pod's effective request/limit for a resource is the higher of: the sum of all app
 * containers request/limit for a resource, the effective init request/limit for a resource."
 * https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * Sidecars (restartable init containers) keep running: their requests add to every init container started
 * after them and to the app containers (the scheduler's code: pkg/api/v1/resource/helpers.go, PodRequests).
 */

export interface InitRequest {
  /** The init container's request of one resource, in its base unit (bytes, millicores). */
  readonly request: number;
  /** restartPolicy: Always (a sidecar). */
  readonly restartable: boolean;
}

export interface EffectiveRequest {
  readonly effectiveInit: number;
  readonly appSum: number;
  readonly effective: number;
}

/** The documented max(largest init request, sum of app requests), sidecars counted as they run alongside. */
export function effectiveRequest(init: readonly InitRequest[], app: readonly number[]): EffectiveRequest {
  let sidecars = 0;
  let effectiveInit = 0;
  for (const container of init) {
    effectiveInit = Math.max(effectiveInit, sidecars + container.request);
    if (container.restartable) sidecars += container.request;
  }
  const appSum = app.reduce((sum, r) => sum + r, 0) + sidecars;
  return { effectiveInit, appSum, effective: Math.max(effectiveInit, appSum) };
}

export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

export interface ResolvConfExpectation {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
  /** Which rule produced it, in words. */
  readonly rule: string;
}

/**
 * The resolv.conf the kubelet writes for a pod (pkg/kubelet/network/dns/dns.go, GetPodDNS and getPodDNSType):
 * ClusterFirst on the pod network, or ClusterFirstWithHostNet, gets the cluster DNS with the search list
 * <ns>.svc.<domain> svc.<domain> <domain> before the node's, and options ndots:5 (defaultDNSOptions);
 * Default — and ClusterFirst on hostNetwork, which "fall[s] back to the default" — gets the node's resolv.conf
 * (kubelet resolvConf); None gets exactly the pod's dnsConfig (which every policy merges in last).
 */
export function expectedResolvConf(
  policy: DnsPolicy,
  hostNetwork: boolean,
  cluster: { readonly clusterDNS: readonly string[]; readonly clusterDomain: string; readonly namespace: string },
  node: { readonly nameservers: readonly string[]; readonly searches: readonly string[]; readonly options: readonly string[] },
  dnsConfig: { readonly nameservers: readonly string[]; readonly searches: readonly string[]; readonly options: readonly string[] } = {
    nameservers: [],
    searches: [],
    options: [],
  },
): ResolvConfExpectation {
  if (policy === 'None') return { ...dnsConfig, rule: 'dnsPolicy None: the pod dnsConfig only' };
  const clusterFirst = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNetwork);
  if (!clusterFirst) {
    const why = policy === 'Default' ? 'dnsPolicy Default' : 'ClusterFirst on hostNetwork falls back to Default';
    return { ...node, rule: `${why}: the node's resolv.conf (kubelet resolvConf)` };
  }
  const d = cluster.clusterDomain;
  return {
    nameservers: cluster.clusterDNS,
    searches: [`${cluster.namespace}.svc.${d}`, `svc.${d}`, d, ...node.searches],
    options: ['ndots:5'],
    rule: `${policy}${hostNetwork ? ' on hostNetwork' : ''}: kubelet clusterDNS, cluster search list, ndots:5`,
  };
}
