/**
 * The image names the cluster uses, exactly as kubeadm v1.36.3 asks for them
 * (`kubeadm config images list`) and as podlaw's fixtures reference them.
 */
import { versions } from '../versions.ts';

export const imageRefs = {
  etcd: `registry.k8s.io/etcd:${versions.etcd.replace(/^v/, '')}-${versions.etcdImageRevision}`,
  coredns: `registry.k8s.io/coredns/coredns:${versions.coredns}`,
  pause: `registry.k8s.io/pause:${versions.pause}`,
  kubeApiserver: `registry.k8s.io/kube-apiserver:${versions.kubernetes}`,
  kubeControllerManager: `registry.k8s.io/kube-controller-manager:${versions.kubernetes}`,
  kubeScheduler: `registry.k8s.io/kube-scheduler:${versions.kubernetes}`,
  /** Built by the node-image step (it needs iptables/nft from the node root fs), named here so all names live in one place. */
  kubeProxy: `registry.k8s.io/kube-proxy:${versions.kubernetes}`,
  agnhost: `registry.k8s.io/e2e-test-images/agnhost:${versions.agnhost}`,
  shell: 'podlaw.local/shell:1',
} as const;
