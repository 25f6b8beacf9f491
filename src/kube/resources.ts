/**
 * The resource types podlaw lists and watches, and the REST paths they live at.
 */
export interface ResourceType {
  /** `v1` for the core group, `group/version` otherwise. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Lower-case plural as used in REST paths. */
  readonly plural: string;
  readonly namespaced: boolean;
}

export const resourceTypes = {
  pod: { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  node: { apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false },
  event: { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  service: { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  namespace: { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  endpointSlice: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  statefulSet: { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
} as const satisfies Record<string, ResourceType>;

/** REST path of a collection: `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/deployments`. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const root = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  if (type.namespaced && namespace !== undefined) return `${root}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`;
  return `${root}/${type.plural}`;
}
