/**
 * Playwright reporter that hands the smoke checks' verdict to the workers (src/smoke-verdict.ts):
 * it counts the smoke checks the run selected when the run begins, and writes the verdict as soon as it is
 * known, failed at the first check that fails. It runs in the runner process, which sees every test end.
 */
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import {
  decideSmokeVerdict,
  prepareSmokeVerdictDir,
  removeSmokeVerdictDir,
  smokeProject,
  sweepStaleRunLeftovers,
  writeSmokeVerdict,
  type SmokeCheckEnd,
} from '../smoke-verdict.ts';

function isSmokeCheck(test: TestCase): boolean {
  return test.parent.project()?.name === smokeProject;
}

export default class SmokeGateReporter implements Reporter {
  readonly #runId: string;
  #selected = 0;
  readonly #ended: SmokeCheckEnd[] = [];
  #written = false;

  constructor() {
    const runId = process.env['PODLAW_RUN_ID'];
    if (runId === undefined || runId === '')
      throw new Error('PODLAW_RUN_ID is not set: playwright.config.ts sets it before the reporters start');
    this.#runId = runId;
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    sweepStaleRunLeftovers(Date.now());
    prepareSmokeVerdictDir(this.#runId);
    this.#selected = suite.allTests().filter(isSmokeCheck).length;
    this.#decide();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (!isSmokeCheck(test)) return;
    // A failed attempt that Playwright will retry is not the check's end.
    if (result.status !== 'passed' && result.status !== 'skipped' && result.retry < test.retries) return;
    this.#ended.push({ title: test.title, status: result.status });
    this.#decide();
  }

  onExit(): Promise<void> {
    removeSmokeVerdictDir(this.#runId);
    return Promise.resolve();
  }

  #decide(): void {
    const verdict = decideSmokeVerdict(this.#selected, this.#ended);
    if (verdict !== undefined && !this.#written) this.#write(verdict);
  }

  #write(verdict: Parameters<typeof writeSmokeVerdict>[1]): void {
    writeSmokeVerdict(this.#runId, verdict);
    this.#written = true;
  }
}
