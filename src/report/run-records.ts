/**
 * The tests of a finished run as the floor bench needs them, read from Playwright's JSON
 * report (reports/playwright-results.json): project, duration, its timed observations as
 * intervals and the nodes its faults targeted (both from podlaw's timeline attachment);
 * and, for `podlaw run --grep`, whether the selection held anything beyond the smoke checks.
 */
import { timelineAttachmentName } from './conventions.ts';
import type { TestRecord, TimedWait } from './critical-path-floor.ts';

interface JsonAttachment {
  readonly name: string;
  readonly body?: string;
}
interface JsonResult {
  readonly duration: number;
  readonly startTime?: string;
  readonly attachments?: readonly JsonAttachment[];
}
interface JsonSuite {
  readonly suites?: readonly JsonSuite[];
  readonly specs?: readonly {
    readonly title: string;
    readonly tests: readonly { readonly projectName: string; readonly results: readonly JsonResult[] }[];
  }[];
}
export interface PlaywrightJsonReport {
  readonly suites: readonly JsonSuite[];
  readonly stats: { readonly duration: number };
  /** The configured workers, and those the run used (fewer when it had fewer tests). */
  readonly config?: { readonly workers?: number; readonly metadata?: { readonly actualWorkers?: number } };
}

/** Did the run select any test beyond the smoke checks' project (run or not)? */
export function selectedBeyondSmoke(report: Pick<PlaywrightJsonReport, 'suites'>, smokeProject: string): boolean {
  const walk = (suite: JsonSuite): boolean =>
    (suite.specs ?? []).some((spec) => spec.tests.some((t) => t.projectName !== smokeProject)) || (suite.suites ?? []).some(walk);
  return report.suites.some(walk);
}

function attachmentJson(result: JsonResult, name: string): unknown {
  const body = result.attachments?.find((a) => a.name === name)?.body;
  return body === undefined ? undefined : JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
}

function faultedNodes(timeline: unknown): string[] {
  const entries =
    (timeline as { entries?: readonly { kind?: string; spec?: { target?: { node?: unknown } } }[] } | undefined)?.entries ?? [];
  return entries.flatMap((e) => (e.kind === 'fault' && typeof e.spec?.target?.node === 'string' ? [e.spec.target.node] : []));
}

interface TimelineObservationEntry {
  readonly at?: string;
  readonly kind?: string;
  readonly observation?: { readonly measuredMs?: unknown; readonly documentedMinMs?: unknown };
}

/** The timeline's timed observations as intervals relative to the timeline's first entry. */
export function timedWaits(timeline: unknown): TimedWait[] {
  const entries = (timeline as { entries?: readonly TimelineObservationEntry[] } | undefined)?.entries ?? [];
  const origin = Date.parse(entries[0]?.at ?? '');
  return entries.flatMap((e) => {
    const measured = e.observation?.measuredMs;
    const documented = e.observation?.documentedMinMs;
    if (e.kind !== 'observation' || typeof measured !== 'number' || typeof documented !== 'number') return [];
    const endMs = Date.parse(e.at ?? '') - origin;
    return Number.isNaN(endMs) ? [] : [{ startMs: endMs - measured, endMs, documentedMinMs: documented }];
  });
}

/** Every test's last result, flattened. */
export function testRecords(report: PlaywrightJsonReport): TestRecord[] {
  const records: TestRecord[] = [];
  const walk = (suite: JsonSuite): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const result = test.results.at(-1);
        if (result === undefined) continue;
        const timeline = attachmentJson(result, timelineAttachmentName);
        records.push({
          title: spec.title,
          project: test.projectName,
          durationMs: result.duration,
          startedAtMs: result.startTime === undefined ? undefined : Date.parse(result.startTime),
          waits: timedWaits(timeline),
          faultedNodes: faultedNodes(timeline),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  return records;
}
