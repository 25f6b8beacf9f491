/**
 * Where the load goes. Host placement: the Service's own NodePort (allocated by the
 * API server, so concurrent tests never collide on 30080) on the control-plane node's
 * InternalIP — a kind node address on the docker bridge, the same kube-proxy path the
 * 127.0.0.1:30080 host mapping reaches, and the node no fault ever pauses. Job
 * placement: the Service's ClusterIP from inside the cluster (no DNS on the path, so
 * a DNS hiccup is not counted as an endpoint error).
 */
import type { V1Node, V1Service } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { LoadError } from './errors.ts';

export type Placement = 'host' | 'job';

/** PODLAW_LOAD_PLACEMENT chooses; podlaw's own kind cluster defaults to the host, any other to the Job. */
export function placementFor(context: string, env: NodeJS.ProcessEnv = process.env): Placement {
  const chosen = env['PODLAW_LOAD_PLACEMENT'];
  if (chosen === 'host' || chosen === 'job') return chosen;
  return context === 'kind-podlaw' ? 'host' : 'job';
}

export function controlPlaneAddress(nodes: readonly V1Node[]): string {
  const node = nodes.find((n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined);
  const address = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (address === undefined) throw new LoadError('no control-plane node with an InternalIP: the host placement cannot reach a NodePort');
  return address;
}

export async function serviceUrl(
  kube: KubeClients,
  namespace: string,
  service: string,
  placement: Placement,
  path = '/hostname',
): Promise<string> {
  const svc: V1Service = await kube.core.readNamespacedService({ name: service, namespace });
  const port = svc.spec?.ports?.[0];
  if (placement === 'job') {
    const ip = svc.spec?.clusterIP;
    if (ip === undefined || ip === 'None' || port === undefined) throw new LoadError(`Service ${namespace}/${service} has no ClusterIP`);
    return `http://${ip}:${port.port}${path}`;
  }
  if (port?.nodePort === undefined) throw new LoadError(`Service ${namespace}/${service} has no NodePort`);
  const nodes = await kube.core.listNode();
  return `http://${controlPlaneAddress(nodes.items)}:${port.nodePort}${path}`;
}
