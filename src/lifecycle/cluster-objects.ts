/**
 * Cluster-scoped objects podlaw labelled (app.kubernetes.io/managed-by=podlaw), of any
 * type the cluster serves: found through API discovery, so a type a future suite
 * creates (a PriorityClass, a RuntimeClass…) is cleaned without a list to keep up.
 */
import { request } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { runLabels } from '../run-naming.ts';
import type { ClusterObject } from './collection-plan.ts';

interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface ResourceType {
  readonly apiVersion: string;
  readonly kind: string;
}

const discoveryTimeoutMs = 10_000;

async function getJson(kube: KubeClients, path: string): Promise<unknown> {
  const server = kube.config.getCurrentCluster()?.server;
  if (server === undefined) throw new Error(`context ${kube.contextName} names no cluster`);
  const url = new URL(path, server);
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await kube.config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, timeout: discoveryTimeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${response.statusCode ?? '?'} ${body.slice(0, 200)}`));
        else resolve(JSON.parse(body));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${discoveryTimeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Cluster-scoped, listable and deletable types (subresources excluded), at each group's
 * preferred version. Namespaces are not among them: their owners' heartbeats decide.
 */
export async function clusterScopedTypes(kube: KubeClients): Promise<ResourceType[]> {
  const groups = (await getJson(kube, '/apis')) as { groups: { preferredVersion: { groupVersion: string } }[] };
  const groupVersions = ['v1', ...groups.groups.map((g) => g.preferredVersion.groupVersion)];
  const lists = await Promise.all(
    groupVersions.map(async (gv) => {
      const list = (await getJson(kube, gv === 'v1' ? '/api/v1' : `/apis/${gv}`)) as { resources: ApiResource[] };
      return { gv, list };
    }),
  );
  return lists.flatMap(({ gv, list }) =>
    list.resources
      .filter((r) => !r.namespaced && !r.name.includes('/') && r.verbs.includes('list') && r.verbs.includes('delete'))
      .filter((r) => !(gv === 'v1' && r.kind === 'Namespace'))
      .map((r) => ({ apiVersion: gv, kind: r.kind })),
  );
}

/** The cluster-scoped kinds podlaw's tests create (node-pressure's PriorityClasses): all a run-start collection lists. */
export const createdClusterScopedTypes: readonly ResourceType[] = [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass' }];

/** podlaw-labelled objects of the given cluster-scoped types; every listable and deletable type when none are given. */
export async function listClusterObjects(kube: KubeClients, only?: readonly ResourceType[]): Promise<ClusterObject[]> {
  const types = only ?? (await clusterScopedTypes(kube));
  const found = await Promise.all(
    types.map(async (type) => {
      const selector = `${runLabels.managedBy}=podlaw`;
      const list = await kube.objects.list<KubernetesObject>(
        type.apiVersion,
        type.kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        selector,
      );
      return list.items.map((item) => ({
        apiVersion: type.apiVersion,
        kind: type.kind,
        name: item.metadata?.name ?? '',
        runId: item.metadata?.labels?.[runLabels.runId],
        createdMs: new Date(item.metadata?.creationTimestamp ?? 0).getTime(),
      }));
    }),
  );
  return found.flat();
}

export async function deleteClusterObject(kube: KubeClients, object: ClusterObject): Promise<void> {
  const spec = { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.name } };
  await unlessNotFound(() => kube.objects.delete(spec, undefined, undefined, undefined, undefined, 'Background'));
}
