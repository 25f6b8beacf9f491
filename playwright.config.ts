/**
 * Playwright runs podlaw's suites against a real cluster: API tests only, no browser.
 * Workers default to 2 for the law suites, 1 for their longest tests and 1 per loss worker; PODLAW_WORKERS sets
 * the total (each project keeps its own cap, so a larger number leaves workers idle).
 */
import { defineConfig } from '@playwright/test';
import { newRunId } from './src/run-settings.ts';
import { lossSlotTag, lossSlots } from './src/loss-slots.ts';
import { smokeAsDependencyEnv, smokeProject, type SmokeGatePoint } from './src/smoke-verdict.ts';
import { playwrightTestTimeoutMs } from './src/harness/timeouts.ts';

// Set once in the runner process; workers inherit it, so all namespaces of a run share it.
process.env['PODLAW_RUN_ID'] ||= newRunId();

/** The law suites' workers at most (see workers()). */
const lawWorkers = 2;
/**
 * The smoke checks' workers at most: the run's first seconds, before the law suites start. Two, beside the loss chains
 * and the law suites' longest tests: the checks end about 9 s in, before a loss test is ready to fault (8–9 s). Three
 * ended them 1 s sooner, and their pods and processes slowed the first loss test's head on two cores (9.3 s).
 */
const smokeWorkers = 2;

/**
 * Two for the law suites, one for their longest tests, one per loss worker (a loss worker's tests
 * and the longest law tests mostly wait for the kubelet and the controllers: grace periods,
 * tolerations, back-offs). The law suites keep two at most (their project's `workers`), chosen
 * from the host CPU measured by `bench floor` on 2 cores: a third law worker ended the law suites
 * 45 s sooner, but its CPU (all cores busy in 21 % of samples, against 12 % with two) delayed the
 * controllers and the load's answers: in bench flakes, a taint manager deletion 30.8 s after its
 * 30 s toleration, a request failing 16 s after its endpoint had left, and a rolling delete's
 * failed requests, in 2 of 5 runs. The longest law tests (a crash loop's back-offs, the memory-
 * pressure episode) use little CPU and run one after another beside them.
 */
function workers(): number {
  const raw = process.env['PODLAW_WORKERS'];
  if (raw === undefined || raw === '') return lawWorkers + 1 + lossSlots.length;
  const parsed = Number.parseInt(raw, 10);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`PODLAW_WORKERS must be a positive integer, got ${JSON.stringify(raw)}`);
  return parsed;
}

/**
 * Sharded (`podlaw run --shard` sets the variable), the smoke checks are every project's dependency again: Playwright
 * shards a run's projects but runs the dependencies whole on every shard, so each shard checks the cluster it judges.
 */
const afterSmokeWhenSharded = process.env[smokeAsDependencyEnv] === '1' ? { dependencies: [smokeProject] } : {};

/** Suites that lose a loss worker: each test carries its slot's tag and runs in that slot's project. */
const lossWorkerSuites = ['node-loss/node-loss.spec.ts'];

/**
 * The law suites' longest tests (bench floor: the crash-loop back-off 85–105 s, the memory-pressure episode 60–85 s;
 * the next is under 30 s), one after another in a worker of their own: together they end before the law suites' two
 * workers do, and before the loss chains.
 */
const longLawSuites = ['probes/crashloop-backoff.spec.ts', 'node-pressure/eviction-order.spec.ts'];

export default defineConfig<object, { smokeGateAt: SmokeGatePoint }>({
  testDir: 'suites',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: workers(),
  retries: 0,
  // Tests bound every wait with a timeout named after the documented value it derives
  // from; this outer limit only catches a harness bug.
  timeout: playwrightTestTimeoutMs,
  forbidOnly: process.env['CI'] !== undefined,
  // Collects namespaces and faults of dead runs (stale owner heartbeat) before any test, then reads the cluster's
  // timing once for every worker (a worker started later may find a node under a fault, its kubelet silent).
  globalSetup: './src/harness/global-setup.ts',
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'reports/html' }],
    // Read by `npm test` (src/cli/test-command.ts) for its closing count line, and by `npm run bench -- suites`.
    ['json', { outputFile: 'reports/playwright-results.json' }],
    ['./src/report/law-reporter.ts', { outputDir: 'reports' }],
    // Hands the smoke verdict to the workers; src/cli/reporter-choice.ts names it again beside --reporter.
    ['./src/report/smoke-gate-reporter.ts'],
  ],
  // One phase, every project at once. The smoke checks come first in the dispatcher's queue (two workers),
  // and what must follow them waits for their verdict (src/smoke-verdict.ts) rather than for a
  // project dependency: a dependency ends a phase, and the next phase's worker processes start only then
  // (the loss chains, the run's critical path, began 12 s in). A loss test waits at its first fault, after
  // placing its workloads; a law test at its start. Each loss worker (role loss) belongs to one project that
  // runs its tests one at a time (node loss with a client under load, NOD-5's taint, EVA-2's drain), so two
  // tests never fault the same node, while both loss workers and the law suites on the general and pressure
  // workers run in parallel.
  projects: [
    // First in the queue: with fewer workers than projects, no test waits for a verdict that has no worker. The law
    // suites, which wait for the verdict at their start, take the smoke checks' workers over once they end.
    { name: smokeProject, testDir: 'suites/smoke', workers: smokeWorkers, use: { smokeGateAt: 'none' as const } },
    // Listed before `laws`: the dispatcher hands free workers to queued tests in this order,
    // so each loss worker's chain, the run's longest, starts at once.
    ...lossSlots.map((slot) => ({
      name: `loss-worker-${slot}`,
      testDir: 'suites',
      testMatch: lossWorkerSuites,
      grep: new RegExp(lossSlotTag(slot)),
      workers: 1,
      use: { smokeGateAt: 'first fault' as const },
      ...afterSmokeWhenSharded,
    })),
    // At its start, as any law test, the memory-pressure episode waits for the smoke checks' verdict: until then their
    // pods run on the pressure worker, and the episode must find only its own pods evictable there (tried: waiting at
    // its fault instead found the smoke checks' pod there and made the episode not applicable).
    { name: 'laws-long', testDir: 'suites', testMatch: longLawSuites, workers: 1, ...afterSmokeWhenSharded },
    // One project, so its `workers` bounds every law test at once. Tried and taken back: a second project queued first
    // with the longer tests (longest first); each project keeps its own cap, so together they could run four law tests at
    // once (a shard of law tests alone, a --grep run).
    {
      name: 'laws',
      testDir: 'suites',
      testIgnore: ['smoke/**', ...lossWorkerSuites, ...longLawSuites],
      workers: lawWorkers,
      ...afterSmokeWhenSharded,
    },
  ],
});
