/**
 * What a collection removes, from one listing of what podlaw left on a cluster. Pure.
 *
 * Two scopes:
 * - `stale-runs`, at the start of every run: namespaces whose owner heartbeat is stale,
 *   and leftover faults no live run claims. Live runs' namespaces are never touched, and
 *   namespaces whose liveness is unknown (no heartbeat) are left for `podlaw clean`; while
 *   any of those exist, leftover faults are left too, since their runs may own them.
 * - `everything`, for `podlaw clean`: every podlaw namespace, cluster-scoped object and
 *   leftover fault, except what a live run holds, which is refused unless forced.
 */
import type { V1Lease, V1Namespace } from '@kubernetes/client-node';
import { runLabels } from '../run-naming.ts';
import { livenessOf, ownerLeaseName, parseClaims, staleAfterMs, staleBoundName } from './heartbeat.ts';
import type { FaultClaim, Liveness } from './heartbeat.ts';

export type CollectionScope = 'stale-runs' | 'everything';

export interface LeftoverTrace {
  readonly kind: string;
  readonly target: string;
  readonly description: string;
}

/** A cluster-scoped object podlaw labelled (managed-by=podlaw). */
export interface ClusterObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly runId: string | undefined;
  /** creationTimestamp in ms; 0 when unknown. */
  readonly createdMs: number;
}

export interface Listing<L extends LeftoverTrace> {
  /** Namespaces labelled app.kubernetes.io/managed-by=podlaw. */
  readonly namespaces: readonly V1Namespace[];
  /** Owner Leases (podlaw-owner) in those namespaces. */
  readonly leases: readonly V1Lease[];
  readonly leftovers: readonly L[];
  readonly clusterObjects: readonly ClusterObject[];
}

export type Action = 'remove' | 'keep';

export interface Decision<T> {
  readonly item: T;
  readonly action: Action;
  readonly reason: string;
  /** Kept only because a live run holds it: `podlaw clean --force` would remove it. */
  readonly refusedLive: boolean;
}

export interface NamespaceItem {
  readonly name: string;
  readonly runId: string | undefined;
  readonly liveness: Liveness;
  /** Already being deleted (deletionTimestamp set). */
  readonly terminating: boolean;
}

export interface CollectionPlan<L extends LeftoverTrace> {
  readonly namespaces: readonly Decision<NamespaceItem>[];
  readonly leftovers: readonly Decision<L>[];
  readonly clusterObjects: readonly Decision<ClusterObject>[];
}

