/**
 * API clients built from one kubeconfig file and context. Failing to load either is
 * a user error (wrong path, wrong context), reported as such.
 */
import { existsSync } from 'node:fs';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import { PodlawError } from '../errors.ts';

export interface KubeClients {
  readonly config: KubeConfig;
  readonly contextName: string;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly discovery: DiscoveryV1Api;
  readonly version: VersionApi;
  /** Generic client for manifests of any kind. */
  readonly objects: KubernetesObjectApi;
}

export function connect(kubeconfigPath: string, contextName: string): KubeClients {
  if (!existsSync(kubeconfigPath)) {
    throw new PodlawError(
      'kubeconfig',
      `kubeconfig ${kubeconfigPath} does not exist`,
      'create the cluster (npm run cluster:up) or set PODLAW_KUBECONFIG to an existing kubeconfig',
    );
  }
  const config = new KubeConfig();
  try {
    config.loadFromFile(kubeconfigPath);
  } catch (error) {
    throw new PodlawError('kubeconfig', `kubeconfig ${kubeconfigPath} cannot be read`, 'check that the file is a valid kubeconfig', {
      cause: error,
    });
  }
  if (config.getContextObject(contextName) === null) {
    const known = config.getContexts().map((c) => c.name);
    throw new PodlawError(
      'kubeconfig',
      `context ${contextName} is not in ${kubeconfigPath}`,
      `choose one of: ${known.length > 0 ? known.join(', ') : '(none)'} (--context or PODLAW_CONTEXT), or create the cluster with npm run cluster:up`,
    );
  }
  config.setCurrentContext(contextName);
  return {
    config,
    contextName,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    discovery: config.makeApiClient(DiscoveryV1Api),
    version: config.makeApiClient(VersionApi),
    objects: KubernetesObjectApi.makeApiClient(config),
  };
}

/** The clients for the harness settings: the kubeconfig's context, impersonating PODLAW_AS when set. */
export function connectAs(settings: { kubeconfigPath: string; context: string; impersonate?: string }): KubeClients {
  const kube = connect(settings.kubeconfigPath, settings.context);
  return settings.impersonate === undefined ? kube : impersonating(kube, settings.impersonate);
}

/**
 * The same cluster and credentials, acting as `user` (the Impersonate-User header): the
 * API server authorizes every request as that user, which is how the least-privilege
 * test shows what a role allows. The caller needs the `impersonate` verb on users.
 */
export function impersonating(kube: KubeClients, user: string): KubeClients {
  const cluster = kube.config.getCurrentCluster();
  const current = kube.config.getCurrentUser();
  if (cluster === null || current === null) throw new Error(`context ${kube.contextName} names no cluster or user`);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [cluster],
    users: [{ ...current, impersonateUser: user }],
    contexts: [{ name: kube.contextName, cluster: cluster.name, user: current.name }],
    currentContext: kube.contextName,
  });
  return {
    config,
    contextName: kube.contextName,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    discovery: config.makeApiClient(DiscoveryV1Api),
    version: config.makeApiClient(VersionApi),
    objects: KubernetesObjectApi.makeApiClient(config),
  };
}
