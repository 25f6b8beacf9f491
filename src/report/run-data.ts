/**
 * A run's data as the report writer takes it: run info, one LawTestResult per test, and each
 * test's timeline (with its load series when it ran load). The law reporter builds it live;
 * `podlaw report DIR` rebuilds it from Playwright's JSON report saved in DIR
 * (playwright-results.json), so a past run's reports can be re-rendered. Pure apart from the
 * injected file reader (load.json attachments are files).
 */
import { dirname, join, relative } from 'node:path';
import { isLawId, type LawId } from '../laws/catalog/index.ts';
import type { Observation } from '../timeline/observation.ts';
import type { TimelineEntry } from '../timeline/timeline.ts';
import {
  deviationSignatureAnnotationType,
  lawAnnotationType,
  knownDeviationAnnotationType,
  notApplicableAnnotationType,
  notJudgedAnnotationType,
} from './conventions.ts';
import { loadAttachmentName, observationsAttachmentName, timelineAttachmentName } from './conventions.ts';
import type { RunInfo } from './render.ts';
import type { LawTestResult, TestStatus } from './verdicts.ts';

/** One request of a load run as load.json stores it: seconds since the load started, HTTP status (0 = no answer), latency ms. */
export interface LoadPoint {
  readonly t: number;
  readonly s: number;
  readonly d: number;
}

export interface LoadSeries {
  readonly startedAt: string;
  readonly series: readonly LoadPoint[];
  readonly faults: readonly { readonly t: number; readonly what: string }[];
}

export interface TestTimeline {
  readonly title: string;
  readonly laws: readonly LawId[];
  readonly status: TestStatus;
  readonly entries: readonly TimelineEntry[];
  readonly load: LoadSeries | undefined;
}

export interface RunData {
  readonly run: RunInfo;
  readonly results: readonly LawTestResult[];
  readonly timelines: readonly TestTimeline[];
}

/** Law ids named by `law` annotations or @ID tags. */
export function lawIdsOf(annotations: readonly { type: string; description?: string }[], tags: readonly string[]): LawId[] {
  const fromAnnotations = annotations.filter((a) => a.type === lawAnnotationType).map((a) => a.description ?? '');
  const fromTags = tags.map((tag) => tag.replace(/^@/, ''));
  return [...new Set([...fromAnnotations, ...fromTags])].filter(isLawId);
}

/** The first non-empty line of an error message, without the ANSI colours Playwright puts in expectation messages. */
export function firstLine(text: string | undefined): string | undefined {
  return text
    ?.replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .find((line) => line.trim() !== '');
}

/** The part of load.json the report charts (the rest — k6's summary, phases — stays in the attachment). */
export function loadSeriesOf(loadJson: unknown): LoadSeries | undefined {
  const value = loadJson as { startedAt?: unknown; series?: unknown; faults?: unknown } | undefined;
  if (typeof value?.startedAt !== 'string' || !Array.isArray(value.series)) return undefined;
  const series = (value.series as { t?: unknown; s?: unknown; d?: unknown }[]).flatMap((p) =>
    typeof p.t === 'number' && typeof p.s === 'number' && typeof p.d === 'number' ? [{ t: p.t, s: p.s, d: p.d }] : [],
  );
  const faults = Array.isArray(value.faults)
    ? (value.faults as { t?: unknown; what?: unknown }[]).flatMap((f) =>
        typeof f.t === 'number' && typeof f.what === 'string' ? [{ t: f.t, what: f.what }] : [],
      )
    : [];
  return { startedAt: value.startedAt, series, faults };
}

// Playwright's JSON report, the parts read here.
interface JsonAttachment {
  readonly name: string;
  readonly body?: string;
  readonly path?: string;
}
interface JsonAnnotation {
  readonly type: string;
  readonly description?: string;
}
interface JsonResult {
  readonly status: TestStatus;
  readonly duration: number;
  readonly error?: { readonly message?: string };
  readonly annotations?: readonly JsonAnnotation[];
  readonly attachments?: readonly JsonAttachment[];
}
interface JsonSpec {
  readonly title: string;
  readonly file: string;
  readonly tags?: readonly string[];
  readonly tests: readonly { readonly annotations?: readonly JsonAnnotation[]; readonly results: readonly JsonResult[] }[];
}
interface JsonSuite {
  readonly suites?: readonly JsonSuite[];
  readonly specs?: readonly JsonSpec[];
}
export interface PlaywrightJson {
  readonly suites: readonly JsonSuite[];
  readonly stats: { readonly startTime: string; readonly duration: number; readonly unexpected: number };
  readonly config?: { readonly configFile?: string; readonly rootDir?: string; readonly metadata?: { readonly runId?: unknown } };
}

export type ReadText = (path: string) => string | undefined;

function attachmentText(attachment: JsonAttachment | undefined, readText: ReadText): string | undefined {
  if (attachment === undefined) return undefined;
  if (attachment.body !== undefined) return Buffer.from(attachment.body, 'base64').toString('utf8');
  return attachment.path === undefined ? undefined : readText(attachment.path);
}

function parsed(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

/** Every law test's last attempt in a saved Playwright JSON report, as the law reporter would have seen it. */
export function runDataFromPlaywrightJson(report: PlaywrightJson, readText: ReadText): RunData {
  const results: LawTestResult[] = [];
  const timelines: TestTimeline[] = [];
  // Spec files are relative to the config's testDir; the law reporter names them relative to the config's directory.
  const { configFile, rootDir } = report.config ?? {};
  const fileOf = (file: string): string =>
    configFile === undefined || rootDir === undefined ? file : relative(dirname(configFile), join(rootDir, file));
  const walk = (suite: JsonSuite): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const result = test.results.at(-1);
        if (result === undefined) continue;
        const annotations = [...(test.annotations ?? []), ...(result.annotations ?? [])];
        const laws = lawIdsOf(annotations, spec.tags ?? []);
        if (laws.length === 0) continue;
        const attachment = (name: string): JsonAttachment | undefined => result.attachments?.find((a) => a.name === name);
        const observations = (parsed(attachmentText(attachment(observationsAttachmentName), readText)) ?? []) as Observation[];
        const notApplicable = annotations.find((a) => a.type === notApplicableAnnotationType);
        const deviation = annotations.find((a) => a.type === knownDeviationAnnotationType);
        const signature = annotations.find((a) => a.type === deviationSignatureAnnotationType)?.description;
        results.push({
          title: spec.title,
          file: fileOf(spec.file),
          laws,
          status: result.status,
          notApplicableReason: notApplicable !== undefined ? (notApplicable.description ?? 'no reason given') : undefined,
          notJudgedReason: annotations.find((a) => a.type === notJudgedAnnotationType)?.description,
          knownDeviation: deviation?.description,
          deviationSignature: signature === undefined ? undefined : (JSON.parse(signature) as string[]),
          observations,
          error: firstLine(result.error?.message),
          durationMs: result.duration,
        });
        const timeline = parsed(attachmentText(attachment(timelineAttachmentName), readText)) as
          { entries?: readonly TimelineEntry[] } | undefined;
        timelines.push({
          title: spec.title,
          laws,
          status: result.status,
          entries: timeline?.entries ?? [],
          load: loadSeriesOf(parsed(attachmentText(attachment(loadAttachmentName), readText))),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  const runId = report.config?.metadata?.runId;
  return {
    run: {
      startedAt: report.stats.startTime,
      durationMs: report.stats.duration,
      runId: typeof runId === 'string' ? runId : undefined,
      playwrightStatus: report.stats.unexpected > 0 ? 'failed' : 'passed',
    },
    results,
    timelines,
  };
}
