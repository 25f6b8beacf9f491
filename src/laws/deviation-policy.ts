/**
 * The judgement of a known deviation and the run's exit code, from verdicts. Pure.
 * A deviation declares its signature (the exact observation names that deviate) and the
 * releases it covers (a range of full versions, not only minors). A test of that law
 * "deviates (known)" only when exactly its signature fails; any other failing observation
 * is a new failure, and a signature that no longer fails makes the entry stale (failed,
 * so it cannot linger). The exit code follows the law verdicts: a deviation alone is 0.
 */

export interface Release {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** One bound of a range: ">=1.36.0", "<1.37.0". Conjunction of bounds, whitespace separated. */
export function inRange(release: Release, range: string): boolean {
  const bounds = range.trim().split(/\s+/);
  if (bounds.length === 0 || bounds[0] === '') throw new Error(`empty release range`);
  return bounds.every((bound) => satisfies(release, bound));
}

function satisfies(release: Release, bound: string): boolean {
  const match = /^(>=|<=|>|<|=)(\d+)\.(\d+)\.(\d+)$/.exec(bound);
  if (match === null) throw new Error(`release bound "${bound}" is not <op>MAJOR.MINOR.PATCH`);
  const [, op, major, minor, patch] = match;
  const order = compare(release, { major: Number(major), minor: Number(minor), patch: Number(patch) });
  switch (op) {
    case '>=': return order >= 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '<': return order < 0;
    default: return order === 0;
  }
}

function compare(a: Release, b: Release): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export type DeviationJudgement =
  | { readonly verdict: 'deviates (known)'; readonly reason: string }
  | { readonly verdict: 'failed'; readonly reason: string };

/** Judges one test of a law with a declared deviation from the names of its failing observations. */
export function judgeDeviation(signature: readonly string[], failing: readonly string[]): DeviationJudgement {
  const unexpected = failing.filter((name) => !signature.includes(name));
  if (unexpected.length > 0) return { verdict: 'failed', reason: `new failure besides the known deviation: ${unexpected.join(', ')}` };
  const missing = signature.filter((name) => !failing.includes(name));
  if (missing.length > 0) {
    return { verdict: 'failed', reason: `known deviation no longer seen (${missing.join(', ')} passed): update src/laws/deviations.ts` };
  }
  return { verdict: 'deviates (known)', reason: `deviates as declared: ${signature.join(', ')}` };
}

export type RunVerdict = 'passed' | 'failed' | 'deviates (known)' | 'not applicable' | 'not run';

/** Counts for the `laws:` summary line, deviations apart from passed and failed. */
export function verdictCounts(verdicts: readonly RunVerdict[]): Record<RunVerdict, number> {
  const counts: Record<RunVerdict, number> = { passed: 0, failed: 0, 'deviates (known)': 0, 'not applicable': 0, 'not run': 0 };
  for (const v of verdicts) counts[v] += 1;
  return counts;
}

/** README "Exit codes": 1 when any law failed, else 0 (known deviations alone exit 0). */
export function exitCodeFor(verdicts: readonly RunVerdict[]): 0 | 1 {
  return verdicts.includes('failed') ? 1 : 0;
}
