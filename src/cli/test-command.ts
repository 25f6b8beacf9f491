/**
 * `npm test`: the project's tests. Unit tests of the pure logic first (seconds), then
 * the cluster (created or reused), then every Playwright suite against it, then the HTML
 * summary the run wrote opened in chromium (tests/browser, seconds, no cluster). Ends with
 * one summary line over both runners; exits non-zero when anything failed.
 */
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { exitCodes } from '../errors.ts';
import { repoRoot, reportsDir } from '../paths.ts';
import { Progress } from '../provision/lib/progress.ts';
import { addCounts, countsFromPlaywrightJson, countsFromTap, summaryLine } from '../provision/lib/test-counts.ts';
import type { Counts } from '../provision/lib/test-counts.ts';
import { clusterUp } from '../provision/cluster/up.ts';
import { ensureDebPackages } from '../provision/lib/apt.ts';
import { runSuites } from './run-suites.ts';
import { exitCodeFromRun, readLawsSummary } from '../report/exit-code.ts';

export const playwrightJsonReport = join(reportsDir, 'playwright-results.json');

/** node:test files under a folder, their results counted from a TAP file written beside the other reports. */
async function nodeTests(glob: string, tapName: string): Promise<Counts> {
  const tapFile = join(reportsDir, tapName);
  await execa(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      glob,
    ],
    { cwd: repoRoot, reject: false, stdout: 'inherit', stderr: 'inherit' },
  );
  return countsFromTap(readFileSync(tapFile, 'utf8'));
}

async function unitTests(): Promise<Counts> {
  // The JUnit report's unit test validates it with libxml2's xmllint (tests/unit/report-formats.test.ts).
  await ensureDebPackages(['libxml2-utils']);
  return nodeTests('tests/unit/**/*.test.ts', 'unit.tap');
}

/** Tests of podlaw's own host code against the real Docker engine (no cluster): after cluster up, which starts dockerd. */
async function hostTests(): Promise<Counts> {
  return nodeTests('tests/host/**/*.test.ts', 'host.tap');
}

async function suites(extraArgs: readonly string[]): Promise<{ counts: Counts; exit: 0 | 1 }> {
  rmSync(playwrightJsonReport, { force: true });
  const playwrightExit = await runSuites(extraArgs);
  if (!existsSync(playwrightJsonReport)) throw new Error(`Playwright wrote no ${playwrightJsonReport}`);
  const counts = countsFromPlaywrightJson(readFileSync(playwrightJsonReport, 'utf8'));
  return { counts, exit: exitCodeFromRun(playwrightExit, readLawsSummary(join(reportsDir, 'laws.json'))) };
}

/** The run's reports/index.html in Debian's chromium (tests/browser/playwright.config.ts). */
async function browserTest(): Promise<Counts> {
  const jsonFile = join(reportsDir, 'browser-results.json');
  rmSync(jsonFile, { force: true });
  await execa(
    process.execPath,
    [join(repoRoot, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'tests/browser', '--reporter', 'list,json'],
    {
      cwd: repoRoot,
      env: { PODLAW_REPORT_DIR: reportsDir, PLAYWRIGHT_JSON_OUTPUT_FILE: jsonFile },
      reject: false,
      stdout: 'inherit',
      stderr: 'inherit',
    },
  );
  if (!existsSync(jsonFile)) throw new Error(`the browser test wrote no ${jsonFile}`);
  return countsFromPlaywrightJson(readFileSync(jsonFile, 'utf8'));
}

export async function testCommand(args: readonly string[]): Promise<number> {
  mkdirSync(reportsDir, { recursive: true });
  const unitOnly = args.includes('--unit-only');
  const unit = await unitTests();
  console.log(summaryLine('unit', unit));
  if (unitOnly) return unit.failed === 0 ? 0 : exitCodes.lawsFailed;
  const progress = new Progress();
  await clusterUp(progress);
  progress.log(progress.summary('cluster ready'));
  const host = await hostTests();
  console.log(summaryLine('host', host));
  const suite = await suites(args.filter((a) => a !== '--unit-only'));
  const browser = await browserTest();
  console.log(summaryLine('unit', unit));
  console.log(summaryLine('host', host));
  console.log(summaryLine('suites', suite.counts));
  console.log(summaryLine('browser', browser));
  const total = addCounts(addCounts(addCounts(unit, host), suite.counts), browser);
  console.log(summaryLine('total', total));
  // A law can fail in a test Playwright passed (off-range measurement); a known deviation alone exits 0.
  return total.failed === 0 && suite.exit === 0 ? 0 : exitCodes.lawsFailed;
}
