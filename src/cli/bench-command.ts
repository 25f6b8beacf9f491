/**
 * `npm run bench -- <what>`: benchmarks that print figures (tests assert behavior;
 * these measure).
 *   build     what each cached build step took when it was built cold, and the total
 *   cluster   warm `cluster up` (cluster recreated, caches warm) next to a plain
 *             `kind create cluster` with the same image and config, and the memory the
 *             idle cluster uses. Leaves a healthy podlaw cluster behind.
 *   load      the host k6's own CPU cost at the load suites' rate (src/provision/lib/bench-load.ts).
 *   suites    from the last run's reports: the suites' wall time next to the sum of the
 *             documented minimum waits their laws imply (what no harness could beat).
 *   floor     from the last run's reports: the critical-path floor (documented waits, serialized
 *             per faulted node, phases added) next to the measured wall time (src/report/critical-path-floor.ts),
 *             and per phase the host CPU the run used (reports/host-cpu.json, src/report/host-cpu.ts).
 *   upstream  the upstream e2e tests for the same rules on the same cluster, next to podlaw's last
 *             run: per rule times, verdicts and the ratio (src/provision/lib/bench-upstream.ts).
 *   pressure  the memory-pressure family through podlaw run: wall time and the host memory peak
 *             (src/provision/lib/bench-pressure.ts).
 *   flakes N [--grep REGEX]
 *             N runs of the suites through `podlaw run` on the existing cluster; per-law
 *             verdict counts and how many laws' verdicts differed, each run's wall/floor ratio
 *             and their range (src/provision/lib/bench-flakes.ts).
 *   interrupts N [--grep REGEX] [--max-delay SECONDS]
 *             N runs of a node-fault subset interrupted with SIGINT/SIGKILL at random moments;
 *             what the next run's collection left behind (src/provision/lib/bench-interrupts.ts).
 */
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../errors.ts';
import { memoryUsageLines } from '../docker.ts';
import { repoRoot, reportsDir } from '../paths.ts';
import { cacheRoot, readStampIn } from '../provision/lib/cache.ts';
import { Progress, formatDuration } from '../provision/lib/progress.ts';
import { lockedClusterUp } from '../provision/cluster/up.ts';
import { withClusterLock } from '../provision/cluster/lock.ts';
import { clusterName, kubeContext, nodeContainers } from '../podlaw-cluster.ts';
import { parseMemUsageMiB } from '../provision/lib/docker-stats.ts';
import { benchLoad } from '../provision/lib/bench-load.ts';
import { documentedMinima } from '../provision/lib/law-minima.ts';
import type { LawsReport } from '../provision/lib/law-minima.ts';
import { benchFlakes, type RunReading } from '../provision/lib/bench-flakes.ts';
import { benchUpstream } from '../provision/lib/bench-upstream.ts';
import { benchPressure } from '../provision/lib/bench-pressure.ts';
import { lawFloorsMs, nodeChain, phaseFloor, phaseSpan, phasesOf, phaseWorkBoundMs, runFloorMs } from '../report/critical-path-floor.ts';
import { summarizeCpu, type CpuSample } from '../report/host-cpu.ts';
import { hostCpuReport } from './run-suites.ts';
import type { PhaseFloor, ProjectDependencies, TestRecord } from '../report/critical-path-floor.ts';
import { testRecords } from '../report/run-records.ts';
import type { PlaywrightJsonReport } from '../report/run-records.ts';
import { benchInterrupts, defaultInterruptGrep } from '../provision/lib/bench-interrupts.ts';

const usage =
  'usage: npm run bench -- build | cluster | suites | floor | upstream [--report GINKGO_JSON] | pressure | load | flakes N [--grep REGEX] | interrupts N [--grep REGEX] [--max-delay SECONDS]';

function benchBuild(): void {
  const dir = join(cacheRoot(), 'artifacts');
  const rows = readdirSync(dir)
    .filter((name) => !name.endsWith('.partial'))
    .map((name) => ({ name, stamp: readStampIn(join(dir, name)) }))
    .filter((row) => row.stamp?.buildSeconds !== undefined)
    .sort((a, b) => (b.stamp?.buildSeconds ?? 0) - (a.stamp?.buildSeconds ?? 0));
  let total = 0;
  for (const row of rows) {
    total += row.stamp?.buildSeconds ?? 0;
    console.log(`${formatDuration(row.stamp?.buildSeconds ?? 0).padStart(8)}  ${row.name}  (built ${row.stamp?.builtAt ?? '?'})`);
  }
  console.log(
    `bench build: ${rows.length} cached artifacts; their cold builds took ${formatDuration(total)} in sum (Go caches shared between steps make later steps cheaper than alone)`,
  );
}

