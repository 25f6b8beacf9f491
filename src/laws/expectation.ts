/**
 * What a law's timing is judged against: an Expectation (the documented nominal value,
 * the range the documentation allows, the formula in words and where its inputs came
 * from — what the report prints next to the measurement) and a Tolerance (a named
 * allowance the harness adds, with its reason). The formulas that produce
 * expectations live in ./expectations/<family>.ts.
 */
export interface Expectation {
  /** What is timed: "liveness failure → container killed". */
  readonly what: string;
  readonly nominalMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** The formula with its values: "initialDelay 0 s + 3 × 2 s, + up to 1 period (2 s) of probe phase". */
  readonly formula: string;
  /** Where the inputs came from: "probe fields of the pod spec", "cluster (kubelet … configz …)". */
  readonly source: string;
  /**
   * The part of minMs that this occasion adds and another need not: a zone token another lost node spent just before,
   * or one the controller's own stale read spent. The least the cluster must take leaves it out (the critical-path
   * floor, bench suites' sum of minima); the judgment keeps the whole range.
   */
  readonly occasionalMs?: number;
}

/** An allowance the harness adds on top of a documented range, with its reason. */
export interface Tolerance {
  readonly name: string;
  readonly ms: number;
}

export const tolerances = {
  /** For expectations built from src/laws/windows.ts: their range already holds every allowance. */
  none: { name: 'no further tolerance', ms: 0 },
  /** Kubernetes timestamps (startedAt, finishedAt, deletionTimestamp, events) have 1 s resolution. */
  timestampResolution: { name: '1 s timestamp resolution', ms: 1_000 },
  /** kubelet pod sync, status manager write and watch delivery. */
  statusPropagation: { name: 'status propagation slack 5 s', ms: 5_000 },
  /** A container exec (probe or hook) plus a runtime start. */
  containerRestart: { name: 'container restart slack 3 s', ms: 3_000 },
} as const satisfies Record<string, Tolerance>;

export function withinExpectation(measuredMs: number, expectation: Expectation, tolerance: Tolerance): boolean {
  return measuredMs >= expectation.minMs - tolerance.ms && measuredMs <= expectation.maxMs + tolerance.ms;
}
