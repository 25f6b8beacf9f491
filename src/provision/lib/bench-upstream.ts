/**
 * `npm run bench -- upstream`: the upstream e2e tests that check the same rules as podlaw's
 * laws, run on the same cluster, side by side with podlaw's last run (reports/laws.json).
 *
 * It builds e2e.test from the pinned k8s.io/kubernetes (cached), imports the busybox and nginx
 * images the upstream tests name into the running nodes (src/provision/build/e2e-*-image.ts), runs the specs of src/provision/lib/
 * upstream-rules.ts one after another in one e2e.test process (Ginkgo's JSON report gives
 * each spec's run time and state), and prints per rule: upstream's time and verdict,
 * podlaw's time and verdict for the same law, and the ratio.
 *
 * The e2e framework refuses to start while a node carries a taint its pods do not tolerate;
 * podlaw's own taints (control plane, podlaw.dev/disruption) are declared non-blocking, so
 * upstream's pods land on the general worker, as podlaw's do.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { kubeContext, nodeContainers, ownKubeconfigPath } from '../../podlaw-cluster.ts';
import { loadImageIntoNodes } from '../cluster/load-images.ts';
import { buildE2eBusyboxImage } from '../build/e2e-busybox-image.ts';
import { buildE2eNginxImage } from '../build/e2e-nginx-image.ts';
import { buildE2eTest } from '../build/e2e-test.ts';
import { formatDuration, Progress } from './progress.ts';
import { focusFor, matchesSpec, upstreamRules } from './upstream-rules.ts';
import type { UpstreamRule } from './upstream-rules.ts';

interface GinkgoSpecReport {
  readonly ContainerHierarchyTexts?: readonly string[] | null;
  readonly LeafNodeText?: string;
  readonly LeafNodeType?: string;
  readonly State?: string;
  /** Nanoseconds. */
  readonly RunTime?: number;
  readonly Failure?: { readonly Message?: string };
}

interface UpstreamSpecResult {
  readonly text: string;
  readonly state: string;
  readonly ms: number;
  readonly failure?: string;
}

interface LawsJson {
  readonly laws: readonly {
    readonly id: string;
    readonly verdict: string;
    readonly tests: readonly { readonly title: string; readonly durationMs: number }[];
  }[];
}

/** The It specs of Ginkgo's JSON report, with their full text. */
export function specResults(report: unknown): UpstreamSpecResult[] {
  const suites = Array.isArray(report) ? (report as readonly { SpecReports?: readonly GinkgoSpecReport[] | null }[]) : [];
  return suites.flatMap((suite) =>
    (suite.SpecReports ?? [])
      .filter((spec) => spec.LeafNodeType === 'It')
      .map((spec) => ({
        text: [...(spec.ContainerHierarchyTexts ?? []), spec.LeafNodeText ?? ''].join(' '),
        state: spec.State ?? 'unknown',
        ms: (spec.RunTime ?? 0) / 1e6,
        ...(spec.Failure?.Message === undefined ? {} : { failure: spec.Failure.Message.split('\n')[0] ?? '' }),
      })),
  );
}

/** podlaw's time for a law: its tests' durations added (a test checking several laws counts for each). */
function podlawFigures(laws: LawsJson, law: string): { ms: number; verdict: string } | undefined {
  const entry = laws.laws.find((l) => l.id === law);
  if (entry === undefined || entry.tests.length === 0) return undefined;
  return { ms: entry.tests.reduce((sum, t) => sum + t.durationMs, 0), verdict: entry.verdict };
}

function upstreamVerdict(results: readonly UpstreamSpecResult[]): string {
  if (results.length === 0) return 'not run';
  const states = new Set(results.map((r) => r.state));
  return states.size === 1 ? ([...states][0] ?? 'unknown') : results.map((r) => r.state).join('/');
}

/** Per law, the least time podlaw's tests for it could take (the report layer computes it from the run's timelines). */
export type LawFloors = (laws: LawsJson['laws']) => Readonly<Record<string, number>> | undefined;

/** The e2e.test run's wall time from its Ginkgo report (its suites' run times, nanoseconds). */
function reportWallMs(report: unknown): number {
  const suites = Array.isArray(report) ? (report as readonly { RunTime?: number }[]) : [];
  return suites.reduce((sum, suite) => sum + (suite.RunTime ?? 0) / 1e6, 0);
}

/**
 * `earlierReport`: the ginkgo.json of an earlier upstream run on this cluster (its path is printed), printed against
 * podlaw's last run without running the upstream specs again (17 min here).
 */