async function idleMemory(): Promise<{ perNode: Record<string, number>; totalMiB: number }> {
  const perNode: Record<string, number> = {};
  for (const line of await memoryUsageLines(nodeContainers)) {
    const [name, usage] = line.split('\t');
    if (name !== undefined && usage !== undefined) perNode[name] = parseMemUsageMiB(usage);
  }
  return { perNode, totalMiB: Object.values(perNode).reduce((a, b) => a + b, 0) };
}

async function benchCluster(): Promise<void> {
  const progress = new Progress();
  // It deletes and creates the cluster itself: the whole bench holds the cluster lock, so inside it lockedClusterUp.
  await withClusterLock(progress, 'bench cluster', () => benchClusterLocked(progress));
}

async function benchClusterLocked(progress: Progress): Promise<void> {
  const first = await lockedClusterUp(progress);
  const kind = first.toolchain.kind;
  const kubectl = first.toolchain.kubectl;

  await execa(kind, ['delete', 'cluster', '--name', clusterName]);
  const upStarted = Date.now();
  await lockedClusterUp(new Progress());
  const upSeconds = (Date.now() - upStarted) / 1000;

  // Idle: every kube-system pod Ready, then one docker stats sample.
  await execa(kubectl, ['--context', kubeContext, '-n', 'kube-system', 'wait', '--for=condition=Ready', 'pods', '--all', '--timeout=180s']);
  const memory = await idleMemory();

  const config = join(cacheRoot(), 'kind-config.rendered.yaml');
  await execa(kind, ['delete', 'cluster', '--name', clusterName]);
  const plainStarted = Date.now();
  await execa(kind, ['create', 'cluster', '--name', clusterName, '--image', first.toolchain.nodeImage, '--config', config]);
  const plainSeconds = (Date.now() - plainStarted) / 1000;
  await execa(kind, ['delete', 'cluster', '--name', clusterName]);
  await lockedClusterUp(new Progress());

  for (const [name, mib] of Object.entries(memory.perNode)) console.log(`  idle memory ${name}: ${mib.toFixed(0)} MiB`);
  console.log(
    `bench cluster: warm cluster up ${upSeconds.toFixed(1)} s (4 nodes, pod network, all nodes Ready, CoreDNS rolled out); ` +
      `plain kind create cluster --image ${first.toolchain.nodeImage} --config <same> ${plainSeconds.toFixed(1)} s (returns before nodes are Ready); ` +
      `ratio ${(upSeconds / plainSeconds).toFixed(2)}; idle cluster memory ${memory.totalMiB.toFixed(0)} MiB`,
  );
}

function benchSuites(): void {
  const lawsPath = join(reportsDir, 'laws.json');
  const playwrightPath = join(reportsDir, 'playwright-results.json');
  if (!existsSync(lawsPath) || !existsSync(playwrightPath)) {
    throw new PodlawError('usage', 'no reports of a suite run in reports/', 'run the suites first (npm test or npm run podlaw -- run)');
  }
  const minima = documentedMinima(JSON.parse(readFileSync(lawsPath, 'utf8')) as LawsReport);
  const stats = (JSON.parse(readFileSync(playwrightPath, 'utf8')) as { stats: { duration: number } }).stats;
  for (const [law, ms] of Object.entries(minima.perLaw))
    console.log(`  ${law.padEnd(6)} documented minimum waits ${formatDuration(ms / 1000)}`);
  console.log(
    `bench suites: wall time ${formatDuration(stats.duration / 1000)}; sum of documented minimum waits ${formatDuration(minima.totalMs / 1000)} ` +
      `over ${minima.observations} timed observations; ratio ${(stats.duration / Math.max(1, minima.totalMs)).toFixed(2)} (workers run tests side by side, so the ratio can go below 1)`,
  );
}

