/**
 * What a game day sees, once a second: the watched nodes' conditions and taints, the
 * target namespace's pods by phase, the Service's ready endpoints, the load's error rate.
 * `readSnapshot` reads the cluster; `observedEvents` (pure) turns the snapshots into the
 * moments the predicted events happened. Times come from the objects themselves where the
 * API stores them (Ready lastTransitionTime, taint timeAdded, deletionTimestamp: 1 s
 * resolution); where it does not (an endpoint turning not ready, a taint removed), from
 * the first snapshot that shows it (1 s sampling).
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { nodeReadyStatus } from '../kube/node-status.ts';
import { isPodReady, podCondition } from '../kube/pod-status.ts';
import type { EventKey, PredictedEvent } from './predict.ts';

export interface NodeView {
  readonly name: string;
  readonly ready: string;
  readonly readySinceMs: number | undefined;
  readonly memoryPressure: string | undefined;
  readonly memoryPressureSinceMs: number | undefined;
  /** unreachable/not-ready NoExecute taint's timeAdded, when present. */
  readonly noExecuteSinceMs: number | undefined;
  readonly unreachableTainted: boolean;
}

export interface PodView {
  readonly name: string;
  readonly node: string | undefined;
  readonly phase: string;
  readonly ready: boolean;
  readonly readySinceMs: number | undefined;
  readonly createdMs: number;
  /** When the deletion was requested: deletionTimestamp less deletionGracePeriodSeconds (the API sets it to request + grace). */
  readonly deletionMs: number | undefined;
  readonly evicted: boolean;
}

export interface EndpointView {
  readonly pod: string | undefined;
  readonly node: string | undefined;
  readonly ready: boolean;
}

export interface Snapshot {
  readonly atMs: number;
  readonly nodes: readonly NodeView[];
  readonly pods: readonly PodView[];
  readonly endpoints: readonly EndpointView[];
}