export async function benchUpstream(lawsPath: string, lawFloors: LawFloors, earlierReport?: string): Promise<void> {
  if (!existsSync(lawsPath)) {
    throw new PodlawError('usage', `no ${lawsPath} of a podlaw run to compare with`, 'run the suites first (npm test or npx podlaw run)');
  }
  const laws = JSON.parse(readFileSync(lawsPath, 'utf8')) as LawsJson;
  if (earlierReport !== undefined) {
    if (!existsSync(earlierReport)) {
      throw new PodlawError(
        'usage',
        `no Ginkgo report at ${earlierReport}`,
        'pass the ginkgo.json an earlier `npm run bench -- upstream` printed',
      );
    }
    const report: unknown = JSON.parse(readFileSync(earlierReport, 'utf8'));
    console.log(`bench upstream: upstream specs from ${earlierReport}, not run again`);
    printTable(upstreamRules, specResults(report), laws, reportWallMs(report), lawFloors(laws.laws));
    return;
  }
  const progress = new Progress();
  const e2eTest = await buildE2eTest(progress);
  const images = [await buildE2eBusyboxImage(progress), await buildE2eNginxImage(progress)];
  await progress.step('upstream images', `import ${images.map((i) => i.ref).join(', ')} into the nodes`, async () => {
    let loaded = 0;
    for (const image of images) loaded += (await loadImageIntoNodes(nodeContainers, image)).length;
    return { source: loaded === 0 ? 'reused' : 'done', value: undefined };
  });

  const dir = mkdtempSync(join(tmpdir(), 'podlaw-upstream-'));
  const reportPath = join(dir, 'ginkgo.json');
  const specs = upstreamRules.flatMap((rule) => rule.specs);
  const args = [
    `--kubeconfig=${ownKubeconfigPath()}`,
    `--context=${kubeContext}`,
    '--provider=skeleton',
    '--non-blocking-taints=node-role.kubernetes.io/control-plane,podlaw.dev/disruption',
    `--report-dir=${dir}`,
    `--ginkgo.json-report=${reportPath}`,
    '--ginkgo.timeout=2h',
    ...specs.map((spec) => `--ginkgo.focus=${focusFor(spec)}`),
  ];
  const logPath = join(dir, 'e2e.log');
  const started = Date.now();
  // Output goes to the log as it comes; the progress step prints a heartbeat meanwhile.
  const run = await progress.step('upstream specs', `e2e.test, ${specs.length} specs one after another; log: ${logPath}`, async () => {
    const result = await execa(e2eTest, args, {
      reject: false,
      cwd: dir,
      stdout: { file: logPath },
      stderr: 'pipe',
      timeout: 2 * 60 * 60_000,
    });
    return { source: 'done', value: result };
  });
  const wallMs = Date.now() - started;
  if (!existsSync(reportPath)) {
    throw new PodlawError('cluster', `e2e.test wrote no report (exit ${run.exitCode ?? 'none'})`, `read ${logPath}`, {
      detail: run.stderr.split('\n').slice(-20).join('\n'),
    });
  }
  const results = specResults(JSON.parse(readFileSync(reportPath, 'utf8')));
  console.log(`bench upstream: Ginkgo report ${reportPath} (print it again against a later podlaw run with --report)`);
  printTable(upstreamRules, results, laws, wallMs, lawFloors(laws.laws));
}

function printTable(
  rules: readonly UpstreamRule[],
  results: readonly UpstreamSpecResult[],
  laws: LawsJson,
  wallMs: number,
  floors: Readonly<Record<string, number>> | undefined,
): void {
  const seconds = (ms: number): string => formatDuration(ms / 1000);
  let upstreamTotal = 0;
  let podlawTotal = 0;
  let floorTotal = 0;
  for (const rule of rules) {
    const mine = rule.specs.map((spec) => results.filter((r) => matchesSpec(r.text, spec) && r.state !== 'skipped')).flat();
    const upstreamMs = mine.reduce((sum, r) => sum + r.ms, 0);
    const podlaw = podlawFigures(laws, rule.law);
    const floor = floors?.[rule.law];
    console.log(
      `  ${rule.law.padEnd(6)} ${rule.rule}\n` +
        `         upstream ${seconds(upstreamMs).padStart(7)} ${upstreamVerdict(mine).padEnd(8)} (${mine.length} of ${rule.specs.length} specs: ${rule.specs
          .map((s) => `"${s[1]}"`)
          .join(', ')})\n` +
        `         podlaw   ${podlaw === undefined ? '    n/a not run' : `${seconds(podlaw.ms).padStart(7)} ${podlaw.verdict}`}` +
        (podlaw === undefined || podlaw.ms === 0 ? '' : `; upstream/podlaw ${(upstreamMs / podlaw.ms).toFixed(1)}x`) +
        (floor === undefined ? '' : `\n         podlaw's documented waits ${seconds(floor).padStart(7)}${ceiling(upstreamMs, floor)}`),
    );
    for (const failed of mine.filter((r) => r.state !== 'passed'))
      console.log(`         upstream ${failed.state}: ${failed.failure ?? ''}`);
    if (podlaw !== undefined && mine.length > 0) {
      upstreamTotal += upstreamMs;
      podlawTotal += podlaw.ms;
      floorTotal += floor ?? 0;
    }
  }
  console.log(
    `bench upstream: rules compared ${rules.length}; upstream specs ${seconds(upstreamTotal)} (e2e.test wall ${seconds(wallMs)} with its suite setup), ` +
      `podlaw's tests for the same laws ${seconds(podlawTotal)} (their durations in its last full run, where they overlap); ratio ${(upstreamTotal / Math.max(1, podlawTotal)).toFixed(1)}x` +
      (floors === undefined ? '' : `; podlaw's documented waits for them ${seconds(floorTotal)}${ceiling(upstreamTotal, floorTotal)}`),
  );
}

/**
 * The most the ratio could reach while podlaw's tests check what they check: upstream's time over the documented waits
 * those tests cannot avoid (a back-off's steps, a grace period, failureThreshold × period).
 */
function ceiling(upstreamMs: number, floorMs: number): string {
  return floorMs > 0 ? `, so at most ${(upstreamMs / floorMs).toFixed(1)}x` : '';
}
