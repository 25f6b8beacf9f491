/**
 * DNS-1 — "Default: The Pod inherits the name resolution configuration from the node that the Pods run on.
 * ClusterFirst: Any DNS query that does not match the configured cluster domain suffix … is forwarded to an
 * upstream nameserver … ClusterFirstWithHostNet: For Pods running with hostNetwork, you should explicitly set its
 * DNS policy to ClusterFirstWithHostNet. Otherwise, Pods running with hostNetwork and "ClusterFirst" will fallback
 * to the behavior of the "Default" policy. None: … all DNS settings are supposed to be provided using the
 * dnsConfig field." https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
 * DNS-2 — "In general a Pod has the following DNS resolution: pod-ipv4-address.my-namespace.pod.cluster-domain.example"
 * https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#a-aaaa-records-1
 * Expected values: the kubelet's configz (clusterDNS, clusterDomain, resolvConf), the node's resolv.conf, the
 * kube-dns Service, the coredns Corefile.
 */
import type { TestInfo } from '@playwright/test';
import {
  test,
  law,
  notApplicable,
  execInContainer,
  execOk,
  expectedResolvConf,
  formatResolvConf,
  generalWorker,
  isRunning,
  kubeletConfigz,
  nodeFile,
  nslookupAddresses,
  parseResolvConf,
  pingResolvedAddress,
  readCorednsPods,
  timeouts,
  waitForPod,
  type ClusterContext,
  type DnsPolicy,
} from '../../src/harness/index.ts';

async function generalNode(cluster: ClusterContext, testInfo: TestInfo): Promise<string> {
  const node = (await generalWorker(cluster.kube))?.metadata?.name;
  if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
  return node;
}

interface Case {
  readonly name: string;
  readonly policy: DnsPolicy;
  readonly hostNetwork: boolean;
}

const cases: readonly Case[] = [
  { name: 'cluster-first', policy: 'ClusterFirst', hostNetwork: false },
  { name: 'default', policy: 'Default', hostNetwork: false },
  { name: 'none', policy: 'None', hostNetwork: false },
  { name: 'host-cluster-first', policy: 'ClusterFirst', hostNetwork: true },
  { name: 'host-with-host-net', policy: 'ClusterFirstWithHostNet', hostNetwork: true },
];

/** busybox nslookup of a name in a pod: the addresses it answered (none when the lookup failed). */
async function lookup(cluster: ClusterContext, namespace: string, pod: string, name: string): Promise<string[]> {
  const result = await execInContainer(cluster.kube, { namespace, pod, container: 'app' }, ['nslookup', '-type=a', name]);
  return result.outcome.kind === 'exited' && result.outcome.exitCode === 0 ? nslookupAddresses(result.stdout) : [];
}

/** The address a name resolves to through the C library's resolver (search list, ndots) in a pod, or undefined. */
async function resolveWithSearchList(cluster: ClusterContext, namespace: string, pod: string, name: string): Promise<string | undefined> {
  const result = await execInContainer(cluster.kube, { namespace, pod, container: 'app' }, ['ping', '-c', '1', '-W', '1', name]);
  return pingResolvedAddress(`${result.stdout}${result.stderr}`);
}

