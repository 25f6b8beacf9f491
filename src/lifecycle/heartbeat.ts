/**
 * The owner heartbeat of a podlaw namespace, and when it is stale. Pure.
 *
 * Every namespace podlaw creates holds a coordination.k8s.io Lease, `podlaw-owner`,
 * that the process which created the namespace renews every few seconds — the same
 * object and idiom as the kubelet's node heartbeat. A Lease rather than an annotation on
 * the namespace: it is the API's type for "this holder is alive" (holderIdentity names
 * the process, leaseDurationSeconds carries the staleness bound the owner promised, so a
 * collector of another podlaw version judges by the owner's own bound), renewing it does
 * not rewrite the namespace, and `kubectl get lease -A -l app.kubernetes.io/managed-by=podlaw`
 * shows every owner and its last renewal. The renewal is a timer in the owning process,
 * so it stops with the process however that dies, kill -9 included.
 *
 * The namespace is created with the label `podlaw.dev/heartbeat=lease` before its Lease
 * exists; until the first renewal lands, its creationTimestamp is its heartbeat. A
 * podlaw namespace without that label was made by a podlaw without heartbeats: whether
 * its run lives cannot be known, so a run never collects it (podlaw clean does).
 */
import type { V1Lease, V1Namespace } from '@kubernetes/client-node';

export const ownerLeaseName = 'podlaw-owner';
export const heartbeatLabel = 'podlaw.dev/heartbeat';
export const heartbeatLabelValue = 'lease';
/** Annotation of the owner Lease: the faults its run has injected and not yet recovered. */
export const faultClaimsAnnotation = 'podlaw.dev/fault-claims';

/** The owner renews its Lease this often. */
export const renewalPeriodMs = 5_000;
/**
 * Renewals a Lease may miss before it is stale: the kubelet renews its node Lease at a
 * quarter of its duration (pkg/kubelet/kubelet.go, nodeLeaseRenewIntervalFraction 0.25).
 */
export const missedRenewals = 4;
/** A renewal request that takes longer than this is abandoned; the next one is due anyway. */
export const renewalRequestTimeoutMs = 10_000;
/**
 * Stale = no renewal for 4 renewal periods plus the longest a renewal may be in flight:
 * 4 × 5 s + 10 s = 30 s. What is at stake is one-sided: collecting a live run's namespace
 * breaks that run, collecting a dead one a little later costs nothing.
 */
export const staleAfterMs = missedRenewals * renewalPeriodMs + renewalRequestTimeoutMs;
export const staleBoundName =
  `owner heartbeat stale after ${missedRenewals} missed renewals of ${renewalPeriodMs / 1000} s` +
  ` + ${renewalRequestTimeoutMs / 1000} s request timeout`;

/** A fault a live run holds, as it would appear as a leftover. */
export interface FaultClaim {
  readonly kind: string;
  readonly target: string;
}

export type Liveness =
  | {
      readonly kind: 'live' | 'stale';
      readonly lastBeatAt: Date;
      readonly ageMs: number;
      readonly boundMs: number;
      readonly holder: string | undefined;
    }
  /** No heartbeat label: made by a podlaw without heartbeats; its run's liveness is unknown. */
  | { readonly kind: 'unknown' };

/** client-node hands a MicroTime over as a Date, or as the RFC 3339 string off the wire. */
function timeMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

export function hasHeartbeat(namespace: V1Namespace): boolean {
  return namespace.metadata?.labels?.[heartbeatLabel] === heartbeatLabelValue;
}

/**
 * Whether the namespace's owner lives at `nowMs`: its last beat is the Lease's renewTime
 * (or acquireTime), or the namespace's creation before the Lease exists; stale when that
 * is older than the bound the Lease declares (leaseDurationSeconds), else podlaw's.
 */
export function livenessOf(namespace: V1Namespace, lease: V1Lease | undefined, nowMs: number): Liveness {
  if (!hasHeartbeat(namespace)) return { kind: 'unknown' };
  const beats = [timeMs(lease?.spec?.renewTime), timeMs(lease?.spec?.acquireTime), timeMs(namespace.metadata?.creationTimestamp)];
  const known = beats.filter((t): t is number => t !== undefined);
  // A namespace without a creation time (never the case on a real API server) counts as just made.
  const last = known.length > 0 ? Math.max(...known) : nowMs;
  const declared = lease?.spec?.leaseDurationSeconds;
  const boundMs = declared !== undefined && declared > 0 ? declared * 1000 : staleAfterMs;
  const ageMs = nowMs - last;
  return { kind: ageMs > boundMs ? 'stale' : 'live', lastBeatAt: new Date(last), ageMs, boundMs, holder: lease?.spec?.holderIdentity };
}

/**
 * A MicroTime as the API server parses it (RFC 3339 with exactly six fractional digits,
 * metav1.RFC3339Micro); client-node would send a Date with three, which it rejects.
 */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function serializeClaims(claims: readonly FaultClaim[]): string {
  return JSON.stringify(claims.map((c) => ({ kind: c.kind, target: c.target })));
}

/** The claims on a Lease; unreadable claims are returned as such, so a caller can refuse to guess. */
export function parseClaims(lease: V1Lease | undefined): { readonly claims: FaultClaim[]; readonly unreadable: boolean } {
  const raw = lease?.metadata?.annotations?.[faultClaimsAnnotation];
  if (raw === undefined || raw === '') return { claims: [], unreadable: false };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return { claims: [], unreadable: true };
    const isClaim = (c: unknown): c is FaultClaim =>
      typeof c === 'object' && c !== null && typeof (c as FaultClaim).kind === 'string' && typeof (c as FaultClaim).target === 'string';
    const claims = parsed.filter(isClaim);
    return { claims, unreadable: claims.length !== parsed.length };
  } catch {
    return { claims: [], unreadable: true };
  }
}
