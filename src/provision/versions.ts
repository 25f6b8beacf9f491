/**
 * Every pinned version the cluster build depends on. Each build step's cache key is
 * made of the pins it reads (and of its own recipe revision), so changing one pin
 * rebuilds only what depends on it.
 */
export const versions = {
  kubernetes: 'v1.36.3',
  /** Published version of the k8s.io/* staging modules that match `kubernetes`. */
  kubernetesStaging: 'v0.36.3',
  kind: 'v0.33.0',
  containerd: 'v2.3.4',
  runc: 'v1.4.3',
  criTools: 'v1.36.0',
  cniPlugins: 'v1.9.1',
  /** Newest go.k6.io/k6 whose module zip the proxy here serves (go list shows only v0.52.0 and v1.8.1; @latest = v1.8.1). */
  k6: 'v1.8.1',
  /** etcd server, built from go.etcd.io/etcd/server/v3; kubeadm v1.36.3's DefaultEtcdVersion is 3.6.8-0. */
  etcd: 'v3.6.8',
  /** Image revision suffix kubeadm adds to the etcd version in its image tag. */
  etcdImageRevision: '0',
  /** kubeadm v1.36.3's CoreDNSVersion. */
  coredns: 'v1.14.2',
  /** kubeadm v1.36.3's PauseVersion; built from build/pause/linux/pause.c of the kubernetes module. */
  pause: '3.10.2',
  /** test/images/agnhost/VERSION in the kubernetes module at `kubernetes`. */
  agnhost: '2.63.0',
  /** Debian package that provides a static /bin/busybox; its version is whatever `debianSuite` publishes (resolved per build, part of the cache key). */
  busyboxDebianPackage: 'busybox-static',
  debianSuite: 'bookworm',
  debianMirror: 'http://deb.debian.org/debian',
} as const;

export type Versions = typeof versions;
