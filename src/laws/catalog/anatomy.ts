/** Laws of the family "Pod anatomy": what a pod is made of: init containers, shared network and volumes, DNS, identity, static pods. */
import type { LawDefinition } from './law.ts';

const anatomy = 'Pod anatomy';

export const anatomyLaws = [
  {
    id: 'INI-1',
    family: anatomy,
    statement:
      'Init containers run one at a time in order, each must exit 0 before the next starts; app containers start only after all succeed; the pod shows Initialized=False meanwhile; with restartPolicy Never a failed init container fails the pod. Effective request = max(largest init request, sum of app requests).',
    defaults: '',
    observe: 'initContainerStatuses, conditions, scheduling',
    docs: ['INIT'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NET-1',
    family: anatomy,
    statement:
      'Containers of one pod share a network namespace: one reaches another on localhost; two binding the same port conflict (the second fails).',
    defaults: '',
    observe: 'exec into one container, restart reasons',
    docs: ['PODNET'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NET-2',
    family: anatomy,
    statement: 'A pod keeps its IP across container restarts; a recreated pod gets a new IP and UID.',
    defaults: '',
    observe: 'status.podIP, uid',
    docs: ['LIFECYCLE'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NET-3',
    family: anatomy,
    statement:
      "A hostNetwork pod uses the node's network namespace (it sees the node's interfaces and IP, its podIP is the node's IP); a hostPort is reachable on the node's IP at that port.",
    defaults: '',
    observe: 'status.podIP vs the node InternalIP, interfaces inside the pod, a connection from another pod to nodeIP:hostPort',
    docs: ['HOSTNET', 'HOSTPORT'],
    upstreamTest: 'test/e2e/network/hostport.go',
    timing: undefined,
  },
  {
    id: 'NS-1',
    family: anatomy,
    statement:
      'Containers of a pod share the UTS (hostname) and IPC namespaces, and the PID namespace only with shareProcessNamespace; the pod sandbox (pause container) holds the namespaces, so it survives an app container restart: same IP, same sandbox.',
    defaults: 'shareProcessNamespace: false',
    observe: '/proc/<pid>/ns links in each container, hostname, the CRI sandbox id before and after a restart',
    docs: ['SHAREPID', 'PODNET'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'VOL-1',
    family: anatomy,
    statement: "An emptyDir is shared by the pod's containers, survives container restarts and is lost when the pod is deleted.",
    defaults: '',
    observe: 'file written by one container read by another, before and after restart',
    docs: ['VOLUMES'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'DNS-1',
    family: anatomy,
    statement:
      "dnsPolicy ClusterFirst resolves cluster names and forwards others; Default uses the node's resolver; None uses dnsConfig; hostNetwork pods need ClusterFirstWithHostNet for cluster names.",
    defaults: '',
    observe: 'resolv.conf and lookups inside the pod',
    docs: ['DNS'],
    upstreamTest: 'test/e2e/network/dns.go',
    timing: undefined,
  },
  {
    id: 'DNS-2',
    family: anatomy,
    statement:
      'A pod has a DNS A record <ip-with-dashes>.<namespace>.pod.<cluster-domain> answering its IP (when the DNS server serves pod records).',
    defaults: 'CoreDNS kubernetes plugin: pods insecure in the kubeadm default Corefile',
    observe: 'lookup of the pod record from inside a pod, the coredns Corefile',
    docs: ['PODDNS'],
    upstreamTest: 'test/e2e/network/dns.go',
    timing: undefined,
  },
  {
    id: 'SA-1',
    family: anatomy,
    statement:
      'serviceAccountName sets the identity whose token is mounted at /var/run/secrets/kubernetes.io/serviceaccount (unless automount is off).',
    defaults: '',
    observe: 'mounted token, API call as that account',
    docs: ['SA'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'STA-1',
    family: anatomy,
    statement:
      'A static pod is run by the kubelet from a manifest file; its mirror pod in the API cannot remove it: deleting the mirror makes the kubelet recreate it.',
    defaults: '',
    observe: 'mirror pod annotation kubernetes.io/config.mirror, recreation',
    docs: ['STATIC'],
    upstreamTest: undefined,
    timing: undefined,
  },
] as const satisfies readonly LawDefinition[];
