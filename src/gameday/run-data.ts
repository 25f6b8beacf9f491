/**
 * A game day in the shape of a podlaw run (src/report/run-data.ts), so writeReports gives it
 * the same laws.json, laws.md, junit.xml and HTML summary as `podlaw run`: each watched law
 * gets the game day as its one test, with the predicted-vs-observed events tagged with that
 * law as its observations; the timeline holds the faults and every observed event. Pure.
 */
import { isLawId } from '../laws/catalog/index.ts';
import type { LawId } from '../laws/catalog/index.ts';
import type { RunData } from '../report/run-data.ts';
import type { LawTestResult } from '../report/verdicts.ts';
import type { Observation } from '../timeline/observation.ts';
import type { TimelineEntry } from '../timeline/timeline.ts';
import type { EventResult, GameDayReport } from './report.ts';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function observationOf(law: LawId, event: EventResult): Observation {
  const observed = event.observedMs;
  return {
    law,
    name: event.what,
    measured: observed === undefined ? event.verdict : seconds(observed),
    expected: `${event.predicted.window} (${event.formula}; + ${event.tolerance.name})`,
    source: event.source,
    ok: event.verdict === 'as predicted',
    ...(observed === undefined ? {} : { measuredMs: observed }),
    expectedMinMs: event.predicted.minMs,
    ...(event.predicted.maxMs === undefined ? {} : { expectedMaxMs: event.predicted.maxMs + event.tolerance.ms }),
    documentedMinMs: event.predicted.minMs,
  };
}

export function gameDayRunData(report: GameDayReport): RunData {
  const startedMs = Date.parse(report.startedAt);
  const durationMs = Date.parse(report.endedAt) - startedMs;
  const title = `game day ${report.scenario} (${report.outcome})`;
  const laws = report.laws.filter(isLawId);
  const results: LawTestResult[] = laws.map((law) => {
    const observations = report.events.filter((e) => e.laws.includes(law)).map((e) => observationOf(law, e));
    const failed = observations.some((o) => !o.ok) || report.outcome !== 'completed';
    return {
      title,
      file: `gameday ${report.scenario}`,
      laws: [law],
      status: failed ? 'failed' : 'passed',
      notApplicableReason: undefined,
      observations,
      error: failed ? (report.outcome !== 'completed' ? report.outcome : 'events outside their predicted windows') : undefined,
      durationMs,
    };
  });
  // Event times count from the first injection (t = 0 of the plan).
  const originMs = Date.parse(report.faults.find((f) => f.injectedAt !== undefined)?.injectedAt ?? report.startedAt);
  const at = (ms: number): string => new Date(originMs + ms).toISOString();
  const entries: TimelineEntry[] = [
    ...report.faults.flatMap((f): TimelineEntry[] => [
      ...(f.injectedAt === undefined
        ? []
        : [{ at: f.injectedAt, kind: 'action' as const, action: 'inject', description: `${f.step}: ${f.description}` }]),
      ...(f.recoveredAt === undefined
        ? []
        : [
            {
              at: f.recoveredAt,
              kind: 'action' as const,
              action: 'recover',
              description: `${f.step}: ${f.description} (${f.recoveredBy ?? 'teardown'})`,
            },
          ]),
    ]),
    ...report.events.flatMap((e): TimelineEntry[] =>
      e.observedMs === undefined
        ? []
        : [{ at: at(e.observedMs), kind: 'action' as const, action: 'observed', description: `${e.what} (${e.verdict})` }],
    ),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    run: {
      startedAt: report.startedAt,
      durationMs,
      runId: report.runId,
      playwrightStatus: report.outcome === 'completed' ? 'passed' : 'failed',
    },
    results,
    timelines: [{ title, laws, status: results.some((r) => r.status === 'failed') ? 'failed' : 'passed', entries, load: undefined }],
  };
}
