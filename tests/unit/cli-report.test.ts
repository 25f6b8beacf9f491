/**
 * `podlaw report` and `podlaw run --reporter` as a user runs them (bin/podlaw through execa):
 * bad input exits 2 with one line on stderr before any cluster work; a saved run's directory
 * re-renders into the four report files. No cluster needed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { exitCodes } from '../../src/errors.ts';
import { playwrightReporterArgs } from '../../src/cli/reporter-choice.ts';

const root = resolve(import.meta.dirname, '..', '..');

async function podlaw(...args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa(join(root, 'bin/podlaw'), args, { cwd: root, reject: false, timeout: 30_000 });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function oneLine(text: string): void {
  assert.equal(text.trim().split('\n').length, 1, text);
}

test('report of a directory without saved run data: exit 2, one line naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-report-'));
  const result = await podlaw('report', dir);
  assert.equal(result.exitCode, exitCodes.usage);
  oneLine(result.stderr);
  assert.match(result.stderr, /playwright-results\.json does not exist/);
});

test('report of a file that is not a Playwright JSON report: exit 2, one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-report-'));
  writeFileSync(join(dir, 'playwright-results.json'), '{"hello": 1}');
  const result = await podlaw('report', dir);
  assert.equal(result.exitCode, exitCodes.usage);
  oneLine(result.stderr);
  assert.match(result.stderr, /is not a Playwright JSON report/);
});

test("report without DIR and run with an unknown reporter: exit 2 with commander's one-line error", async () => {
  const missing = await podlaw('report');
  assert.equal(missing.exitCode, exitCodes.usage);
  assert.match(missing.stderr, /missing required argument 'dirs'/);
  const badReporter = await podlaw('run', '--reporter', 'fancy', '--law', 'PRB-2');
  assert.equal(badReporter.exitCode, exitCodes.usage);
  assert.match(badReporter.stderr, /argument 'fancy' is invalid\. Allowed choices are list, line, dot, null/);
});

test('a bad --shard and several DIRs without --output: exit 2, one line each', async () => {
  for (const shard of ['4/3', '0/2', '1', 'a/b']) {
    const result = await podlaw('run', '--shard', shard, '--law', 'PRB-2');
    assert.equal(result.exitCode, exitCodes.usage, shard);
    oneLine(result.stderr);
    assert.match(result.stderr, /--shard must be INDEX\/TOTAL/);
  }
  const several = await podlaw('report', 'a', 'b');
  assert.equal(several.exitCode, exitCodes.usage);
  oneLine(several.stderr);
  assert.match(several.stderr, /several DIRs need --output/);
});

function savedRun(title: string, tag: string, startTime: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-report-'));
  const saved = {
    stats: { startTime, duration: 1000, unexpected: 0 },
    suites: [{ specs: [{ title, file: 'p.spec.ts', tags: [tag], tests: [{ results: [{ status: 'passed', duration: 5 }] }] }] }],
  };
  writeFileSync(join(dir, 'playwright-results.json'), JSON.stringify(saved));
  return dir;
}

test('report of several shard DIRs merges their verdicts', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'podlaw-report-')), 'merged');
  const shard1 = savedRun('prb-2 test', '@PRB-2', '2026-01-01T00:00:05.000Z');
  const shard2 = savedRun('trm-2 test', '@TRM-2', '2026-01-01T00:00:01.000Z');
  const result = await podlaw('report', shard1, shard2, '--output', out);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.match(result.stdout, /laws: 2 passed, 0 failed/);
  const json = JSON.parse(readFileSync(join(out, 'laws.json'), 'utf8')) as { run: { startedAt: string } };
  assert.equal(json.run.startedAt, '2026-01-01T00:00:01.000Z');
});

test('report DIR re-renders laws.json, laws.md, junit.xml and index.html from the saved run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-report-'));
  const saved = {
    stats: { startTime: '2026-01-01T00:00:00.000Z', duration: 1000, unexpected: 0 },
    suites: [
      { specs: [{ title: 'prb-2 test', file: 'p.spec.ts', tags: ['@PRB-2'], tests: [{ results: [{ status: 'passed', duration: 5 }] }] }] },
    ],
  };
  writeFileSync(join(dir, 'playwright-results.json'), JSON.stringify(saved));
  const out = join(dir, 'out');
  const result = await podlaw('report', dir, '--output', out);
  assert.equal(result.exitCode, 0, result.stderr);
  for (const file of ['laws.json', 'laws.md', 'junit.xml', 'index.html']) assert.ok(existsSync(join(out, file)), file);
  assert.match(result.stdout, /laws: 1 passed, 0 failed, 0 deviates \(known\), 0 not applicable, \d+ not run/);
  const json = JSON.parse(readFileSync(join(out, 'laws.json'), 'utf8')) as { laws: { id: string; verdict: string }[] };
  assert.equal(json.laws.find((l) => l.id === 'PRB-2')?.verdict, 'passed');
});

test('--reporter keeps the report writers beside the terminal reporter', () => {
  const { args, env } = playwrightReporterArgs('dot');
  assert.equal(args[0], '--reporter');
  assert.deepEqual(args[1]?.split(',').slice(0, 3), ['dot', 'html', 'json']);
  assert.match(args[1] ?? '', /src\/report\/law-reporter\.ts,/);
  assert.match(args[1] ?? '', /src\/report\/smoke-gate-reporter\.ts$/);
  assert.match(env['PLAYWRIGHT_JSON_OUTPUT_FILE'] ?? '', /reports\/playwright-results\.json$/);
});
