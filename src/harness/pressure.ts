/**
 * What the node-pressure suite needs: the kubelet's summary API (the numbers its eviction
 * manager reads), the memory.available threshold of a node's evictionHard, the amount of
 * memory that keeps the node past it, and the node's MemoryPressure condition and taint.
 */
import type { V1Node, V1Pod, V1PriorityClass } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import { resourceTypes } from '../kube/resources.ts';
import { waitFor, WaitTimeoutError } from '../kube/wait.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { competitorsGoneByMs, evictionCompetitors } from '../laws/eviction-competitors.ts';
import { tolerances } from '../laws/expectation.ts';
import { inNode } from '../faults/node-exec.ts';
import { runLabels } from '../run-naming.ts';
import { podMemoryRequestBytes } from '../laws/eviction-ranking.ts';

export const memoryPressureTaintKey = 'node.kubernetes.io/memory-pressure';

export interface NodeMemorySample {
  /** When the kubelet took the sample (summary node.memory.time). */
  readonly time: string;
  readonly availableBytes: number;
  readonly workingSetBytes: number;
  /** Working set per pod in the sample, by "namespace/name". */
  readonly pods: ReadonlyMap<string, number>;
}

interface SummaryAnswer {
  readonly node?: { readonly memory?: { readonly time?: string; readonly availableBytes?: number; readonly workingSetBytes?: number } };
  readonly pods?: readonly {
    readonly podRef?: { readonly name?: string; readonly namespace?: string };
    readonly memory?: { readonly workingSetBytes?: number };
  }[];
}

/** The node's summary (/stats/summary through the API server's node proxy). */
export async function readNodeMemory(kube: KubeClients, node: string): Promise<NodeMemorySample> {
  const answer: unknown = await kube.core.connectGetNodeProxyWithPath({ name: node, path: 'stats/summary' });
  const summary = (typeof answer === 'string' ? JSON.parse(answer) : answer) as SummaryAnswer;
  const memory = summary.node?.memory;
  if (memory?.availableBytes === undefined || memory.workingSetBytes === undefined || memory.time === undefined) {
    throw new Error(`the summary of ${node} has no node memory figures`);
  }
  const pods = new Map<string, number>();
  for (const pod of summary.pods ?? []) {
    const ws = pod.memory?.workingSetBytes;
    if (ws !== undefined) pods.set(`${pod.podRef?.namespace ?? ''}/${pod.podRef?.name ?? ''}`, ws);
  }
  return { time: memory.time, availableBytes: memory.availableBytes, workingSetBytes: memory.workingSetBytes, pods };
}

const binarySuffixes: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimalSuffixes: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes memory quantity ("100Mi", "1G", "512") in bytes (pure). */
export function quantityBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i|[kMGT])?$/.exec(quantity.trim());
  if (match === null) throw new Error(`not a memory quantity: ${JSON.stringify(quantity)}`);
  const suffix = match[2] ?? '';
  const factor = binarySuffixes[suffix] ?? decimalSuffixes[suffix];
  if (factor === undefined) throw new Error(`unknown quantity suffix in ${quantity}`);
  return Math.round(Number(match[1]) * factor);
}

/** The memory.available hard threshold in bytes ("100Mi" or "10%" of capacity), or undefined when unset or "0%" (pure). */
export function memoryAvailableThresholdBytes(evictionHard: Readonly<Record<string, string>>, capacityBytes: number): number | undefined {
  const value = evictionHard['memory.available'];
  if (value === undefined) return undefined;
  if (value.endsWith('%')) {
    const share = Number(value.slice(0, -1)) / 100;
    return share > 0 ? Math.round(capacityBytes * share) : undefined;
  }
  const bytes = quantityBytes(value);
  return bytes > 0 ? bytes : undefined;
}

/**
 * How much to fill so that the node stays past its threshold even after every pod on it is
 * gone: the headroom between capacity − threshold and the node's working set without its
 * pods, plus a margin (pure).
 */
export function pressureFillBytes(input: {
  readonly capacityBytes: number;
  readonly thresholdBytes: number;
  readonly nodeWorkingSetBytes: number;
  readonly podsWorkingSetBytes: number;
  readonly marginBytes: number;
}): number {
  const allowedWorkingSet = input.capacityBytes - input.thresholdBytes;
  const withoutPods = input.nodeWorkingSetBytes - input.podsWorkingSetBytes;
  return Math.max(0, allowedWorkingSet - withoutPods) + input.marginBytes;
}

export function nodeConditionStatus(node: V1Node, type: string): string | undefined {
  return node.status?.conditions?.find((c) => c.type === type)?.status;
}

export function hasNoScheduleTaint(node: V1Node, key: string): boolean {
  return node.spec?.taints?.some((t) => t.key === key && t.effect === 'NoSchedule') === true;
}

export function memoryCapacityBytes(node: V1Node): number {
  return quantityBytes(node.status?.capacity?.['memory'] ?? '0');
}

function containerMemoryRequest(container: { resources?: { requests?: Record<string, string> } }): number {
  const request = container.resources?.requests?.['memory'];
  return request === undefined ? 0 : quantityBytes(request);
}

/** The pod's memory request as stored, computed like the kubelet (src/laws/eviction-ranking.ts). */
export function storedMemoryRequestBytes(pod: V1Pod): number {
  const overhead = pod.spec?.overhead?.['memory'];
  return podMemoryRequestBytes({
    initContainers: (pod.spec?.initContainers ?? []).map((c) => ({
      requestBytes: containerMemoryRequest(c),
      restartable: c.restartPolicy === 'Always',
    })),
    containers: (pod.spec?.containers ?? []).map((c) => ({ requestBytes: containerMemoryRequest(c) })),
    ...(overhead === undefined ? {} : { overheadBytes: quantityBytes(overhead) }),
  });
}