test(
  'DNS-1: each dnsPolicy writes its resolv.conf and resolves (or not) cluster names',
  law('DNS-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = await generalNode(cluster, testInfo);
    const configz = await kubeletConfigz(cluster.kube, node);
    const kubeDns = (await cluster.kube.core.readNamespacedService({ namespace: 'kube-system', name: 'kube-dns' })).spec?.clusterIP ?? '?';
    const clusterDNS = configz.clusterDNS ?? [];
    const clusterDomain = configz.clusterDomain ?? 'cluster.local';
    check.fact(
      'kubelet clusterDNS is the kube-dns Service',
      kubeDns,
      clusterDNS.join(','),
      `kubelet ${node} configz clusterDNS; Service kube-system/kube-dns`,
    );
    const resolvPath = configz.resolvConf ?? '/etc/resolv.conf';
    const nodeConf = parseResolvConf(await nodeFile(node, resolvPath));
    testInfo.annotations.push({ type: 'node resolv.conf', description: `${node}:${resolvPath}: ${formatResolvConf(nodeConf)}` });
    const apiServer = (await cluster.kube.core.readNamespacedService({ namespace: 'default', name: 'kubernetes' })).spec?.clusterIP ?? '?';
    const fqdn = `kubernetes.default.svc.${clusterDomain}`;
    const dnsConfig = { nameservers: [kubeDns], searches: ['podlaw.example'], options: ['ndots:2'] };

    for (const c of cases) {
      if (c.policy === 'None') await objects.apply('anatomy/dns-none.yaml', { name: c.name, node, nameserver: kubeDns });
      else await objects.apply('anatomy/dns-policy.yaml', { name: c.name, node, policy: c.policy, hostNetwork: String(c.hostNetwork) });
    }
    for (const c of cases) {
      await waitForPod(watch, c.name, (p) => isRunning(p, 'app'), 'running', timeouts.podStart);
      const expected = expectedResolvConf(c.policy, c.hostNetwork, { clusterDNS, clusterDomain, namespace }, nodeConf, dnsConfig);
      const actual = parseResolvConf(await execOk(cluster.kube, { namespace, pod: c.name, container: 'app' }, ['cat', '/etc/resolv.conf']));
      check.fact(`${c.name}: resolv.conf`, formatResolvConf(expected), formatResolvConf(actual), `${expected.rule}; configz of ${node}`);
      const clusterResolver = expected.nameservers.every((s) => s === kubeDns) && expected.nameservers.length > 0;
      const answered = await lookup(cluster, namespace, c.name, fqdn);
      // Whole names, so the seed claim that reads the hostNetwork one finds it (tests/unit/claims.test.ts).
      const lookupName = c.hostNetwork ? 'hostNetwork pod: lookup of the kubernetes Service name' : 'lookup of the kubernetes Service name';
      check.fact(
        `${lookupName} (${c.name}, ${fqdn})`,
        clusterResolver ? apiServer : 'no answer',
        answered.length > 0 ? answered.join(',') : 'no answer',
        `nslookup in the pod; Service default/kubernetes clusterIP ${apiServer}`,
      );
    }
    // The search list at work: busybox nslookup sends a name as given, but busybox ping resolves through the C
    // library's resolver, which completes a short name with resolv.conf's search list (ndots:5).
    const service = 'web';
    await objects.apply('anatomy/dns-search-service.yaml', { name: service });
    const serviceIp = (await cluster.kube.core.readNamespacedService({ namespace, name: service })).spec?.clusterIP ?? '?';
    const shortNames = [
      { name: service, expected: serviceIp, why: `search ${namespace}.svc.${clusterDomain}` },
      { name: `${service}.${namespace}`, expected: serviceIp, why: `search svc.${clusterDomain}` },
      { name: 'kubernetes', expected: 'no answer', why: `another namespace's Service: kubernetes.${namespace}.svc… does not exist` },
      { name: 'kubernetes.default', expected: apiServer, why: `search svc.${clusterDomain}` },
    ];
    for (const short of shortNames) {
      const resolved = await resolveWithSearchList(cluster, namespace, 'cluster-first', short.name);
      check.fact(
        `cluster-first: short name ${short.name}`,
        short.expected,
        resolved ?? 'no answer',
        `busybox ping's resolver in the pod (${short.why}); Service clusterIPs as stored`,
      );
    }
    testInfo.annotations.push({
      type: 'not checkable',
      description:
        'DNS-1 forwarding of a name outside the cluster domain to the upstream resolver: not checkable offline ' +
        '(the machine has no outside network; a failed lookup could not tell forwarding from no upstream)',
    });
  },
);

test(
  'DNS-2: a pod has an A record <ip-with-dashes>.<namespace>.pod.<domain>',
  law('DNS-2'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = await generalNode(cluster, testInfo);
    const pods = await readCorednsPods(cluster.kube);
    if (pods === undefined)
      notApplicable(
        testInfo,
        'the coredns ConfigMap has no kubernetes plugin block: the cluster DNS is not CoreDNS as deployed by kubeadm',
      );
    if (pods.mode === 'disabled') notApplicable(testInfo, `CoreDNS serves no pod records (${pods.source}: pods disabled)`);
    const clusterDomain = (await kubeletConfigz(cluster.kube, node)).clusterDomain ?? 'cluster.local';
    await objects.apply('anatomy/dns-policy.yaml', { name: 'asker', node, policy: 'ClusterFirst', hostNetwork: 'false' });
    await objects.apply('anatomy/dns-policy.yaml', { name: 'target', node, policy: 'ClusterFirst', hostNetwork: 'false' });
    await waitForPod(watch, 'asker', (p) => isRunning(p, 'app'), 'running', timeouts.podStart);
    const target = await waitForPod(
      watch,
      'target',
      (p) => isRunning(p, 'app') && p.status?.podIP !== undefined,
      'running with an IP',
      timeouts.podStart,
    );
    const ip = target.status?.podIP ?? '?';
    const record = `${ip.replaceAll('.', '-')}.${namespace}.pod.${clusterDomain}`;
    const answered = await lookup(cluster, namespace, 'asker', record);
    check.fact(`lookup ${record} from another pod`, ip, answered.join(',') || 'no answer', `nslookup; ${pods.source}: pods ${pods.mode}`);
  },
);
