/**
 * `podlaw report DIR [--output OUT]`: re-renders a past run's reports (laws.json, laws.md,
 * junit.xml, index.html) from the data the run saved in DIR: Playwright's JSON report
 * (playwright-results.json, with the timelines and observations attached to each test, and
 * the load.json files it names). The run id is taken from DIR/laws.json when present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PodlawError } from '../errors.ts';
import { runDataFromPlaywrightJson, type PlaywrightJson } from '../report/run-data.ts';
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

export function reportCommand(dir: string, output: string | undefined): number {
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
  const outputDir = resolve(output ?? dir);
  const runId = data.run.runId ?? previousRunId(resolve(dir));
  const counts = writeReports({ ...data, run: { ...data.run, runId } }, outputDir);
  console.log(`reports: ${reportFiles.map((f) => join(outputDir, f)).join(', ')}`);
  console.log(summaryLine(counts));
  return 0;
}
