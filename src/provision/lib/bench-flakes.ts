/**
 * `npm run bench -- flakes N [--grep REGEX]`: the suites N times through `podlaw run`
 * against the existing cluster (by its context: no cluster up, nothing recreated), then
 * each law's verdict counts and how many laws' verdicts differed between runs.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../paths.ts';
import { describeTally, tallyVerdicts } from './flakes.ts';
import type { LawsVerdicts } from './flakes.ts';
import { formatDuration } from './progress.ts';
import { startPodlawRun } from './podlaw-run.ts';

export async function benchFlakes(runs: number, grep: string | undefined): Promise<void> {
  const dir = join(repoRoot, 'reports', 'bench-flakes');
  // A series stands alone: results kept from an earlier one would be read as this one's.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lawsJson = join(repoRoot, 'reports', 'laws.json');
  const results: (LawsVerdicts | undefined)[] = [];
  for (let i = 1; i <= runs; i += 1) {
    rmSync(lawsJson, { force: true });
    const run = startPodlawRun(grep !== undefined ? ['--grep', grep] : [], join(dir, `run-${i}.log`));
    const { code, signal } = await run.exited;
    const seconds = (Date.now() - run.startedAt.getTime()) / 1000;
    let verdicts: LawsVerdicts | undefined;
    if (existsSync(lawsJson)) {
      copyFileSync(lawsJson, join(dir, `laws-${i}.json`));
      verdicts = JSON.parse(readFileSync(lawsJson, 'utf8')) as LawsVerdicts;
    }
    // A failed run keeps its Playwright results (timelines, pod and node histories attached to the failed
    // test): the next run overwrites reports/, and a flake is fixed at its cause, which these show.
    const playwrightJson = join(repoRoot, 'reports', 'playwright-results.json');
    if (code !== 0 && existsSync(playwrightJson)) copyFileSync(playwrightJson, join(dir, `playwright-results-${i}.json`));
    // Its attachments too (k6's per-request log, conntrack flows): the results above name them by path only.
    const attachments = join(repoRoot, 'test-results');
    if (code !== 0 && existsSync(attachments)) cpSync(attachments, join(dir, `test-results-${i}`), { recursive: true });
    results.push(verdicts);
    const summary = (verdicts as { summary?: { line?: string } } | undefined)?.summary?.line ?? 'no laws.json written';
    const exit = `exit ${code ?? signal ?? '?'} after ${formatDuration(seconds)}`;
    console.log(`run ${i}/${runs}: ${exit}; ${summary} (log: reports/bench-flakes/run-${i}.log)`);
  }
  const tally = tallyVerdicts(results).filter((t) => !(Object.keys(t.counts).length === 1 && t.counts['not run'] === runs));
  for (const law of tally) console.log(`  ${describeTally(law)}`);
  const differing = tally.filter((t) => t.differs);
  const what = grep !== undefined ? `of --grep ${JSON.stringify(grep)}` : 'of every suite';
  const which = differing.length > 0 ? `: ${differing.map((t) => t.id).join(', ')}` : '';
  console.log(
    `bench flakes: ${runs} run(s) ${what}; ${tally.length} law(s) with a verdict; ` +
      `${differing.length} law(s) whose verdict differed between runs${which}`,
  );
}
