/**
 * What a client saw, cut by the test's own timeline: phases (before / during / after a
 * fault), errors and their window, latency percentiles, and endpoint-removal
 * propagation (the EndpointSlice change → the last request a removed pod answered).
 * Pure: the records and the times come from the runner and the watches.
 */
import { isFailure, type RequestRecord } from './records.ts';

export interface PhaseBounds {
  readonly name: string;
  /** Epoch ms, inclusive. */
  readonly fromMs: number;
  /** Epoch ms, exclusive. */
  readonly toMs: number;
}

export interface PhaseStats {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  /** First and last failing request start, when any failed. */
  readonly errorWindow: { readonly fromMs: number; readonly toMs: number } | undefined;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  /** Pods that answered, with how many requests each. */
  readonly answeredBy: Readonly<Record<string, number>>;
}

/** Nearest-rank percentile (what k6 reports for p(N) is interpolated; the difference is below one sample). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function inPhase(records: readonly RequestRecord[], phase: PhaseBounds): RequestRecord[] {
  return records.filter((r) => r.startMs >= phase.fromMs && r.startMs < phase.toMs);
}

export function phaseStats(records: readonly RequestRecord[], phase: PhaseBounds): PhaseStats {
  const mine = inPhase(records, phase);
  const failures = mine.filter(isFailure);
  const answeredBy: Record<string, number> = {};
  for (const r of mine) if (r.pod !== undefined) answeredBy[r.pod] = (answeredBy[r.pod] ?? 0) + 1;
  const latencies = mine.filter((r) => !isFailure(r)).map((r) => r.latencyMs);
  return {
    name: phase.name,
    requests: mine.length,
    errors: failures.length,
    errorWindow:
      failures.length === 0
        ? undefined
        : { fromMs: Math.min(...failures.map((r) => r.startMs)), toMs: Math.max(...failures.map((r) => r.startMs)) },
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    answeredBy,
  };
}

/** Consecutive phases from marks: [start, m1) "before", [m1, m2) "during", [m2, end] "after"… */
export function phasesFrom(
  startMs: number,
  marks: readonly { readonly name: string; readonly atMs: number }[],
  endMs: number,
  firstName = 'before',
): PhaseBounds[] {
  const bounds: PhaseBounds[] = [];
  let from = startMs;
  let name = firstName;
  for (const mark of marks) {
    bounds.push({ name, fromMs: from, toMs: mark.atMs });
    from = mark.atMs;
    name = mark.name;
  }
  bounds.push({ name, fromMs: from, toMs: endMs + 1 });
  return bounds;
}

export interface Propagation {
  readonly pod: string;
  /** When the watch saw the pod's endpoint leave service (not ready, terminating or gone). */
  readonly endpointChangeMs: number;
  /** Start of the last request the pod answered; undefined if it answered none at all. */
  readonly lastAnsweredMs: number | undefined;
  /** lastAnswered − endpointChange; negative when the data path dropped it before the watch saw the change. */
  readonly propagationMs: number | undefined;
  /** Requests the pod answered after the endpoint change. */
  readonly lateAnswers: number;
}

export function propagation(records: readonly RequestRecord[], pod: string, endpointChangeMs: number): Propagation {
  const answered = records.filter((r) => r.pod === pod).map((r) => r.startMs);
  const last = answered.length === 0 ? undefined : Math.max(...answered);
  return {
    pod,
    endpointChangeMs,
    lastAnsweredMs: last,
    propagationMs: last === undefined ? undefined : last - endpointChangeMs,
    lateAnswers: answered.filter((t) => t > endpointChangeMs).length,
  };
}

/** Start of the first answered request: before it, a new Service may not be programmed yet on the node. */
export function firstAnswerMs(records: readonly RequestRecord[]): number | undefined {
  const answered = records.filter((r) => !isFailure(r)).map((r) => r.startMs);
  return answered.length === 0 ? undefined : Math.min(...answered);
}

/** Failures starting at or after a moment: "0 errors after the endpoints were removed". */
export function failuresAfter(records: readonly RequestRecord[], atMs: number): RequestRecord[] {
  return records.filter((r) => r.startMs >= atMs && isFailure(r));
}

/** The per-request series for charts: seconds since load start, status, latency, pod. */
export function chartSeries(
  records: readonly RequestRecord[],
  startMs: number,
): { t: number; s: number; d: number; p: string | null; e?: number }[] {
  // e: k6's error code for a failed request (1211 timeout, 1212 refused, …), so a report tells one kind of failure from another.
  return records.map((r) => ({
    t: (r.startMs - startMs) / 1000,
    s: r.status,
    d: Math.round(r.latencyMs * 10) / 10,
    p: r.pod ?? null,
    ...(r.errorCode !== 0 ? { e: r.errorCode } : {}),
  }));
}
