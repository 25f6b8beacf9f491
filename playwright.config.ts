/**
 * Playwright runs podlaw's suites against a real cluster: API tests only, no browser.
 * Workers default to 2 (the cluster shares the machine's CPU); PODLAW_WORKERS overrides.
 */
import { defineConfig } from '@playwright/test';
import { newRunId } from './src/settings.ts';

// Set once in the runner process; workers inherit it, so all namespaces of a run share it.
process.env['PODLAW_RUN_ID'] ??= newRunId();

function workers(): number {
  const raw = process.env['PODLAW_WORKERS'];
  if (raw === undefined || raw === '') return 2;
  const parsed = Number.parseInt(raw, 10);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`PODLAW_WORKERS must be a positive integer, got ${JSON.stringify(raw)}`);
  return parsed;
}

export default defineConfig({
  testDir: 'suites',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: workers(),
  retries: 0,
  // Tests bound every wait with a timeout named after the documented value it derives
  // from; this outer limit only catches a harness bug.
  timeout: 10 * 60_000,
  forbidOnly: process.env['CI'] !== undefined,
  // Collects namespaces and faults of dead runs (stale owner heartbeat) before any test.
  globalSetup: './src/lifecycle/run-start.ts',
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'reports/html' }],
    // Read by scripts/test.ts for the closing count line.
    ['json', { outputFile: 'reports/playwright-results.json' }],
    // Read by scripts/test.ts for the closing pass/fail line.
    ['json', { outputFile: 'reports/playwright-results.json' }],
    ['./src/report/law-reporter.ts', { outputDir: 'reports' }],
  ],
  projects: [
    { name: 'smoke', testDir: 'suites/smoke' },
    { name: 'laws', testDir: 'suites', testIgnore: ['smoke/**'] },
  ],
});
