/**
 * Playwright reporter that turns test results into law verdicts: reports/laws.json,
 * reports/laws.md, junit.xml and index.html (src/report/write-reports.ts), and one closing
 * line `laws: N passed, N failed, N not applicable`.
 * Tests name their laws with a `law` annotation (and an @ID tag); not-applicable is a
 * `not-applicable` annotation with the reason; measurements arrive as the
 * podlaw-observations attachment.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { FullConfig, FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import type { LawId } from '../laws/catalog/index.ts';
import type { Observation } from '../timeline/observation.ts';
import type { TimelineEntry } from '../timeline/timeline.ts';
import { summaryLine } from './verdicts.ts';
import type { LawTestResult } from './verdicts.ts';
import {
  deviationSignatureAnnotationType,
  knownDeviationAnnotationType,
  notApplicableAnnotationType,
  notJudgedAnnotationType,
} from './conventions.ts';
import { loadAttachmentName, observationsAttachmentName, timelineAttachmentName } from './conventions.ts';
import { firstLine, lawIdsOf, loadSeriesOf, type TestTimeline } from './run-data.ts';
import { writeReports } from './write-reports.ts';

export interface LawReporterOptions {
  readonly outputDir?: string;
}

export function lawsOf(test: TestCase, result: TestResult): LawId[] {
  return lawIdsOf([...test.annotations, ...result.annotations], test.tags);
}

/** An attachment's JSON, from its body or its file (load.json is attached as a file). */
function attachmentJson(result: TestResult, name: string): unknown {
  const attachment = result.attachments.find((a) => a.name === name);
  if (attachment?.body !== undefined) return JSON.parse(attachment.body.toString('utf8')) as unknown;
  if (attachment?.path === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(attachment.path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export default class LawReporter implements Reporter {
  readonly #outputDir: string;
  readonly #results = new Map<string, LawTestResult>();
  readonly #timelines = new Map<string, TestTimeline>();
  /** Test files are reported relative to the directory of the Playwright config (the repository), as `podlaw report` does. */
  #root = process.cwd();

  constructor(options: LawReporterOptions = {}) {
    this.#outputDir = options.outputDir ?? 'reports';
  }

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig): void {
    if (config.configFile !== undefined) this.#root = dirname(config.configFile);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const lawIds = lawsOf(test, result);
    if (lawIds.length === 0) return;
    const notApplicable = result.annotations.find((a) => a.type === notApplicableAnnotationType);
    const deviation = result.annotations.find((a) => a.type === knownDeviationAnnotationType);
    const signature = result.annotations.find((a) => a.type === deviationSignatureAnnotationType)?.description;
    // With retries, the last attempt decides.
    this.#results.set(test.id, {
      title: test.title,
      file: relative(this.#root, test.location.file),
      laws: lawIds,
      status: result.status,
      notApplicableReason: notApplicable !== undefined ? (notApplicable.description ?? 'no reason given') : undefined,
      notJudgedReason: result.annotations.find((a) => a.type === notJudgedAnnotationType)?.description,
      knownDeviation: deviation?.description,
      deviationSignature: signature === undefined ? undefined : (JSON.parse(signature) as string[]),
      observations: (attachmentJson(result, observationsAttachmentName) ?? []) as Observation[],
      error: firstLine(result.error?.message),
      durationMs: result.duration,
    });
    const timeline = attachmentJson(result, timelineAttachmentName) as { entries?: readonly TimelineEntry[] } | undefined;
    this.#timelines.set(test.id, {
      title: test.title,
      laws: lawIds,
      status: result.status,
      entries: timeline?.entries ?? [],
      load: loadSeriesOf(attachmentJson(result, loadAttachmentName)),
    });
  }

  onEnd(result: FullResult): void {
    const run = {
      startedAt: result.startTime.toISOString(),
      durationMs: result.duration,
      runId: process.env['PODLAW_RUN_ID'],
      playwrightStatus: result.status,
    };
    const counts = writeReports({ run, results: [...this.#results.values()], timelines: [...this.#timelines.values()] }, this.#outputDir);
    process.stdout.write(`${summaryLine(counts)}\n`);
  }
}
