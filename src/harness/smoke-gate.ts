/**
 * A worker's view of the smoke verdict (src/smoke-verdict.ts): read once, then shared by the worker's
 * tests. A test that meets a failed verdict, or a run that selected no smoke check, is skipped with the reason: the
 * cluster was not judged, and no fault was injected into it.
 */
import type { TestInfo } from '@playwright/test';
import { waitForSmokeVerdict } from '../lifecycle/smoke-verdict-wait.ts';
import type { SmokeVerdict } from '../smoke-verdict.ts';
import { notJudgedAnnotationType } from '../report/conventions.ts';
import { timeouts } from './timeouts.ts';

/** Why a test may not be judged under this verdict; undefined when it may. */
export function notJudgedReason(verdict: SmokeVerdict): string | undefined {
  if (verdict.state === 'failed') return `not judged: the cluster failed its smoke checks: ${verdict.failed.join('; ')}`;
  if (verdict.checks === 0) {
    return 'not judged: this run selected no smoke check (podlaw run adds them to --grep; with Playwright itself, add @smoke to the grep)';
  }
  return undefined;
}

export class SmokeGate {
  readonly #runId: string;
  #verdict: Promise<SmokeVerdict> | undefined;

  constructor(runId: string) {
    this.#runId = runId;
  }

  verdict(): Promise<SmokeVerdict> {
    this.#verdict ??= waitForSmokeVerdict(this.#runId, timeouts.smokeVerdict);
    return this.#verdict;
  }

  /** Returns once the cluster passed its smoke checks; otherwise skips the test (throws). */
  async require(testInfo: TestInfo): Promise<void> {
    const reason = await this.#reason(testInfo);
    if (reason !== undefined) testInfo.skip(true, reason);
  }

  /**
   * At the end of a test that waited at its first fault: a test that passed without one is skipped, and one that
   * failed before it (its preflight met the broken cluster) is marked not judged, so its laws read "not run".
   */
  async requireAfter(testInfo: TestInfo): Promise<void> {
    const reason = await this.#reason(testInfo);
    if (reason !== undefined && testInfo.status === 'passed') testInfo.skip(true, reason);
  }

  async #reason(testInfo: TestInfo): Promise<string | undefined> {
    const reason = notJudgedReason(await this.verdict());
    if (reason !== undefined && !testInfo.annotations.some((a) => a.type === notJudgedAnnotationType)) {
      testInfo.annotations.push({ type: notJudgedAnnotationType, description: reason });
    }
    return reason;
  }
}
