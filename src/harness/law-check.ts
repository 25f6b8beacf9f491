/**
 * How a test binds the law it checks and records what it observed for it.
 *
 *   test('…', law('TRM-2'), async ({ check }) => {
 *     check.duration(expectation, measuredMs, tolerance);   // a timing against its documented range
 *     check.fact('exit code', '137', String(code), 'state.terminated');
 *   });
 *
 * The law is named once, in the test's details; `check` records for that law, and
 * `check.for('PRB-3')` for another law the same test names. The closing "no observation
 * outside its expectation" assertion runs in the `timeline` fixture after the test body.
 */
import type { TestInfo } from '@playwright/test';
import type { LawId } from '../laws/catalog/index.ts';
import { isLawId } from '../laws/catalog/index.ts';
import type { Expectation, Tolerance } from '../laws/expectation.ts';
import { deviationFor } from '../laws/deviations.ts';
import type { KnownDeviation } from '../laws/deviations.ts';
import type { ServerVersion } from '../cluster/version.ts';
import {
  deviationSignatureAnnotationType,
  knownDeviationAnnotationType,
  lawAnnotationType,
  notApplicableAnnotationType,
} from '../report/conventions.ts';
import { durationObservation, factObservation } from '../timeline/observation.ts';
import type { Observation } from '../timeline/observation.ts';
import type { Timeline } from '../timeline/timeline.ts';

export interface LawDetails {
  readonly tag: string[];
  readonly annotation: { type: string; description: string }[];
}

/** Test details naming the laws: `test('…', law('PRB-2'), async ({ check }) => …)`. */
export function law(...ids: readonly [LawId, ...LawId[]]): LawDetails {
  return {
    tag: ids.map((id) => `@${id}`),
    annotation: ids.map((id) => ({ type: lawAnnotationType, description: id })),
  };
}

/** The laws a test named with law(…), in order. */
export function lawsOfTest(testInfo: Pick<TestInfo, 'annotations'>): LawId[] {
  return testInfo.annotations.flatMap((a) =>
    a.type === lawAnnotationType && a.description !== undefined && isLawId(a.description) ? [a.description] : [],
  );
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

/** Records the observations of one law of the running test on its timeline. */
export class LawCheck {
  readonly law: LawId;
  readonly #timeline: Timeline;
  readonly #testInfo: TestInfo;
  readonly #lawsOfTest: readonly LawId[];

  constructor(law: LawId, timeline: Timeline, testInfo: TestInfo, lawsOfTest: readonly LawId[]) {
    this.law = law;
    this.#timeline = timeline;
    this.#testInfo = testInfo;
    this.#lawsOfTest = lawsOfTest;
  }

  /** The check of another law the test names (`law('PRB-3', 'TRM-3')`). */
  for(id: LawId): LawCheck {
    if (!this.#lawsOfTest.includes(id)) throw new Error(`the test checks ${this.#lawsOfTest.join(', ')}, not ${id}: name it in law(…)`);
    return new LawCheck(id, this.#timeline, this.#testInfo, this.#lawsOfTest);
  }

  /**
   * A measured duration against its documented expectation, with the harness's named tolerance. `endedAtMs`: when the
   * measured interval ended (a watch sighting), when the test records it later: the timeline then holds the interval where
   * it happened, and the critical-path floor (src/report/critical-path-floor.ts), which chains an interval after another
   * only when it began after that one ended, reads the true end rather than the moment of recording.
   */
  duration(expectation: Expectation, measuredMs: number, tolerance: Tolerance, endedAtMs?: number): Observation {
    const observation = durationObservation(this.law, expectation, measuredMs, tolerance);
    return endedAtMs === undefined ? this.#timeline.record(observation) : this.#timeline.record(observation, new Date(endedAtMs));
  }

  /** A checked fact: ok when measured equals expected, unless `ok` says otherwise. */
  fact(name: string, expected: string, measured: string, source: string, ok?: boolean): Observation {
    return this.#timeline.record(factObservation(this.law, name, expected, measured, source, ok));
  }

  /** Every observation of the test (all its laws) outside its expectation, so far. */
  failures(): Observation[] {
    return this.#timeline.observations.filter((o) => !o.ok);
  }

  /**
   * Declares the known deviation of this law on this release (src/laws/deviations.ts), if
   * any: its summary and its signature go on the result, and the report judges the test
   * by them. The test must record the deviating observation (not throw on it); anything
   * else failing, a timeout or a harness error stays a failure.
   */
  declareKnownDeviation(version: ServerVersion): KnownDeviation | undefined {
    const deviation = deviationFor(this.law, version);
    if (deviation === undefined) return undefined;
    this.#testInfo.annotations.push(
      { type: knownDeviationAnnotationType, description: `${deviation.summary} (${deviation.evidence}; releases ${deviation.releases})` },
      { type: deviationSignatureAnnotationType, description: JSON.stringify(deviation.signature) },
    );
    return deviation;
  }
}
