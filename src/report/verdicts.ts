/**
 * From test results to one verdict per law. Pure. A law is "not applicable" only when
 * every test of it declared so with a reason; a skip without that declaration, an
 * interrupted run or no test at all is "not run" — never a pass.
 */
import type { Law, LawId } from '../laws/catalog/index.ts';
import type { Observation } from '../timeline/observation.ts';
import { judgeDeviation } from '../laws/deviation-policy.ts';

export type TestStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

export interface LawTestResult {
  readonly title: string;
  readonly file: string;
  readonly laws: readonly LawId[];
  readonly status: TestStatus;
  /** Set when the test declared the law not applicable. */
  readonly notApplicableReason: string | undefined;
  /** Why the test was not judged (the cluster failed its smoke checks), whatever its status. */
  readonly notJudgedReason?: string | undefined;
  /** Set when the test declared a known deviation of this Kubernetes release: its summary. */
  readonly knownDeviation?: string | undefined;
  /** The declared deviation's signature: the observation names that deviate. */
  readonly deviationSignature?: readonly string[] | undefined;
  readonly observations: readonly Observation[];
  readonly error: string | undefined;
  readonly durationMs: number;
}

export type Verdict = 'passed' | 'failed' | 'deviates (known)' | 'not applicable' | 'not run';

export interface LawVerdict {
  readonly law: Law;
  readonly verdict: Verdict;
  /** Why: the not-applicable reason, the first error, or why it did not run. */
  readonly reason: string | undefined;
  readonly tests: readonly LawTestResult[];
  readonly observations: readonly Observation[];
}

/**
 * The verdict of one law from the tests that name it. Given `law`, a passed test that checks several laws fails
 * this one only by its own observations: a client fact of NOD-4 off range fails NOD-4, not NOD-1 measured in the
 * same node loss. A test that failed outright fails every law it names (its error belongs to no one law), and a
 * declared deviation's signature is judged over all of the test's observations.
 */
export function verdictFor(tests: readonly LawTestResult[], law?: LawId): { verdict: Verdict; reason: string | undefined } {
  if (tests.length === 0) return { verdict: 'not run', reason: 'no test checks this law yet, or it was not selected' };
  // A test that met a cluster that failed its smoke checks judged nothing, even if it failed on that cluster first.
  const unjudged = tests.filter((t) => t.notJudgedReason !== undefined);
  if (unjudged.length > 0) {
    return { verdict: 'not run', reason: [...new Set(unjudged.map((t) => t.notJudgedReason))].join(' | ') };
  }
  const failed = tests.filter((t) => t.status === 'failed' || t.status === 'timedOut');
  if (failed.length > 0) {
    const why = (t: LawTestResult): string =>
      t.knownDeviation !== undefined
        ? `known deviation: ${t.knownDeviation} — ${t.error ?? t.status}`
        : `${t.title}: ${t.error ?? t.status}`;
    return { verdict: 'failed', reason: failed.map(why).join(' | ') };
  }
  const interrupted = tests.filter((t) => t.status === 'interrupted');
  if (interrupted.length > 0) return { verdict: 'not run', reason: 'the run was interrupted' };
  const plainSkips = tests.filter((t) => t.status === 'skipped' && t.notApplicableReason === undefined);
  if (plainSkips.length > 0)
    return { verdict: 'not run', reason: `skipped without a not-applicable reason: ${plainSkips.map((t) => t.title).join(', ')}` };
  const passed = tests.filter((t) => t.status === 'passed');
  // A measurement outside its documented range fails the law even if the test forgot to assert it;
  // in a test that declared a known deviation, exactly its signature deviates (known), anything else fails.
  const judged = passed.map((t) => {
    const failing = t.observations.filter((o) => !o.ok && (law === undefined || t.deviationSignature !== undefined || o.law === law));
    if (t.deviationSignature !== undefined) {
      const judgement = judgeDeviation(
        t.deviationSignature,
        failing.map((o) => o.name),
      );
      return { ...judgement, reason: `${t.title}: ${judgement.reason}${t.knownDeviation !== undefined ? ` — ${t.knownDeviation}` : ''}` };
    }
    if (failing.length === 0) return undefined;
    const offRange = failing.map((o) => `${t.title}: ${o.name} measured ${o.measured}, expected ${o.expected}`).join(' | ');
    return { verdict: 'failed' as const, reason: offRange };
  });
  const failedJudgements = judged.filter((j) => j?.verdict === 'failed');
  if (failedJudgements.length > 0) return { verdict: 'failed', reason: failedJudgements.map((j) => j?.reason).join(' | ') };
  const deviating = judged.filter((j) => j?.verdict === 'deviates (known)');
  if (deviating.length > 0) return { verdict: 'deviates (known)', reason: deviating.map((j) => j?.reason).join(' | ') };
  const stale = passed.filter((t) => t.knownDeviation !== undefined && t.deviationSignature === undefined);
  if (stale.length > 0)
    return {
      verdict: 'passed',
      reason: `passed although a known deviation was declared; remove it from src/laws/deviations.ts (${stale.map((t) => t.title).join(', ')})`,
    };
  if (passed.length > 0) return { verdict: 'passed', reason: undefined };
  const reasons = [...new Set(tests.map((t) => t.notApplicableReason ?? ''))].filter((r) => r !== '');
  return { verdict: 'not applicable', reason: reasons.join('; ') };
}

export function lawVerdicts(registry: readonly Law[], results: readonly LawTestResult[]): LawVerdict[] {
  return registry.map((law) => {
    const tests = results.filter((result) => result.laws.includes(law.id));
    const { verdict, reason } = verdictFor(tests, law.id);
    const observations = tests.flatMap((t) => t.observations.filter((o) => o.law === law.id));
    return { law, verdict, reason, tests, observations };
  });
}

export interface VerdictCounts {
  readonly passed: number;
  readonly failed: number;
  /** Laws that deviate exactly as a known deviation declares: neither passed nor failed. */
  readonly deviatesKnown: number;
  readonly notApplicable: number;
  readonly notRun: number;
}

export function countVerdicts(verdicts: readonly LawVerdict[]): VerdictCounts {
  const count = (v: Verdict): number => verdicts.filter((x) => x.verdict === v).length;
  return {
    passed: count('passed'),
    failed: count('failed'),
    deviatesKnown: count('deviates (known)'),
    notApplicable: count('not applicable'),
    notRun: count('not run'),
  };
}

/** The line every run ends with: `laws: 12 passed, 0 failed, 1 deviates (known), 1 not applicable, 30 not run`. */
export function summaryLine(counts: VerdictCounts): string {
  const base = `laws: ${counts.passed} passed, ${counts.failed} failed, ${counts.deviatesKnown} deviates (known), ${counts.notApplicable} not applicable`;
  return counts.notRun > 0 ? `${base}, ${counts.notRun} not run` : base;
}