/**
 * The floor of each law's tests in podlaw's last run (their longest chains of documented waits), for bench upstream:
 * the least time podlaw's tests for a rule could take, so the most its ratio to upstream could reach. Undefined
 * without that run's Playwright report.
 */
function podlawLawFloors(laws: readonly { id: string; tests: readonly { title: string }[] }[]): Record<string, number> | undefined {
  const playwrightPath = join(reportsDir, 'playwright-results.json');
  if (!existsSync(playwrightPath)) return undefined;
  return lawFloorsMs(laws, testRecords(JSON.parse(readFileSync(playwrightPath, 'utf8')) as PlaywrightJsonReport));
}

/** The projects and their dependencies, from playwright.config.ts (Playwright's JSON report leaves the dependencies out). */
async function configuredProjects(): Promise<ProjectDependencies[]> {
  const config = (await import(join(repoRoot, 'playwright.config.ts'))) as {
    default: { projects?: readonly { name?: string; dependencies?: readonly string[] }[] };
  };
  return (config.default.projects ?? []).map((p) => ({ name: p.name ?? '', dependencies: p.dependencies ?? [] }));
}

/** Each Playwright phase's floor over the run's tests (the projects' phases read from playwright.config.ts). */
async function phaseFloors(tests: readonly TestRecord[]): Promise<PhaseFloor[]> {
  return phasesOf(await configuredProjects()).map((projects) => phaseFloor(projects, tests));
}

/** A run's wall time and critical-path floor, for `bench flakes`: the line `bench floor` ends with, shortened. */
async function runFloorReading(playwrightPath: string): Promise<RunReading | undefined> {
  const report = JSON.parse(readFileSync(playwrightPath, 'utf8')) as PlaywrightJsonReport;
  const floorMs = runFloorMs(await phaseFloors(testRecords(report)));
  if (floorMs <= 0) return undefined;
  const ratio = report.stats.duration / floorMs;
  const seconds = (ms: number): string => formatDuration(ms / 1000);
  return { ratio, line: `wall ${seconds(report.stats.duration)}, floor ${seconds(floorMs)}, ratio ${ratio.toFixed(2)}` };
}

async function benchFloor(): Promise<void> {
  const playwrightPath = join(reportsDir, 'playwright-results.json');
  if (!existsSync(playwrightPath)) {
    throw new PodlawError('usage', 'no reports of a suite run in reports/', 'run the suites first (npm test or npm run podlaw -- run)');
  }
  const report = JSON.parse(readFileSync(playwrightPath, 'utf8')) as PlaywrightJsonReport;
  const tests = testRecords(report);
  // The run's worker count (Playwright's JSON config): the schedule's bound, next to the cluster's.
  const workers = report.config?.metadata?.actualWorkers ?? report.config?.workers;
  const phases = await phaseFloors(tests);
  const seconds = (ms: number): string => formatDuration(ms / 1000);
  // The host CPU the run used (written by podlaw run): the headroom the worker count is chosen from.
  const cpu = existsSync(hostCpuReport) ? (JSON.parse(readFileSync(hostCpuReport, 'utf8')) as { samples: CpuSample[] }).samples : [];
  const percent = (share: number): string => `${Math.round(share * 100)} %`;
  for (const [index, phase] of phases.entries()) {
    const nodes = Object.entries(phase.perNodeMs).map(([node, ms]) => `${node} ${seconds(ms)}`);
    const span = phaseSpan(phase.projects, tests);
    const used = span === undefined ? undefined : summarizeCpu(cpu.filter((c) => c.atMs >= span.startMs && c.atMs <= span.endMs));
    console.log(
      `  phase ${index + 1} (${phase.projects.join(', ')}): floor ${seconds(phase.floorMs)}, bound by ${phase.boundBy}` +
        (span === undefined ? '' : `; wall ${seconds(span.endMs - span.startMs)}`) +
        (workers === undefined ? '' : `; busy time over ${workers} workers ${seconds(phaseWorkBoundMs(phase.projects, tests, workers))}`) +
        (nodes.length > 0 ? `; serialized per faulted node: ${nodes.join(', ')}` : '') +
        (used === undefined
          ? ''
          : `; host CPU busy mean ${percent(used.meanBusy)}, p90 ${percent(used.p90Busy)}, all cores ≥ 95 % busy in ${percent(used.saturated)} of ${used.samples} samples`),
    );
  }
  // Where the bounding chain's time goes: each of its tests' wall time next to its floor.
  for (const phase of phases.filter((p) => p.boundBy !== 'pod-level')) {
    for (const t of nodeChain(phase.boundBy, phase.projects, tests)) {
      const over = t.durationMs - t.floorMs;
      // Beyond the floor: the waits' own excess (the cluster's timing), and the test's time around them (its own).
      const clusterMs = Math.max(0, t.chainSpanMs - t.floorMs);
      console.log(
        `    ${phase.boundBy}: ${seconds(t.durationMs)} wall, floor ${seconds(t.floorMs)}, +${seconds(over)} ` +
          `(${seconds(clusterMs)} in the waits beyond their documented minima, ${seconds(over - clusterMs)} around them): ${t.title.slice(0, 90)}`,
      );
    }
  }
  const floorMs = runFloorMs(phases);
  const wallMs = report.stats.duration;
  console.log(
    `bench floor: wall time ${seconds(wallMs)}; critical-path floor ${seconds(floorMs)} (each test's longest chain of documented waits, ` +
      `tests faulting one node added, phases added); ratio ${(wallMs / Math.max(1, floorMs)).toFixed(2)} over ${tests.length} tests`,
  );
}

