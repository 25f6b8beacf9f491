/**
 * The exit code of `podlaw run` and `npm test` (README "Exit codes"): 1 when any test
 * failed (Playwright's code) or any law failed in reports/laws.json (a law can fail on an
 * off-range measurement in a test that passed), 0 otherwise; a known deviation alone
 * ("deviates (known)") exits 0. Pure apart from reading the file.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface LawsSummary {
  readonly failed: number;
  readonly deviatesKnown?: number;
}

export function exitCodeFromRun(playwrightExit: number | undefined, summary: LawsSummary | undefined): 0 | 1 {
  if (playwrightExit !== 0) return 1;
  // Playwright passed but wrote no law summary: nothing says the laws held.
  if (summary === undefined) return 1;
  return summary.failed > 0 ? 1 : 0;
}

export function readLawsSummary(lawsJsonPath: string): LawsSummary | undefined {
  if (!existsSync(lawsJsonPath)) return undefined;
  const parsed = JSON.parse(readFileSync(lawsJsonPath, 'utf8')) as { summary?: LawsSummary };
  return parsed.summary;
}
