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

/** Suites that lose a loss worker; they never share one (see projects below). */
const lossWorkerSuites = ['node-loss/**', 'load/node-loss-under-load.spec.ts'];

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
    ['./src/report/law-reporter.ts', { outputDir: 'reports' }],
  ],
  // The loss workers are shared by the smoke suite (NodePort replicas, NOD-1's pause), the
  // node-loss family (one test group per loss worker, in order) and node loss under load. Each
  // of those owns both loss workers for its whole duration, so they run one after another;
  // everything else runs on the general and pressure workers, beside them.
  projects: [
    { name: 'smoke', testDir: 'suites/smoke' },
    { name: 'laws', testDir: 'suites', testIgnore: ['smoke/**', ...lossWorkerSuites] },
    { name: 'node-loss', testDir: 'suites', testMatch: ['node-loss/**/*.spec.ts'], dependencies: ['smoke'] },
    { name: 'node-loss-under-load', testDir: 'suites', testMatch: ['load/node-loss-under-load.spec.ts'], dependencies: ['node-loss'] },
  ],
});
