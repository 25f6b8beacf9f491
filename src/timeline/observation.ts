/**
 * A measured figure next to its expected value, for one law. Tests produce them, the
 * timeline records them, annotations show them in the HTML report, and the law
 * reporter prints them in laws.md. Pure formatting lives here.
 */
import type { Expectation, Tolerance } from '../laws/expectation.ts';
import { withinExpectation } from '../laws/expectation.ts';
import { formatSeconds } from '../kube/named-timeout.ts';
import type { LawId } from '../laws/catalog/index.ts';

export interface Observation {
  readonly law: LawId;
  /** What was measured or checked: "liveness failure → container killed". */
  readonly name: string;
  readonly measured: string;
  readonly expected: string;
  /** Where the expected value came from (cluster flag, documented default, pod spec). */
  readonly source: string;
  readonly ok: boolean;
  readonly measuredMs?: number;
  readonly expectedMinMs?: number;
  readonly expectedMaxMs?: number;
  /**
   * The documented lower bound without podlaw's tolerance and without what this occasion added (Expectation
   * occasionalMs): the least the cluster must take.
   */
  readonly documentedMinMs?: number;
}

export const observationAnnotationPrefix = 'measured:';

/** Bounds to the millisecond (a window edge of 5.999 s must not print as 6 s). */
function boundSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export function formatRange(expectation: Expectation): string {
  if (expectation.minMs === expectation.maxMs) return formatSeconds(expectation.nominalMs);
  return `${boundSeconds(expectation.minMs)}–${boundSeconds(expectation.maxMs)}`;
}

export function durationObservation(law: LawId, expectation: Expectation, measuredMs: number, tolerance: Tolerance): Observation {
  return {
    law,
    name: expectation.what,
    measured: formatSeconds(Math.round(measuredMs / 100) * 100),
    expected: `${formatRange(expectation)} (${expectation.formula}${tolerance.ms === 0 ? '' : `; ± ${tolerance.name}`})`,
    source: expectation.source,
    ok: withinExpectation(measuredMs, expectation, tolerance),
    measuredMs,
    expectedMinMs: expectation.minMs - tolerance.ms,
    expectedMaxMs: expectation.maxMs + tolerance.ms,
    documentedMinMs: expectation.minMs - (expectation.occasionalMs ?? 0),
  };
}

export function factObservation(
  law: LawId,
  name: string,
  expected: string,
  measured: string,
  source: string,
  ok: boolean = expected === measured,
): Observation {
  return { law, name, measured, expected, source, ok };
}

export function annotationOf(observation: Observation): { type: string; description: string } {
  return {
    type: `${observationAnnotationPrefix}${observation.law} ${observation.name}`,
    description: `${observation.measured} (expected ${observation.expected}; source: ${observation.source})${observation.ok ? '' : ' — MISMATCH'}`,
  };
}
