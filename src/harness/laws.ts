/**
 * How a test names the laws it checks and declares a law not applicable.
 */
import type { TestInfo } from '@playwright/test';
import type { LawId } from '../laws/registry.ts';
import { lawAnnotationType, notApplicableAnnotationType } from '../report/conventions.ts';

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