export interface PlanOptions {
  readonly scope: CollectionScope;
  readonly force: boolean;
  readonly nowMs: number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function describeLiveness(liveness: Liveness): string {
  if (liveness.kind === 'unknown') return 'no owner heartbeat (made by a podlaw without heartbeats), so whether its run lives is unknown';
  const holder = liveness.holder !== undefined ? ` ${liveness.holder}` : '';
  const verb = liveness.kind === 'live' ? 'renewed' : 'stopped renewing';
  return `owner${holder} ${verb} ${seconds(liveness.ageMs)} ago (stale after ${seconds(liveness.boundMs)}: ${staleBoundName})`;
}

interface Claimant {
  readonly namespace: string;
  readonly runId: string | undefined;
  readonly claims: readonly FaultClaim[];
  /** Claims that cannot be read are taken to claim everything: never guess a live run's faults away. */
  readonly claimsEverything: boolean;
}

function liveClaimants(namespaces: readonly NamespaceItem[], leases: ReadonlyMap<string, V1Lease>): Claimant[] {
  return namespaces
    .filter((ns) => ns.liveness.kind === 'live')
    .map((ns) => {
      const { claims, unreadable } = parseClaims(leases.get(ns.name));
      return { namespace: ns.name, runId: ns.runId, claims, claimsEverything: unreadable };
    });
}

function claimantOf(trace: LeftoverTrace, claimants: readonly Claimant[]): Claimant | undefined {
  return claimants.find((c) => c.claimsEverything || c.claims.some((claim) => claim.kind === trace.kind && claim.target === trace.target));
}

export function planCollection<L extends LeftoverTrace>(listing: Listing<L>, options: PlanOptions): CollectionPlan<L> {
  const leases = new Map<string, V1Lease>();
  for (const lease of listing.leases) {
    if (lease.metadata?.name === ownerLeaseName && lease.metadata.namespace !== undefined) leases.set(lease.metadata.namespace, lease);
  }
  const everything = options.scope === 'everything';
  const keep = <T>(item: T, reason: string, refusedLive = false): Decision<T> => ({ item, action: 'keep', reason, refusedLive });
  const remove = <T>(item: T, reason: string): Decision<T> => ({ item, action: 'remove', reason, refusedLive: false });

  const items: { item: NamespaceItem; terminating: boolean }[] = listing.namespaces.map((ns) => {
    const name = ns.metadata?.name ?? '';
    const terminating = ns.metadata?.deletionTimestamp !== undefined;
    return {
      item: { name, runId: ns.metadata?.labels?.[runLabels.runId], liveness: livenessOf(ns, leases.get(name), options.nowMs), terminating },
      terminating,
    };
  });

  const namespaces = items.map(({ item, terminating }): Decision<NamespaceItem> => {
    const why = describeLiveness(item.liveness);
    if (terminating) return keep(item, `already being deleted; ${why}`);
    switch (item.liveness.kind) {
      case 'stale':
        return remove(item, why);
      case 'live':
        if (everything && options.force) return remove(item, `${why}; removed anyway (--force)`);
        return keep(item, why, everything);
      case 'unknown':
        return everything ? remove(item, why) : keep(item, `${why}; podlaw clean removes it`);
    }
  });

  const claimants = liveClaimants(
    items.map((i) => i.item),
    leases,
  );
  const unknownOwners = items.filter((i) => !i.terminating && i.item.liveness.kind === 'unknown').map((i) => i.item.name);
  const leftovers = listing.leftovers.map((trace): Decision<L> => {
    const claimant = claimantOf(trace, claimants);
    if (claimant !== undefined) {
      const why = `claimed by the live run ${claimant.runId ?? '?'} (namespace ${claimant.namespace})`;
      if (everything && options.force) return remove(trace, `${why}; recovered anyway (--force)`);
      return keep(trace, why, everything);
    }
    if (!everything && unknownOwners.length > 0) {
      const which = `${unknownOwners.length} podlaw namespace(s) without heartbeat exist (${unknownOwners.join(', ')})`;
      return keep(trace, `no live run claims it, but ${which} and their runs may own it; podlaw clean removes both`);
    }
    return remove(trace, 'no live run claims it');
  });

  const liveRuns = new Set(claimants.map((c) => c.runId).filter((r) => r !== undefined));
  // A run is proven dead when it has a namespace whose heartbeat went stale and none that is live or without heartbeat:
  // the run-start collection removes that run's cluster-scoped objects too (a killed run's PriorityClass). An object
  // whose run has no namespace at all is an orphan once it is older than a heartbeat's staleness: podlaw's tests create
  // cluster-scoped objects inside a test whose namespace exists until the object is deleted (an interrupted teardown
  // that deleted the namespace but not the object left one, seen in bench interrupts).
  const runsOf = (kind: 'stale' | 'live' | 'unknown'): Set<string | undefined> =>
    new Set(items.filter((i) => i.item.liveness.kind === kind).map((i) => i.item.runId));
  const [staleRuns, liveOrUnknown] = [runsOf('stale'), new Set([...runsOf('live'), ...runsOf('unknown')])];
  const withNamespace = new Set(items.map((i) => i.item.runId));
  const provenDead = (runId: string | undefined): boolean => runId !== undefined && staleRuns.has(runId) && !liveOrUnknown.has(runId);
  const orphaned = (object: ClusterObject): boolean =>
    object.runId !== undefined && !withNamespace.has(object.runId) && options.nowMs - object.createdMs > staleAfterMs;
  const staleReason = (object: ClusterObject): string | undefined =>
    provenDead(object.runId)
      ? `its run ${object.runId ?? '?'} is dead (heartbeat stale)`
      : orphaned(object)
        ? `its run ${object.runId ?? '?'} has no namespace left (created ${Math.round((options.nowMs - object.createdMs) / 1000)} s ago)`
        : undefined;
  const clusterObjects = listing.clusterObjects.flatMap((object): Decision<ClusterObject>[] => {
    if (!everything) {
      const reason = staleReason(object);
      return reason !== undefined ? [remove(object, reason)] : [];
    }
    if (object.runId !== undefined && liveRuns.has(object.runId)) {
      if (options.force) return [remove(object, `its run ${object.runId} is live; removed anyway (--force)`)];
      return [keep(object, `its run ${object.runId} is live`, true)];
    }
    return [remove(object, object.runId !== undefined ? `its run ${object.runId} is not live` : 'labelled by podlaw, no run id')];
  });

  return { namespaces, leftovers, clusterObjects };
}

/** Everything the plan refuses because a live run holds it. */
export function refusedLive<L extends LeftoverTrace>(plan: CollectionPlan<L>): string[] {
  return [
    ...plan.namespaces.filter((d) => d.refusedLive).map((d) => `namespace ${d.item.name}`),
    ...plan.leftovers.filter((d) => d.refusedLive).map((d) => d.item.description),
    ...plan.clusterObjects.filter((d) => d.refusedLive).map((d) => `${d.item.kind} ${d.item.name}`),
  ];
}
