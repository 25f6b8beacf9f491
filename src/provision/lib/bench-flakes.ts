/**
 * `npm run bench -- flakes N [--grep REGEX]`: the suites N times through `podlaw run`
 * against the existing cluster (by its context: no cluster up, nothing recreated), then
 * each law's verdict counts and how many laws' verdicts differed between runs, and each
 * run's wall/floor ratio: the floor's target holds per run, and the cluster's clocks (the
 * PodGC pass, each kubelet's Lease renewal) move a run's wall time by tens of seconds; runs start at random phases of
 * them (phaseOffsetMs).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../paths.ts';
import { describeTally, tallyVerdicts } from './flakes.ts';
import type { LawsVerdicts } from './flakes.ts';
import { formatDuration } from './progress.ts';
import { startPodlawRun } from './podlaw-run.ts';
import { podGcCheckPeriodMs } from '../../kube/podgc.ts';

/**
 * Each run after the first starts a random part of the longest controller period a run meets (PodGC's 20 s gcCheckPeriod)
 * after the one before ends. Back to back, runs of about 220 s (11 periods) met the cluster's periodic controllers at
 * the same phase: NOD-10's first PodGC pass came 18.5 and 18.6 s after its deletion in two consecutive runs, 19.9 and
 * 19.7 s in two others, so a series' mean weighed one draw of that luck as several. A deliberate offset, not a wait for
 * anything: the cluster is idle between runs.
 */
export function phaseOffsetMs(random: () => number = Math.random): number {
  return Math.floor(random() * podGcCheckPeriodMs);
}

/** What one run's Playwright results say beyond its verdicts (`bench floor`'s wall/floor ratio, from the cli layer). */
export interface RunReading {
  readonly line: string;
  readonly ratio: number | undefined;
}

export async function benchFlakes(
  runs: number,
  grep: string | undefined,
  readRun: (playwrightJson: string) => Promise<RunReading | undefined> = () => Promise.resolve(undefined),
): Promise<void> {
  const dir = join(repoRoot, 'reports', 'bench-flakes');
  // A series stands alone: results kept from an earlier one would be read as this one's.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lawsJson = join(repoRoot, 'reports', 'laws.json');
  const results: (LawsVerdicts | undefined)[] = [];
  const ratios: number[] = [];
  for (let i = 1; i <= runs; i += 1) {
    const offsetMs = i === 1 ? 0 : phaseOffsetMs();
    if (offsetMs > 0) await new Promise((resolve) => setTimeout(resolve, offsetMs));
    rmSync(lawsJson, { force: true });
    const run = startPodlawRun(grep !== undefined ? ['--grep', grep] : [], join(dir, `run-${i}.log`));
    const { code, signal } = await run.exited;
    const seconds = (Date.now() - run.startedAt.getTime()) / 1000;
    let verdicts: LawsVerdicts | undefined;
    if (existsSync(lawsJson)) {
      copyFileSync(lawsJson, join(dir, `laws-${i}.json`));
      verdicts = JSON.parse(readFileSync(lawsJson, 'utf8')) as LawsVerdicts;
    }
    // Every run keeps its Playwright results (timelines, pod and node histories; about 3.5 MB): the next run overwrites
    // reports/, and a flake is fixed at its cause, which a failed run's show next to the passing runs' around it.
    const playwrightJson = join(repoRoot, 'reports', 'playwright-results.json');
    const kept = join(dir, `playwright-results-${i}.json`);
    let reading: RunReading | undefined;
    if (existsSync(playwrightJson)) {
      copyFileSync(playwrightJson, kept);
      reading = await readRun(kept);
    }
    if (reading?.ratio !== undefined) ratios.push(reading.ratio);
    // Its attachments too (k6's per-request log, conntrack flows): the results above name them by path only.
    const attachments = join(repoRoot, 'test-results');
    if (code !== 0 && existsSync(attachments)) cpSync(attachments, join(dir, `test-results-${i}`), { recursive: true });
    results.push(verdicts);
    const summary = (verdicts as { summary?: { line?: string } } | undefined)?.summary?.line ?? 'no laws.json written';
    const exit = `exit ${code ?? signal ?? '?'} after ${formatDuration(seconds)}`;
    console.log(
      `run ${i}/${runs}${offsetMs > 0 ? ` (started ${formatDuration(offsetMs / 1000)} after the run before)` : ''}: ${exit}; ${summary}` +
        `${reading === undefined ? '' : `; ${reading.line}`} (log: reports/bench-flakes/run-${i}.log)`,
    );
  }
  const tally = tallyVerdicts(results).filter((t) => !(Object.keys(t.counts).length === 1 && t.counts['not run'] === runs));
  for (const law of tally) console.log(`  ${describeTally(law)}`);
  const differing = tally.filter((t) => t.differs);
  const what = grep !== undefined ? `of --grep ${JSON.stringify(grep)}` : 'of every suite';
  const which = differing.length > 0 ? `: ${differing.map((t) => t.id).join(', ')}` : '';
  console.log(
    `bench flakes: ${runs} run(s) ${what}; ${tally.length} law(s) with a verdict; ` +
      `${differing.length} law(s) whose verdict differed between runs${which}` +
      (ratios.length === 0 ? '' : `; ${describeRatios(ratios)}`),
  );
}

/** The runs' wall/floor ratios: each, then their range and mean (the floor's target is per run; luck moves it). */
export function describeRatios(ratios: readonly number[]): string {
  const fixed = (r: number): string => r.toFixed(2);
  const mean = ratios.reduce((sum, r) => sum + r, 0) / ratios.length;
  return `wall/floor ${ratios.map(fixed).join(', ')} (${fixed(Math.min(...ratios))}–${fixed(Math.max(...ratios))}, mean ${fixed(mean)})`;
}