/** `N [--grep REGEX] [--max-delay SECONDS]` of the repeated benches. */
function repeatedArgs(args: readonly string[]): { count: number; grep: string | undefined; maxDelaySeconds: number | undefined } {
  let parsed;
  try {
    const options = { grep: { type: 'string' }, 'max-delay': { type: 'string' } } as const;
    parsed = parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new PodlawError('usage', (error as Error).message.split('\n')[0] ?? 'bad arguments', usage);
  }
  const [count, ...extra] = parsed.positionals;
  if (count === undefined || !/^[1-9]\d*$/.test(count) || extra.length > 0) {
    throw new PodlawError('usage', `expected one positive count, got ${parsed.positionals.join(' ') || 'none'}`, usage);
  }
  const maxDelay = parsed.values['max-delay'];
  if (maxDelay !== undefined && !/^\d+$/.test(maxDelay)) {
    throw new PodlawError('usage', `--max-delay takes whole seconds, got ${maxDelay}`, usage);
  }
  return { count: Number(count), grep: parsed.values.grep, maxDelaySeconds: maxDelay === undefined ? undefined : Number(maxDelay) };
}

/** `[--report GINKGO_JSON]` of bench upstream: an earlier run's report, printed again. */
function upstreamArgs(args: readonly string[]): string | undefined {
  try {
    const parsed = parseArgs({ args: [...args], allowPositionals: false, strict: true, options: { report: { type: 'string' } } });
    return parsed.values.report;
  } catch (error) {
    throw new PodlawError('usage', (error as Error).message.split('\n')[0] ?? 'bad arguments', usage);
  }
}

/** Interrupts land uniformly within this much of the run's collection: about the subset's length (the node pause's setup and loss ≈ 60 of its 80–90 s, liveness ≈ 20 s). */
const defaultMaxDelaySeconds = 60;

export async function benchCommand(argv: readonly string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === 'flakes') {
    const { count, grep } = repeatedArgs(rest);
    await benchFlakes(count, grep, runFloorReading);
  } else if (what === 'interrupts') {
    const { count, grep, maxDelaySeconds } = repeatedArgs(rest);
    await benchInterrupts(count, grep ?? defaultInterruptGrep, (maxDelaySeconds ?? defaultMaxDelaySeconds) * 1000);
  } else if (what === 'upstream') {
    await benchUpstream(join(reportsDir, 'laws.json'), podlawLawFloors, upstreamArgs(rest));
  } else if (rest.length > 0) throw new PodlawError('usage', `unexpected argument ${rest.join(' ')}`, usage);
  else if (what === 'build') benchBuild();
  else if (what === 'cluster') await benchCluster();
  else if (what === 'suites') benchSuites();
  else if (what === 'floor') await benchFloor();
  else if (what === 'pressure') await benchPressure();
  else if (what === 'load') await benchLoad(join(cacheRoot(), 'bin', 'kubectl'));
  else throw new PodlawError('usage', what === undefined ? 'no benchmark named' : `unknown benchmark ${what}`, usage);
}
