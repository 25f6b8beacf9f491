/**
 * A worker's view of the smoke verdict (src/lifecycle/smoke-verdict.ts): read once, then shared by the worker's
 * tests. A test that meets a failed verdict is skipped with the failed checks named: the cluster was not judged,
 * and no fault was injected into it.
 */
import type { TestInfo } from '@playwright/test';
import { namedTimeout } from '../kube/named-timeout.ts';
import { waitForSmokeVerdict, type SmokeVerdict } from '../lifecycle/smoke-verdict.ts';
import { notJudgedAnnotationType } from '../report/conventions.ts';

/**
 * The smoke checks' longest wait (the kube-proxy resync: two syncs of 30 s and the monitor's start, 90 s) and a
 * smoke worker's start. With fewer workers than projects the smoke checks still come first: their project is
 * first in the dispatcher's queue.
 */
export const smokeVerdictTimeout = namedTimeout('the smoke checks: kube-proxy resync check 90 s + a worker start 30 s', 120_000);

export class SmokeGate {
  readonly #runId: string;
  #verdict: Promise<SmokeVerdict> | undefined;

  constructor(runId: string) {
    this.#runId = runId;
  }

  verdict(): Promise<SmokeVerdict> {
    this.#verdict ??= waitForSmokeVerdict(this.#runId, smokeVerdictTimeout);
    return this.#verdict;
  }

  /** Returns once the smoke checks passed; skips the test (throws) when they failed. */
  async require(testInfo: TestInfo): Promise<void> {
    const verdict = await this.verdict();
    if (verdict.state === 'passed') return;
    const reason = `not judged: the cluster failed its smoke checks: ${verdict.failed.join('; ')}`;
    testInfo.annotations.push({ type: notJudgedAnnotationType, description: reason });
    testInfo.skip(true, reason);
  }
}
