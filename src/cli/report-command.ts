/**
 * `podlaw report DIR... [--output OUT]`: re-renders a past run's reports (laws.json, laws.md,
 * junit.xml, index.html) from the data the run saved in DIR: Playwright's JSON report
 * (playwright-results.json, with the timelines and observations attached to each test, and
 * the load.json files it names). The run id is taken from DIR/laws.json when present.
 * Several DIRs — the shards of one run (podlaw run --shard i/n) — are merged into one report:
 * the earliest start, the longest shard's duration.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PodlawError } from '../errors.ts';
import { runDataFromPlaywrightJson, type PlaywrightJson, type RunData } from '../report/run-data.ts';
import { summaryLine } from '../report/verdicts.ts';
import { reportFiles, writeReports } from '../report/write-reports.ts';

export const savedRunFile = 'playwright-results.json';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function previousRunId(dir: string): string | undefined {
  const text = readText(join(dir, 'laws.json'));
  if (text === undefined) return undefined;
  const runId = (JSON.parse(text) as { run?: { runId?: unknown } }).run?.runId;
  return typeof runId === 'string' ? runId : undefined;
}

export function reportCommand(dirs: readonly string[], output: string | undefined): number {
  if (dirs.length > 1 && output === undefined) {
    throw new PodlawError('usage', 'several DIRs need --output', 'e.g. podlaw report shard-1 shard-2 --output merged');
  }
  const runs = dirs.map(readSavedRun);
  const first = runs[0];
  if (first === undefined) throw new PodlawError('usage', 'no DIR given', 'pass the reports directory of a past run');
  const data: RunData = {
    run: {
      startedAt: runs.map((r) => r.run.startedAt).sort()[0] ?? first.run.startedAt,
      durationMs: Math.max(...runs.map((r) => r.run.durationMs)),
      runId: first.run.runId,
      playwrightStatus: runs.every((r) => r.run.playwrightStatus === 'passed') ? 'passed' : 'failed',
    },
    results: runs.flatMap((r) => r.results),
    timelines: runs.flatMap((r) => r.timelines),
  };
  const outputDir = resolve(output ?? dirs[0] ?? '.');
  const counts = writeReports(data, outputDir);
  console.log(`reports: ${reportFiles.map((f) => join(outputDir, f)).join(', ')}`);
  console.log(summaryLine(counts));
  return 0;
}

function readSavedRun(dir: string): RunData {
  const source = join(resolve(dir), savedRunFile);
  if (!existsSync(source)) {
    throw new PodlawError('usage', `${source} does not exist`, `pass the reports directory of a past run (it holds ${savedRunFile})`);
  }
  let report: PlaywrightJson;
  try {
    report = JSON.parse(readFileSync(source, 'utf8')) as PlaywrightJson;
  } catch (error) {
    throw new PodlawError('usage', `${source} is not JSON: ${(error as Error).message}`, 'pass the reports directory of a past run');
  }
  if (!Array.isArray(report.suites) || typeof report.stats?.startTime !== 'string') {
    throw new PodlawError('usage', `${source} is not a Playwright JSON report`, 'pass the reports directory of a past run');
  }
  const data = runDataFromPlaywrightJson(report, readText);
  return { ...data, run: { ...data.run, runId: data.run.runId ?? previousRunId(resolve(dir)) } };
}