const ms = (value: Date | string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

export function nodeView(node: V1Node): NodeView {
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const memory = conditions.find((c) => c.type === 'MemoryPressure');
  const taints = node.spec?.taints ?? [];
  const unreachable = taints.filter((t) => t.key === 'node.kubernetes.io/unreachable' || t.key === 'node.kubernetes.io/not-ready');
  const noExecute = unreachable.find((t) => t.effect === 'NoExecute');
  return {
    name: node.metadata?.name ?? '',
    ready: nodeReadyStatus(node) ?? 'none',
    readySinceMs: ms(ready?.lastTransitionTime),
    memoryPressure: memory?.status,
    memoryPressureSinceMs: ms(memory?.lastTransitionTime),
    noExecuteSinceMs: noExecute === undefined ? undefined : ms(noExecute.timeAdded),
    unreachableTainted: unreachable.length > 0,
  };
}

/**
 * The API server sets deletionTimestamp to the request time plus the grace period
 * (registry/core/pod strategy: BeforeDelete → now + gracePeriodSeconds), so the moment the
 * deletion was requested is deletionTimestamp − deletionGracePeriodSeconds.
 */
export function deletionRequestedMs(pod: V1Pod): number | undefined {
  const at = ms(pod.metadata?.deletionTimestamp);
  if (at === undefined) return undefined;
  return at - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
}

export function podView(pod: V1Pod): PodView {
  const ready = podCondition(pod, 'Ready');
  return {
    name: pod.metadata?.name ?? '',
    node: pod.spec?.nodeName,
    phase: pod.status?.phase ?? 'Unknown',
    ready: isPodReady(pod),
    readySinceMs: ready?.status === 'True' ? ms(ready.lastTransitionTime) : undefined,
    createdMs: ms(pod.metadata?.creationTimestamp) ?? 0,
    deletionMs: deletionRequestedMs(pod),
    evicted: pod.status?.reason === 'Evicted',
  };
}

export async function readSnapshot(kube: KubeClients, namespace: string, service: string, nodes: readonly string[]): Promise<Snapshot> {
  const atMs = Date.now();
  const [nodeList, podList, slices] = await Promise.all([
    kube.core.listNode(),
    kube.core.listNamespacedPod({ namespace }),
    kube.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${service}` }),
  ]);
  return {
    atMs,
    nodes: nodeList.items.filter((n) => nodes.includes(n.metadata?.name ?? '')).map(nodeView),
    pods: podList.items.map(podView),
    endpoints: slices.items.flatMap((s) =>
      (s.endpoints ?? []).map((e) => ({ pod: e.targetRef?.name, node: e.nodeName, ready: e.conditions?.ready === true })),
    ),
  };
}

export function readyEndpoints(s: Snapshot): number {
  return s.endpoints.filter((e) => e.ready).length;
}

export function podsByPhase(s: Snapshot): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of s.pods) {
    const key = p.deletionMs !== undefined ? 'Terminating' : p.phase === 'Running' && !p.ready ? 'Running/NotReady' : p.phase;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** How an observed moment was read: from a stored timestamp or from the first snapshot showing it. */
export type ObservedBy = 'timestamp' | 'sample';

export interface ObservedEvent {
  readonly atMs: number;
  readonly by: ObservedBy;
  readonly detail: string;
}

/** One fault's injection (and recovery) for matching. */
export interface FaultTimes {
  readonly step: string;
  readonly injectedAtMs: number;
  readonly recoveredAtMs: number | undefined;
}

/** The first moment a predicted event shows in the snapshots, or undefined. Pure. */
export function observeEvent(event: PredictedEvent, fault: FaultTimes, snapshots: readonly Snapshot[]): ObservedEvent | undefined {
  const t0 = fault.injectedAtMs;
  const after = snapshots.filter((s) => s.atMs >= t0);
  const node = (s: Snapshot): NodeView | undefined => s.nodes.find((n) => n.name === event.node);
  const first = <T>(pick: (s: Snapshot) => T | undefined): { s: Snapshot; v: T } | undefined => {
    for (const s of after) {
      const v = pick(s);
      if (v !== undefined) return { s, v };
    }
    return undefined;
  };
  const key: EventKey = event.key;
  switch (key) {
    case 'node-unknown': {
      const hit = first((s) => (node(s)?.ready === 'Unknown' ? node(s) : undefined));
      return hit === undefined ? undefined : stamped(hit.v.readySinceMs, hit.s.atMs, 'Ready=Unknown lastTransitionTime');
    }
    case 'endpoints-not-ready': {
      const hit = first((s) => (s.endpoints.some((e) => e.node === event.node && !e.ready) ? s : undefined));
      return hit === undefined ? undefined : { atMs: hit.s.atMs, by: 'sample', detail: `endpoint on ${event.node ?? ''} not ready` };
    }
    case 'noexecute-taint': {
      const hit = first((s) => node(s)?.noExecuteSinceMs);
      return hit === undefined ? undefined : stamped(hit.v, hit.s.atMs, 'taint timeAdded');
    }
    case 'pods-marked-for-deletion': {
      const hit = first((s) => s.pods.find((p) => p.node === event.node && p.deletionMs !== undefined && p.deletionMs >= t0 - 1000));
      return hit === undefined ? undefined : stamped(hit.v.deletionMs, hit.s.atMs, `${hit.v.name} deletionTimestamp`);
    }
    case 'replacement-ready': {
      const hit = first((s) => s.pods.find((p) => p.createdMs >= t0 - 1000 && p.ready && p.deletionMs === undefined));
      return hit === undefined ? undefined : stamped(hit.v.readySinceMs, hit.s.atMs, `${hit.v.name} on ${hit.v.node ?? '?'} Ready`);
    }
    case 'node-ready-again': {
      if (fault.recoveredAtMs === undefined) return undefined;
      const back = fault.recoveredAtMs;
      // A node that never left Ready (the fault was recovered before the grace period) has nothing to come back from.
      const hit = first((s) => {
        const n = node(s);
        return s.atMs >= back && n?.ready === 'True' && n.readySinceMs !== undefined && n.readySinceMs >= t0 ? n : undefined;
      });
      return hit === undefined ? undefined : stamped(hit.v.readySinceMs, hit.s.atMs, 'Ready=True lastTransitionTime');
    }
    case 'taints-removed': {
      if (fault.recoveredAtMs === undefined) return undefined;
      const back = fault.recoveredAtMs;
      if (!after.some((s) => node(s)?.unreachableTainted === true)) return undefined;
      const hit = first((s) => (s.atMs >= back && node(s)?.unreachableTainted === false ? s : undefined));
      return hit === undefined ? undefined : { atMs: hit.s.atMs, by: 'sample', detail: 'no unreachable taint' };
    }
    case 'pod-deleted': {
      const hit = first((s) => s.pods.find((p) => p.deletionMs !== undefined && p.deletionMs >= t0 - 1000));
      return hit === undefined ? undefined : stamped(hit.v.deletionMs, hit.s.atMs, `${hit.v.name} deletionTimestamp`);
    }
    case 'memory-pressure': {
      const hit = first((s) => (node(s)?.memoryPressure === 'True' ? node(s) : undefined));
      return hit === undefined ? undefined : stamped(hit.v.memoryPressureSinceMs, hit.s.atMs, 'MemoryPressure lastTransitionTime');
    }
    case 'first-eviction': {
      const hit = first((s) => s.pods.find((p) => p.node === event.node && p.evicted));
      return hit === undefined ? undefined : { atMs: hit.s.atMs, by: 'sample', detail: `${hit.v.name} Evicted` };
    }
  }
}

/** A stored timestamp when there is one (and it is not older than the sample could know), else the sample time. */
function stamped(stampMs: number | undefined, sampleMs: number, detail: string): ObservedEvent {
  return stampMs === undefined ? { atMs: sampleMs, by: 'sample', detail } : { atMs: stampMs, by: 'timestamp', detail };
}
