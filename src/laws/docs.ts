/**
 * Documentation keys of the law catalog; each expands to https://kubernetes.io/docs/ + path.
 */
export const docBase = 'https://kubernetes.io/docs/';

export const docPaths = {
  LIFECYCLE: 'concepts/workloads/pods/pod-lifecycle/',
  PROBES: 'tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  HOOKS: 'concepts/containers/container-lifecycle-hooks/',
  SIDECAR: 'concepts/workloads/pods/sidecar-containers/',
  INIT: 'concepts/workloads/pods/init-containers/',
  QOS: 'concepts/workloads/pods/pod-qos/',
  MEMORY: 'tasks/configure-pod-container/assign-memory-resource/',
  NPE: 'concepts/scheduling-eviction/node-pressure-eviction/',
  TAINTS: 'concepts/scheduling-eviction/taint-and-toleration/',
  ADMISSION: 'reference/access-authn-authz/admission-controllers/#defaulttolerationseconds',
  KCM: 'reference/command-line-tools-reference/kube-controller-manager/',
  NODESTATUS: 'reference/node/node-status/',
  DISRUPTIONS: 'concepts/workloads/pods/disruptions/',
  APIEVICT: 'concepts/scheduling-eviction/api-eviction/',
  ENDPOINTSLICE: 'concepts/services-networking/endpoint-slices/#conditions',
  STSFORCE: 'tasks/run-application/force-delete-stateful-set-pod/',
  PODNET: 'concepts/workloads/pods/#pod-networking',
  VOLUMES: 'concepts/storage/volumes/#emptydir',
  DNS: 'concepts/services-networking/dns-pod-service/#pod-s-dns-policy',
  SA: 'tasks/configure-pod-container/configure-service-account/',
  STATIC: 'tasks/configure-pod-container/static-pod/',
  HOSTNET: 'reference/kubernetes-api/workload-resources/pod-v1/',
  HOSTPORT: 'concepts/configuration/overview/#services',
  SHAREPID: 'tasks/configure-pod-container/share-process-namespace/',
  PODDNS: 'concepts/services-networking/dns-pod-service/#a-aaaa-records-1',
} as const;

export type DocKey = keyof typeof docPaths;

export function docUrl(key: DocKey): string {
  return `${docBase}${docPaths[key]}`;
}
