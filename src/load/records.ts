/** Parsing what the k6 script prints: one line per request, and the end-of-test summary. */
import { requestLinePrefix, summaryLinePrefix } from './scenario.ts';

export interface RequestRecord {
  /** Epoch ms when the request started (the host's clock; kind nodes share it). */
  readonly startMs: number;
  /** HTTP status; 0 when no response came (refused, reset, timeout). */
  readonly status: number;
  readonly latencyMs: number;
  /** Wall time from start to the end of the request as k6's script saw it (timings stay 0 when no response came). */
  readonly elapsedMs?: number;
  /** The pod that answered (agnhost /hostname), when it answered 200. */
  readonly pod: string | undefined;
  /** k6 error code (1211 timeout, 1212 refused…), 0 when none. */
  readonly errorCode: number;
}

export function isFailure(r: RequestRecord): boolean {
  return r.status < 200 || r.status >= 400;
}

/** One log line → a record, or undefined for any other line (k6's own warnings). */
export function parseRequestLine(line: string): RequestRecord | undefined {
  const at = line.indexOf(requestLinePrefix);
  if (at < 0) return undefined;
  try {
    const raw = JSON.parse(line.slice(at + requestLinePrefix.length)) as {
      t: number;
      s: number;
      d: number;
      w?: number;
      p: string | null;
      e: number;
    };
    if (typeof raw.t !== 'number' || typeof raw.s !== 'number') return undefined;
    const record = { startMs: raw.t, status: raw.s, latencyMs: raw.d, pod: raw.p ?? undefined, errorCode: raw.e };
    return typeof raw.w === 'number' ? { ...record, elapsedMs: raw.w } : record;
  } catch {
    return undefined;
  }
}

export function parseSummaryLine(line: string): K6Summary | undefined {
  const at = line.indexOf(summaryLinePrefix);
  return at < 0 ? undefined : (JSON.parse(line.slice(at + summaryLinePrefix.length)) as K6Summary);
}

/** The part of k6's handleSummary data podlaw reads. */
export interface K6Summary {
  readonly metrics: Readonly<
    Record<
      string,
      {
        readonly type: string;
        readonly values: Readonly<Record<string, number>>;
        readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>>;
      }
    >
  >;
}

export interface ThresholdVerdict {
  /** "http_req_failed{scenario:trm4}". */
  readonly metric: string;
  /** "rate<0.01". */
  readonly expression: string;
  readonly ok: boolean;
  /** The metric's values k6 computed, for the report. */
  readonly values: Readonly<Record<string, number>>;
}

export function thresholdVerdicts(summary: K6Summary): ThresholdVerdict[] {
  return Object.entries(summary.metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([expression, t]) => ({ metric, expression, ok: t.ok, values: m.values })),
  );
}

/**
 * k6's exit codes that end a run podlaw accepts: 0, or 99 when a threshold was crossed, to the end of the
 * scenario; 105 (errext/exitcodes ExternalAbort) after the SIGINT podlaw sent to stop it early, which
 * k6 handles as a graceful stop (thresholds judged, summary written).
 */
export const k6ExitCodes = { ok: 0, thresholdsCrossed: 99, externalAbort: 105 } as const;

/**
 * How late a request's line may reach podlaw after the request ended: the VU runs the script's console.log right
 * after http.get returns (k6's per-request timeout covers the request and the body read), and every line goes
 * through one pipe in the order it was written. A second is ample; it only delays the early stop, never a verdict.
 */
export const k6LineDelayMs = 1_000;

/**
 * The start before which every request's record is in hand when k6 was stopped at \`stopAtMs\`: such a request
 * ended by its own timeout before \`stopAtMs − lineDelay\` and was logged before the stop. Later starts may have been
 * in flight at the stop, which k6 cancels without a metric and mostly without a line, while quick answers still
 * print: keeping them would leave an after phase biased toward success. Pure.
 */
export function completeBefore(stopAtMs: number, requestTimeoutMs: number, lineDelayMs = k6LineDelayMs): number {
  return stopAtMs - requestTimeoutMs - lineDelayMs;
}

/** The records of requests started before a moment, and how many later ones were left out. Pure. */
export function startedBefore(records: readonly RequestRecord[], atMs: number): { kept: RequestRecord[]; cut: number } {
  const kept = records.filter((r) => r.startMs < atMs);
  return { kept, cut: records.length - kept.length };
}

/**
 * Whether every request that started before \`untilMs\` has its record in: a request that started one
 * per-request timeout (plus the time its line takes to be printed) after it has been logged, and every
 * earlier one had ended by its own timeout before that start. Records arrive in the order requests end,
 * not start, so this is read off a later start rather than off the last line. Pure.
 */
export function everyRequestBeforeLogged(
  records: readonly RequestRecord[],
  untilMs: number,
  requestTimeoutMs: number,
  lineDelayMs = k6LineDelayMs,
): boolean {
  return records.some((r) => r.startMs >= untilMs + requestTimeoutMs + lineDelayMs);
}

export function droppedIterations(summary: K6Summary): number {
  return summary.metrics['dropped_iterations']?.values['count'] ?? 0;
}
