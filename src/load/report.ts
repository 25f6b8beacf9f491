/**
 * A load run in the report: per-phase figures and SLO verdicts as observations next to
 * the law, and one JSON attachment with the per-request series, the fault events and
 * k6's own summary, ready for charts (error rate and latency over time, fault markers).
 */
import type { LawId } from '../laws/catalog/index.ts';
import { factObservation, type Observation } from '../timeline/observation.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { chartSeries, type PhaseStats, type Propagation } from './analysis.ts';
import { droppedIterations, k6ExitCodes } from './records.ts';
import type { LoadResult } from './run.ts';

export const loadAttachmentName = 'load.json';

export interface FaultMark {
  readonly atMs: number;
  readonly what: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function describePhase(p: PhaseStats, startMs: number): string {
  const window =
    p.errorWindow === undefined
      ? 'no errors'
      : `errors ${seconds(p.errorWindow.fromMs - startMs)}–${seconds(p.errorWindow.toMs - startMs)} ` +
        `(${seconds(p.errorWindow.toMs - p.errorWindow.fromMs)})`;
  const lat = p.p50Ms === undefined ? 'no answers' : `p50 ${p.p50Ms.toFixed(1)} ms, p99 ${(p.p99Ms ?? 0).toFixed(1)} ms`;
  return `${p.requests} requests, ${p.errors} failed; ${window}; ${lat}`;
}

/**
 * SLO verdicts: each k6 threshold of the scenario, as k6 judged it, and k6's exit code,
 * which must agree (99 exactly when a threshold was crossed).
 */
export function sloObservations(law: LawId, result: LoadResult): Observation[] {
  if (result.thresholds.length === 0) return [];
  const crossed = result.thresholds.some((t) => !t.ok);
  // Stopped early, k6 exits ExternalAbort whatever its thresholds; it still judges them in the summary.
  const expected =
    result.stoppedEarly !== undefined
      ? { code: k6ExitCodes.externalAbort, text: '105 (stopped by podlaw once measured; thresholds judged in the summary)' }
      : crossed
        ? { code: k6ExitCodes.thresholdsCrossed, text: '99 (a threshold crossed)' }
        : { code: k6ExitCodes.ok, text: '0 (all thresholds met)' };
  const exit = factObservation(
    law,
    `SLO ${result.scenario.name}: k6 exit code`,
    expected.text,
    String(result.exitCode),
    'k6 exit codes (ThresholdsHaveFailed = 99, ExternalAbort = 105)',
    result.exitCode === expected.code,
  );
  return [
    exit,
    ...result.thresholds.map((t) =>
      factObservation(
        law,
        `SLO ${result.scenario.name}: ${t.metric} ${t.expression}`,
        'threshold met',
        t.ok ? 'threshold met' : `crossed (${JSON.stringify(t.values)})`,
        result.stoppedEarly === undefined
          ? `k6 threshold set by the scenario (k6 exit ${result.exitCode})`
          : `k6 threshold set by the scenario (k6 exit ${result.exitCode}; stopped early: requests in flight at the stop are not in k6's metrics)`,
        t.ok,
      ),
    ),
  ];
}

export function loadReport(
  result: LoadResult,
  phases: readonly PhaseStats[],
  propagations: readonly Propagation[],
  faults: readonly FaultMark[],
): unknown {
  return {
    scenario: result.scenario,
    placement: result.placement,
    k6ExitCode: result.exitCode,
    ...(result.stoppedEarly === undefined
      ? {}
      : { stoppedEarly: { at: new Date(result.stoppedEarly.atMs).toISOString(), cutRecords: result.stoppedEarly.cutRecords } }),
    startedAt: new Date(result.startedAtMs).toISOString(),
    droppedIterations: droppedIterations(result.summary),
    phases,
    propagations,
    faults: faults.map((f) => ({ t: (f.atMs - result.startedAtMs) / 1000, at: new Date(f.atMs).toISOString(), what: f.what })),
    thresholds: result.thresholds,
    series: chartSeries(result.records, result.startedAtMs),
    k6Summary: result.summary,
  };
}

export function recordPhases(timeline: Timeline, law: LawId, result: LoadResult, phases: readonly PhaseStats[]): void {
  for (const p of phases) {
    timeline.record(
      factObservation(
        law,
        `load ${p.name}`,
        'measured',
        describePhase(p, result.startedAtMs),
        `k6 ${result.placement} at ${result.scenario.ratePerSecond}/s`,
        true,
      ),
    );
  }
  const dropped = droppedIterations(result.summary);
  // Reported, not asserted: a dropped iteration is a request k6 did not send (no free VU in
  // time, e.g. k6 starved of CPU), a fidelity figure of the load rather than a cluster behaviour.
  timeline.record(
    factObservation(
      law,
      'k6 dropped_iterations',
      'reported (0 = the rate was held)',
      String(dropped),
      result.stoppedEarly === undefined
        ? `k6 summary (of ${result.scenario.ratePerSecond * result.scenario.durationSeconds} scheduled)`
        : `k6 summary (stopped early, ${((result.stoppedEarly.atMs - result.startedAtMs) / 1000).toFixed(1)} s of a ${result.scenario.durationSeconds} s scenario)`,
      true,
    ),
  );
}