/**
 * Samples the node's summary until `accept` holds. The summary API cannot be watched; one
 * sample a second is far finer than the kubelet's own sampling (its eviction manager reads
 * every 10 s), and the wait is bounded by a named timeout whose error carries the last sample.
 */
export async function waitForNodeMemory(
  kube: KubeClients,
  node: string,
  accept: (sample: NodeMemorySample) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<NodeMemorySample> {
  const deadline = Date.now() + timeout.ms;
  let last: NodeMemorySample | undefined;
  for (;;) {
    last = await readNodeMemory(kube, node);
    if (accept(last)) return last;
    if (Date.now() >= deadline) {
      const { pods, ...figures } = last;
      throw new WaitTimeoutError(`${description} (summary of ${node})`, timeout, { ...figures, pods: Object.fromEntries(pods) });
    }
    await new Promise((resolve) => setTimeout(resolve, summarySamplePeriodMs));
  }
}

const summarySamplePeriodMs = 1_000;

/** What stood between the test and a node whose evictable pods are its own. */
export type NodeClearance =
  | { readonly kind: 'clear'; readonly waitedMs: number; readonly left: readonly string[] }
  /** Pods podlaw did not create: podlaw neither waits for them nor evicts them. */
  | { readonly kind: 'foreign'; readonly pods: readonly string[] }
  /** Pods of another podlaw namespace that nothing is deleting (a live run, or one `podlaw clean` removes). */
  | { readonly kind: 'held'; readonly pods: readonly string[] };

/**
 * Waits until the only pods the eviction manager could pick on the node are the test's own. Pods of other
 * podlaw namespaces that are being deleted (a dead run's, or a finished test's still in its preStop) are
 * waited out within their grace; any other pod is reported, since waiting would not make it leave.
 */
export async function waitForOwnEvictablePods(kube: KubeClients, node: string, namespace: string): Promise<NodeClearance> {
  const podlaw = (await kube.core.listNamespace({ labelSelector: `${runLabels.managedBy}=podlaw` })).items;
  const podlawNamespaces = new Set(podlaw.map((n) => n.metadata?.name));
  const deletedNamespaces = new Set(
    podlaw.filter((n) => n.metadata?.deletionTimestamp !== undefined || n.status?.phase === 'Terminating').map((n) => n.metadata?.name),
  );
  const pods = new ResumableWatch<V1Pod>(kube, resourceTypes.pod, { fieldSelector: `spec.nodeName=${node}` });
  await pods.start();
  try {
    const started = Date.now();
    const first = evictionCompetitors(pods.objects(), namespace);
    const named = (list: readonly V1Pod[]): string[] => list.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    const foreign = first.filter((p) => !podlawNamespaces.has(p.metadata?.namespace));
    if (foreign.length > 0) return { kind: 'foreign', pods: named(foreign) };
    const held = first.filter((p) => p.metadata?.deletionTimestamp === undefined && !deletedNamespaces.has(p.metadata?.namespace));
    if (held.length > 0) return { kind: 'held', pods: named(held) };
    if (first.length === 0) return { kind: 'clear', waitedMs: 0, left: [] };
    // The bound follows the pods: a container that starts after this moment starts its grace then, so on a
    // timeout the bound is recomputed from what the watch holds, and only a bound that did not move is final.
    let goneBy = competitorsGoneByMs(first, started);
    for (;;) {
      const budgetMs = goneBy - Date.now() + tolerances.statusPropagation.ms;
      try {
        await waitFor(pods, (all) => (evictionCompetitors(all, namespace).length === 0 ? true : undefined), {
          description: `pods of other podlaw namespaces gone from ${node}`,
          timeout: namedTimeout(
            'their grace periods (deletionGracePeriodSeconds, else terminationGracePeriodSeconds) from the kill (deletion or container start, whichever is later) + preStop extension 2 s + status propagation 5 s',
            Math.max(0, budgetMs),
          ),
          lastSeen: () => named(evictionCompetitors(pods.objects(), namespace)),
        });
        break;
      } catch (error) {
        // Anchored at the same start: a container still being created cannot move the bound forever.
        const later = competitorsGoneByMs(evictionCompetitors(pods.objects(), namespace), started);
        if (!(error instanceof WaitTimeoutError) || later <= goneBy) throw error;
        goneBy = later;
      }
    }
    return { kind: 'clear', waitedMs: Date.now() - started, left: named(first) };
  } finally {
    await pods.stop();
  }
}

/**
 * A PriorityClass for one test, labelled like every cluster-scoped object podlaw makes, so a dead run's is found.
 * Created through the test's object factory, so its teardown deletes it even when the run is interrupted (SIGINT
 * ends the test body, not its fixtures: a `finally` in the body never ran, seen in bench interrupts).
 */
export function priorityClass(name: string, value: number, runId: string): V1PriorityClass {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, labels: { [runLabels.managedBy]: 'podlaw', [runLabels.runId]: runId } },
    value,
    description: 'podlaw test fixture',
  };
}

/** The capability bounding set of the node container's init (CapBnd of /proc/1/status), e.g. 0x00000000a80425fb. */
export async function nodeBoundingCapabilities(node: string): Promise<bigint> {
  const status = await inNode(node, ['cat', '/proc/1/status']);
  const hex = /^CapBnd:\s+([0-9a-f]+)$/m.exec(status)?.[1];
  if (hex === undefined) throw new Error(`no CapBnd line in /proc/1/status of ${node}`);
  return BigInt(`0x${hex}`);
}

/** linux/capability.h: CAP_SYS_RESOURCE, needed to lower a process's oom_score_adj. */
export const capSysResource = 24n;
