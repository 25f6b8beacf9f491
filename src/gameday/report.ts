/**
 * The game-day report: predicted vs observed for every event, the faults with their
 * injection and recovery, the load's figures and SLO verdicts, and how the run ended.
 * Written as reports/gameday/<scenario>-<run>/gameday.json and gameday.md. The JSON is
 * the data an HTML summary renders: the HTML report writer (src/report, being built
 * beside this) plugs in by taking `GameDayReport` from gameday.json — the lead connects
 * them. Pure apart from `writeGameDayReport`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tolerances, type Tolerance } from '../laws/expectation.ts';
import type { ObservedEvent } from './observe.ts';
import { windowText, type PredictedEvent } from './predict.ts';

export type EventVerdict = 'as predicted' | 'outside the window' | 'not observed' | 'not reached' | 'cut short by the abort';

export interface EventResult {
  readonly step: string;
  readonly what: string;
  readonly laws: readonly string[];
  readonly predicted: { readonly nominalMs: number; readonly minMs: number; readonly maxMs: number | undefined; readonly window: string };
  readonly formula: string;
  readonly source: string;
  readonly observedMs: number | undefined;
  readonly observedBy: string | undefined;
  readonly tolerance: Tolerance;
  readonly verdict: EventVerdict;
}

export interface FaultRecord {
  readonly step: string;
  readonly description: string;
  readonly injectedAt: string | undefined;
  readonly recoveredAt: string | undefined;
  readonly recoveredBy: string | undefined;
}

export interface LoadFigures {
  readonly requests: number;
  readonly failed: number;
  readonly firstFailureMs: number | undefined;
  readonly lastFailureMs: number | undefined;
  readonly thresholds: readonly { readonly threshold: string; readonly ok: boolean }[];
}

export interface GameDayReport {
  readonly scenario: string;
  readonly runId: string;
  readonly context: string;
  readonly kubernetes: string;
  readonly startedAt: string;
  readonly endedAt: string;
  /** 'completed', or why it stopped: "aborted: Ctrl-C", "aborted: guard …". */
  readonly outcome: string;
  readonly namespace: string;
  readonly faults: readonly FaultRecord[];
  readonly events: readonly EventResult[];
  readonly notReached: readonly string[];
  readonly load: LoadFigures | undefined;
  readonly laws: readonly string[];
}

/**
 * The allowance on top of the documented window: a stored timestamp has 1 s resolution; a
 * sampled moment is late by up to one 1 s sample plus status propagation (the same named
 * tolerances the law tests use, src/laws/expectation.ts). Late only: one-sided.
 */
export function toleranceFor(observed: ObservedEvent | undefined): Tolerance {
  if (observed?.by === 'sample') return tolerances.statusPropagation;
  return tolerances.timestampResolution;
}

export function judge(
  event: PredictedEvent,
  offsetMs: number | undefined,
  tolerance: Tolerance,
  reached: boolean,
  aborted = false,
): EventVerdict {
  if (!reached) return 'not reached';
  if (offsetMs === undefined) return aborted ? 'cut short by the abort' : 'not observed';
  const early = event.minMs - tolerances.timestampResolution.ms;
  const late = event.maxMs === undefined ? Number.POSITIVE_INFINITY : event.maxMs + tolerance.ms;
  return offsetMs >= early && offsetMs <= late ? 'as predicted' : 'outside the window';
}

/** Events that follow the fault's recovery (node Ready again, taints removed) are predicted from the scenario's duration;
 * when the fault was held another time (an abort, a slow inject), they move with the actual recovery. Pure. */
export function anchoredToRecovery(event: PredictedEvent, heldMs: number | undefined): PredictedEvent {
  if (heldMs === undefined || (event.key !== 'node-ready-again' && event.key !== 'taints-removed')) return event;
  const shift = heldMs - event.minMs;
  return {
    ...event,
    nominalMs: event.nominalMs + shift,
    minMs: event.minMs + shift,
    maxMs: event.maxMs === undefined ? undefined : event.maxMs + shift,
    formula: `${event.formula} (from the actual recovery at t+${(heldMs / 1000).toFixed(1)} s)`,
  };
}

export function eventResult(
  event: PredictedEvent,
  injectedAtMs: number | undefined,
  observed: ObservedEvent | undefined,
  aborted = false,
): EventResult {
  const offsetMs = observed === undefined || injectedAtMs === undefined ? undefined : observed.atMs - injectedAtMs;
  const tolerance = toleranceFor(observed);
  return {
    step: event.step,
    what: event.what,
    laws: event.laws,
    predicted: { nominalMs: event.nominalMs, minMs: event.minMs, maxMs: event.maxMs, window: windowText(event) },
    formula: event.formula,
    source: event.source,
    observedMs: offsetMs,
    observedBy: observed === undefined ? undefined : `${observed.by}: ${observed.detail}`,
    tolerance,
    verdict: judge(event, offsetMs, tolerance, injectedAtMs !== undefined, aborted),
  };
}

const s = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function gameDayMarkdown(r: GameDayReport): string {
  const lines = [
    `# Game day ${r.scenario} (run ${r.runId})`,
    '',
    `${r.startedAt} → ${r.endedAt}, context ${r.context}, Kubernetes ${r.kubernetes}, namespace ${r.namespace}. Outcome: **${r.outcome}**.`,
    '',
    '## Faults',
    '',
    '| step | fault | injected | recovered | by |',
    '| --- | --- | --- | --- | --- |',
    ...r.faults.map(
      (f) => `| ${f.step} | ${f.description} | ${f.injectedAt ?? 'never'} | ${f.recoveredAt ?? '—'} | ${f.recoveredBy ?? '—'} |`,
    ),
    '',
    '## Predicted vs observed (t = the fault’s injection)',
    '',
    '| step | event | predicted | observed | verdict | laws | formula; source |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.events.map(
      (e) =>
        `| ${e.step} | ${e.what} | ${e.predicted.window} | ${e.observedMs === undefined ? '—' : `t+${s(e.observedMs)} (${e.observedBy ?? ''})`} | ` +
        `${e.verdict}${e.verdict === 'outside the window' || e.verdict === 'as predicted' ? ` (+${e.tolerance.name})` : ''} | ${e.laws.join(', ')} | ` +
        `${e.formula}; ${e.source} |`,
    ),
    ...(r.notReached.length === 0 ? [] : ['', ...r.notReached.map((n) => `- ${n}`)]),
    '',
    '## Load',
    '',
  ];
  if (r.load === undefined) lines.push('No load step.');
  else {
    lines.push(
      `${r.load.requests} requests, ${r.load.failed} failed` +
        (r.load.firstFailureMs === undefined
          ? '.'
          : `, from t+${s(r.load.firstFailureMs)} to t+${s(r.load.lastFailureMs)} after the first fault.`),
      '',
      ...r.load.thresholds.map((t) => `- SLO ${t.threshold}: ${t.ok ? 'met' : 'CROSSED'}`),
    );
  }
  lines.push('', `Laws watched: ${r.laws.join(', ') || 'none'}.`, '');
  return lines.join('\n');
}

/** Writes gameday.json and gameday.md; returns the directory. */
export function writeGameDayReport(reportsDir: string, report: GameDayReport): string {
  const dir = join(reportsDir, 'gameday', `${report.scenario}-${report.runId}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gameday.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'gameday.md'), gameDayMarkdown(report));
  return dir;
}
