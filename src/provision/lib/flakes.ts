/**
 * Per-law verdicts over repeated runs, and which laws did not get the same verdict every
 * time. Pure; `npm run bench -- flakes N` feeds it each run's reports/laws.json.
 */

export interface LawsVerdicts {
  readonly laws: readonly { readonly id: string; readonly verdict: string; readonly reason?: string | null }[];
}

export interface LawTally {
  readonly id: string;
  /** verdict → how many runs gave it. */
  readonly counts: Readonly<Record<string, number>>;
  /** Runs that gave no verdict for this law (no laws.json, or the law missing from it). */
  readonly missing: number;
  readonly differs: boolean;
}

/** One tally per law seen in any run; a law differs when two runs gave it different verdicts, or a run gave none. */
export function tallyVerdicts(runs: readonly (LawsVerdicts | undefined)[]): LawTally[] {
  const ids = [...new Set(runs.flatMap((run) => run?.laws.map((l) => l.id) ?? []))].sort();
  return ids.map((id) => {
    const counts: Record<string, number> = {};
    let missing = 0;
    for (const run of runs) {
      const verdict = run?.laws.find((l) => l.id === id)?.verdict;
      if (verdict === undefined) missing += 1;
      else counts[verdict] = (counts[verdict] ?? 0) + 1;
    }
    return { id, counts, missing, differs: Object.keys(counts).length + (missing > 0 ? 1 : 0) > 1 };
  });
}

export function describeTally(tally: LawTally): string {
  const parts = Object.entries(tally.counts).map(([verdict, n]) => `${verdict} ×${n}`);
  if (tally.missing > 0) parts.push(`no verdict ×${tally.missing}`);
  return `${tally.id.padEnd(7)} ${parts.join(', ')}${tally.differs ? '   <- differs' : ''}`;
}
