/**
 * How a test names the laws it checks and declares a law not applicable.
 */
import type { TestInfo } from '@playwright/test';
import type { LawId } from '../laws/registry.ts';
import { knownDeviationAnnotationType, lawAnnotationType, notApplicableAnnotationType } from '../report/conventions.ts';
import { deviationFor } from '../laws/deviations.ts';
import type { KnownDeviation } from '../laws/deviations.ts';
import type { ServerVersion } from '../cluster/version.ts';

export interface LawDetails {
  readonly tag: string[];
  readonly annotation: { type: string; description: string }[];
}

/** Test details naming the laws: `test('…', law('PRB-2'), async () => …)`. */
export function law(...ids: readonly [LawId, ...LawId[]]): LawDetails {
  return {
    tag: ids.map((id) => `@${id}`),
    annotation: ids.map((id) => ({ type: lawAnnotationType, description: id })),
  };
}

/**
 * Declares the test's law(s) not applicable on this cluster, with the reason, and ends
 * the test as skipped. The reporter lists it as "not applicable: <reason>".
 */
export function notApplicable(testInfo: TestInfo, reason: string): never {
  testInfo.annotations.push({ type: notApplicableAnnotationType, description: reason });
  testInfo.skip(true, `not applicable: ${reason}`);
  // testInfo.skip(true) throws; this line only satisfies the type checker.
  throw new Error(`not applicable: ${reason}`);
}

/**
 * Declares, from this point of the test on, the failure a known deviation of this
 * Kubernetes version causes (src/laws/deviations.ts). Call it after asserting what the
 * cluster does get right, right before the assertion the deviation breaks: a failure
 * earlier in the test stays an unexpected failure.
 */
export function expectKnownDeviation(testInfo: TestInfo, id: LawId, version: ServerVersion): KnownDeviation | undefined {
  const deviation = deviationFor(id, version);
  if (deviation === undefined) return undefined;
  testInfo.annotations.push({ type: knownDeviationAnnotationType, description: `${deviation.summary} (${deviation.evidence})` });
  testInfo.fail(true, `known deviation of ${id} on ${version.gitVersion}: ${deviation.summary}`);
  return deviation;
}
