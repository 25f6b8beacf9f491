/**
 * Deciding whether an owner whose last beat is recent is alive. Pure.
 *
 * A fresh renewTime alone does not prove a live owner: a run killed a second ago still
 * has one, and the run that starts next would leave its namespaces and its paused node
 * alone. So, as client-go's leader election does (it trusts the renewals it observes,
 * not the timestamps), a collection proves each not-yet-stale owner alive by seeing it
 * renew — a live owner does so within one renewal period — and otherwise waits until
 * its heartbeat is stale by its own bound. This also makes "live" independent of clock
 * skew between the collecting host and the owner's.
 */
import type { V1Lease, V1Namespace } from '@kubernetes/client-node';
import { livenessOf } from './heartbeat.ts';

export interface PendingOwner {
  readonly namespace: string;
  /** The renewTime seen in the first listing, as the API returned it; undefined when there was no Lease yet. */
  readonly renewTime: string | undefined;
  /** When the owner is stale if it never renews: its last beat plus its bound. */
  readonly staleAtMs: number;
}

function renewTimeOf(lease: V1Lease | undefined): string | undefined {
  const value: unknown = lease?.spec?.renewTime;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : undefined;
}

export function leaseByNamespace(leases: readonly V1Lease[]): Map<string, V1Lease> {
  return new Map(leases.filter((l) => l.metadata?.namespace !== undefined).map((l) => [l.metadata?.namespace ?? '', l]));
}

/** Owners that look alive at `nowMs` and must be seen renewing before they count as alive. */
export function pendingOwners(namespaces: readonly V1Namespace[], leases: readonly V1Lease[], nowMs: number): PendingOwner[] {
  const byNamespace = leaseByNamespace(leases);
  return namespaces.flatMap((ns) => {
    const name = ns.metadata?.name ?? '';
    const lease = byNamespace.get(name);
    const liveness = livenessOf(ns, lease, nowMs);
    if (liveness.kind !== 'live') return [];
    return [{ namespace: name, renewTime: renewTimeOf(lease), staleAtMs: liveness.lastBeatAt.getTime() + liveness.boundMs }];
  });
}

/** The pending owners seen renewing since the first listing. */
export function renewedOwners(pending: readonly PendingOwner[], leases: readonly V1Lease[]): Set<string> {
  const byNamespace = leaseByNamespace(leases);
  return new Set(
    pending
      .filter((p) => {
        const now = renewTimeOf(byNamespace.get(p.namespace));
        return now !== undefined && now !== p.renewTime;
      })
      .map((p) => p.namespace),
  );
}

/** How long to wait at most: until the last pending owner would be stale, plus a second to be past it. */
export function settleDeadlineMs(pending: readonly PendingOwner[]): number | undefined {
  if (pending.length === 0) return undefined;
  return Math.max(...pending.map((p) => p.staleAtMs)) + 1_000;
}
