/**
 * Playwright reporter that turns test results into law verdicts: reports/laws.json,
 * reports/laws.md, and one closing line `laws: N passed, N failed, N not applicable`.
 * Tests name their laws with a `law` annotation (and an @ID tag); not-applicable is a
 * `not-applicable` annotation with the reason; measurements arrive as the
 * podlaw-observations attachment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { isLawId, laws } from '../laws/catalog/index.ts';
import type { LawId } from '../laws/catalog/index.ts';
import type { Observation } from '../timeline/observation.ts';
import { renderJson, renderMarkdown } from './render.ts';
import { countVerdicts, lawVerdicts, summaryLine } from './verdicts.ts';
import type { LawTestResult } from './verdicts.ts';
import {
  deviationSignatureAnnotationType,
  knownDeviationAnnotationType,
  lawAnnotationType,
  notApplicableAnnotationType,
  observationsAttachmentName,
} from './conventions.ts';

export interface LawReporterOptions {
  readonly outputDir?: string;
}

export function lawsOf(test: TestCase, result: TestResult): LawId[] {
  const fromAnnotations = [...test.annotations, ...result.annotations]
    .filter((a) => a.type === lawAnnotationType && a.description !== undefined)
    .map((a) => a.description ?? '');
  const fromTags = test.tags.map((tag) => tag.replace(/^@/, ''));
  return [...new Set([...fromAnnotations, ...fromTags])].filter(isLawId);
}

function observationsOf(result: TestResult): Observation[] {
  const attachment = result.attachments.find((a) => a.name === observationsAttachmentName && a.body !== undefined);
  if (attachment?.body === undefined) return [];
  return JSON.parse(attachment.body.toString('utf8')) as Observation[];
}

function firstLine(text: string | undefined): string | undefined {
  // Strip ANSI colour codes Playwright puts in expectation messages.
  return text
    ?.replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .find((line) => line.trim() !== '');
}

export default class LawReporter implements Reporter {
  readonly #outputDir: string;
  readonly #results = new Map<string, LawTestResult>();
  #startedAt = new Date();

  constructor(options: LawReporterOptions = {}) {
    this.#outputDir = options.outputDir ?? 'reports';
  }

  printsToStdio(): boolean {
    return true;
  }

  onBegin(): void {
    this.#startedAt = new Date();
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
      file: test.location.file,
      laws: lawIds,
      status: result.status,
      notApplicableReason: notApplicable !== undefined ? (notApplicable.description ?? 'no reason given') : undefined,
      knownDeviation: deviation?.description,
      deviationSignature: signature === undefined ? undefined : (JSON.parse(signature) as string[]),
      observations: observationsOf(result),
      error: firstLine(result.error?.message),
      durationMs: result.duration,
    });
  }

  onEnd(result: FullResult): void {
    const verdicts = lawVerdicts(laws, [...this.#results.values()]);
    const counts = countVerdicts(verdicts);
    const run = {
      startedAt: this.#startedAt.toISOString(),
      durationMs: result.duration,
      runId: process.env['PODLAW_RUN_ID'],
      playwrightStatus: result.status,
    };
    mkdirSync(this.#outputDir, { recursive: true });
    writeFileSync(join(this.#outputDir, 'laws.json'), renderJson(run, counts, verdicts));
    writeFileSync(join(this.#outputDir, 'laws.md'), renderMarkdown(run, counts, verdicts));
    process.stdout.write(`${summaryLine(counts)}\n`);
  }
}
