/**
 * Helpers of the Pod-anatomy laws: what a node holds (its files, its CRI sandboxes), what a pod's
 * token is answered as, and how much of a resource a node has left for a new pod.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { inNode, inNodeStatus } from '../faults/node-exec.ts';
import { effectiveRequest } from '../laws/expectations/anatomy.ts';
import { quantityBytes } from './pressure.ts';

export { readCorednsPods, parseCorefilePods } from '../cluster/coredns.ts';
export type { CorednsPods, PodsMode } from '../cluster/coredns.ts';

/** A file of a kind node (its container's filesystem), through docker exec. */
export async function nodeFile(node: string, path: string): Promise<string> {
  return inNode(node, ['cat', path]);
}

/** Whether a path exists in a kind node. */
export async function nodePathExists(node: string, path: string): Promise<boolean> {
  return (await inNodeStatus(node, ['test', '-e', path])).exitCode === 0;
}

export interface CriSandbox {
  readonly id: string;
  readonly state: string;
}

/**
 * The CRI pod sandboxes (pause containers) the node's runtime holds for one pod, read with crictl in the
 * node: the pod API has no sandbox field (ContainerStatus carries only the container's own id).
 */
export async function podSandboxes(node: string, pod: V1Pod): Promise<CriSandbox[]> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const text = await inNode(node, ['crictl', 'pods', '--namespace', namespace, '--name', name, '-o', 'json']);
  const parsed = JSON.parse(text) as { items?: { id: string; state: string; metadata?: { uid?: string } }[] };
  return (parsed.items ?? []).filter((s) => s.metadata?.uid === pod.metadata?.uid).map((s) => ({ id: s.id, state: s.state }));
}

export { k6Image } from '../load/job-k6.ts';

/** What the in-pod SelfSubjectReview (fixtures/anatomy/service-account-whoami.yaml) printed: HTTP status and the user. */
export interface InPodReview {
  readonly status: number;
  readonly error: string;
  readonly username: string;
  readonly groups: readonly string[];
}

/** Parses the whoami pod's stdout: one JSON line {status, error, body} with the review as body (pure). */
export function parseInPodReview(log: string): InPodReview {
  const line = log
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('{') && l.includes('"status"'));
  if (line === undefined) throw new Error(`no review line in the pod's output: ${log.slice(0, 500)}`);
  const answer = JSON.parse(line) as { status?: number; error?: string; body?: string | null };
  const review = (answer.body !== undefined && answer.body !== null && answer.body !== '' ? JSON.parse(answer.body) : {}) as {
    status?: { userInfo?: { username?: string; groups?: string[] } };
  };
  return {
    status: answer.status ?? 0,
    error: answer.error ?? '',
    username: review.status?.userInfo?.username ?? '',
    groups: review.status?.userInfo?.groups ?? [],
  };
}

/** The claims of a JWT's payload (not verified: the API server's answer is what proves the token). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The node's InternalIP (status.addresses). */
export function nodeInternalIp(node: V1Node): string {
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (address === undefined) throw new Error(`node ${node.metadata?.name ?? '?'} has no InternalIP`);
  return address;
}

/** A pod's effective memory request in bytes (max(largest init, sum of app), sidecars included) plus its overhead. */
export function podMemoryRequestBytes(pod: V1Pod): number {
  const bytes = (q: string | undefined): number => (q === undefined ? 0 : quantityBytes(q));
  const init = (pod.spec?.initContainers ?? []).map((c) => ({
    request: bytes(c.resources?.requests?.['memory']),
    restartable: c.restartPolicy === 'Always',
  }));
  const app = (pod.spec?.containers ?? []).map((c) => bytes(c.resources?.requests?.['memory']));
  return effectiveRequest(init, app).effective + bytes(pod.spec?.overhead?.['memory']);
}

export interface NodeMemoryRoom {
  readonly allocatableBytes: number;
  readonly requestedBytes: number;
  readonly freeBytes: number;
  readonly pods: number;
}

/** The node's allocatable memory minus what its non-terminal pods request, as the scheduler's NodeResourcesFit counts it. */
export async function nodeMemoryRoom(kube: KubeClients, nodeName: string): Promise<NodeMemoryRoom> {
  const node = await kube.core.readNode({ name: nodeName });
  const allocatableBytes = quantityBytes(node.status?.allocatable?.['memory'] ?? '0');
  const pods = (await kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` })).items.filter(
    (p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  const requestedBytes = pods.reduce((sum, p) => sum + podMemoryRequestBytes(p), 0);
  return { allocatableBytes, requestedBytes, freeBytes: allocatableBytes - requestedBytes, pods: pods.length };
}

/** The worker labelled podlaw.dev/role=general (where ordinary law pods run), or undefined on a cluster without one. */
export async function generalWorker(kube: KubeClients): Promise<V1Node | undefined> {
  return (await kube.core.listNode({ labelSelector: 'podlaw.dev/role=general' })).items[0];
}

/** The text of a container's log (its current instance, or the previous one). */
export async function containerLog(kube: KubeClients, pod: V1Pod, container: string, previous = false): Promise<string> {
  const log: unknown = await kube.core.readNamespacedPodLog({
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    container,
    previous,
  });
  return typeof log === 'string' ? log : JSON.stringify(log);
}

export { formatResolvConf, nslookupAddresses, parseResolvConf, pingResolvedAddress } from '../cluster/resolv-conf.ts';
export type { ResolvConf } from '../cluster/resolv-conf.ts';

/** A command's output in a kind node (its own namespaces), through docker exec. */
export async function inNodeText(node: string, args: readonly string[]): Promise<string> {
  return inNode(node, args);
}
