/**
 * `npx podlaw <command>` (or `npm run podlaw -- <command>`): the main job and its helpers.
 * The command line is parsed by commander, which also generates every --help text.
 *   run     create the cluster if needed (or use --kubeconfig/--context), run the suites, write reports/
 *   list    list the law catalog (alias: laws)
 *   clean   remove everything podlaw created on a cluster (src/cleanup/clean.ts)
 *   report  re-render a past run's reports from its saved data (src/cli/report-command.ts)
 *   gameday plan|run|abort   game days from a scenario file (src/gameday)
 */
import { Command, CommanderError, Option } from 'commander';
import { existsSync, rmSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PodlawError, exitCodes, runEntryPoint } from '../errors.ts';
import { destructiveOptInEnv } from '../safety.ts';
import { defaultContext, runIdFor } from '../run-settings.ts';
import { laws } from '../laws/catalog/index.ts';
import { cleanCommand } from '../cleanup/clean.ts';
import { checkReachable } from './reachability.ts';
import { runSuites } from './run-suites.ts';
import { reportCommand } from './report-command.ts';
import { playwrightReporterArgs, terminalReporters, type TerminalReporter } from './reporter-choice.ts';
import { exitCodeFromRun, readLawsSummary } from '../report/exit-code.ts';
import { repoRoot } from '../paths.ts';
import { grepForLaws, grepWithSmokeChecks, matchFamilies, selectLaws } from './selection.ts';
import { selectedBeyondSmoke, type PlaywrightJsonReport } from '../report/run-records.ts';
import { smokeAsDependencyEnv, smokeProject, smokeTag } from '../smoke-verdict.ts';
import { addGameDayCommands } from './gameday-command.ts';

interface RunOptions {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly allowDestructive: boolean;
  readonly grep: string | undefined;
  readonly workers: string | undefined;
  readonly reporter: TerminalReporter | undefined;
  readonly shard: string | undefined;
}

interface RunFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly allowDestructive?: boolean;
  readonly grep?: string;
  readonly workers?: string;
  readonly law?: string[];
  readonly family?: string[];
  readonly reporter?: TerminalReporter;
  readonly shard?: string;
}

function validShard(shard: string): boolean {
  const match = /^([1-9]\d*)\/([1-9]\d*)$/.exec(shard);
  return match !== null && Number(match[1]) <= Number(match[2]);
}

/** Checks the flags and turns --law/--family into Playwright's --grep; exits (throws) before any cluster work. */
export function runOptionsFrom(flags: RunFlags): RunOptions {
  if (flags.workers !== undefined && !/^[1-9]\d*$/.test(flags.workers)) {
    throw new PodlawError('usage', `--workers must be a positive whole number, got "${flags.workers}"`, 'see podlaw run --help');
  }
  if (flags.shard !== undefined && !validShard(flags.shard)) {
    throw new PodlawError('usage', `--shard must be INDEX/TOTAL with 1 ≤ INDEX ≤ TOTAL, got "${flags.shard}"`, 'e.g. --shard 2/3');
  }
  const selection = selectLaws(flags.law ?? [], flags.family ?? [], laws);
  if (selection.laws !== undefined && flags.grep !== undefined) {
    throw new PodlawError('usage', '--grep cannot be combined with --law/--family', 'pick laws with one or the other');
  }
  if (flags.kubeconfig !== undefined && !existsSync(flags.kubeconfig)) {
    throw new PodlawError('kubeconfig', `kubeconfig ${flags.kubeconfig} does not exist`, 'pass the path of a readable kubeconfig file');
  }
  if (selection.laws !== undefined) console.log(`podlaw: selected ${selection.laws.map((law) => law.id).join(', ')}`);
  return {
    kubeconfig: flags.kubeconfig === undefined ? undefined : resolve(flags.kubeconfig),
    context: flags.context,
    allowDestructive: flags.allowDestructive ?? false,
    grep: selection.laws === undefined ? flags.grep : grepForLaws(selection.laws),
    workers: flags.workers,
    reporter: flags.reporter,
    shard: flags.shard,
  };
}

async function run(options: RunOptions): Promise<number> {
  const ownCluster = options.kubeconfig === undefined && options.context === undefined;
  const env: Record<string, string> = { PODLAW_RUN_ID: runIdFor(process.env) };
  if (ownCluster) {
    // Imported lazily: building and creating the cluster is only for podlaw's own cluster.
    const { clusterUp } = await import('../provision/cluster/up.ts');
    const { Progress } = await import('../provision/lib/progress.ts');
    const progress = new Progress();
    await clusterUp(progress);
    progress.log(progress.summary('cluster ready'));
    env['PODLAW_CONTEXT'] = defaultContext;
  } else {
    if (options.kubeconfig !== undefined) env['PODLAW_KUBECONFIG'] = options.kubeconfig;
    if (options.context !== undefined) env['PODLAW_CONTEXT'] = options.context;
    await checkReachable({ ...process.env, ...env });
  }
  if (options.allowDestructive) env[destructiveOptInEnv] = '1';
  const args: string[] = [];
  if (options.grep !== undefined) args.push('--grep', grepWithSmokeChecks(options.grep, smokeTag));
  if (options.workers !== undefined) args.push('--workers', options.workers);
  if (options.shard !== undefined) {
    args.push('--shard', options.shard);
    env[smokeAsDependencyEnv] = '1';
  }
  if (options.reporter !== undefined) {
    const reporter = playwrightReporterArgs(options.reporter);
    args.push(...reporter.args);
    Object.assign(env, reporter.env);
  }
  // Ctrl-C reaches the whole process group: Playwright stops the tests and runs their
  // teardown (fault recovery, namespace deletion). podlaw waits for that rather than exit first.
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  // The exit code reads this run's laws.json and Playwright's results: never a previous run's.
  const playwrightResults = join(repoRoot, 'reports', 'playwright-results.json');
  rmSync(join(repoRoot, 'reports', 'laws.json'), { force: true });
  rmSync(playwrightResults, { force: true });
  const exitCode = await runSuites(args, env).finally(() => process.off('SIGINT', onInterrupt));
  if (interrupted || exitCode === exitCodes.interrupted) return exitCodes.interrupted;
  const lawsReport = join(repoRoot, 'reports', 'laws.md');
  if (existsSync(lawsReport)) {
    const files = ['laws.md', 'laws.json', 'junit.xml', 'index.html', 'html/index.html'].map((f) => join(repoRoot, 'reports', f));
    console.log(`reports: ${files.join(', ')}`);
  }
  // The smoke checks join every selection: a --grep that matched nothing else ran only them.
  if (options.grep !== undefined && existsSync(playwrightResults)) {
    const results = JSON.parse(readFileSync(playwrightResults, 'utf8')) as PlaywrightJsonReport;
    if (!selectedBeyondSmoke(results, smokeProject)) {
      throw new PodlawError(
        'usage',
        `--grep ${JSON.stringify(options.grep)} selects no test: only the smoke checks ran`,
        '--grep matches test titles and @ID tags; podlaw list shows the laws',
      );
    }
  }
  return exitCodeFromRun(exitCode, readLawsSummary(join(repoRoot, 'reports', 'laws.json'))) === 0 ? 0 : exitCodes.lawsFailed;
}

function listLaws(family: string | undefined): void {
  const families = [...new Set(laws.map((law) => law.family))];
  const wanted = family === undefined ? families : matchFamilies(family, families);
  if (wanted.length === 0) {
    throw new PodlawError('usage', `no family matches "${family ?? ''}"`, `families: ${families.join('; ')}`);
  }
  for (const law of laws) if (wanted.includes(law.family)) console.log(`${law.id.padEnd(7)} ${law.statement}`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** The command tree. Actions store their exit code in `result`; errors propagate as exceptions. */
export function buildProgram(result: { exitCode: number }): Command {
  const program = new Command('podlaw')
    .description('Chaos-and-conformance test harness for Kubernetes: inject faults, assert documented behavior.')
    .version(packageVersion(), '-V, --version', 'print the podlaw version')
    .exitOverride()
    .showSuggestionAfterError(true);
  program
    .command('run')
    .description('create the cluster if needed (or use --kubeconfig/--context), run the selected laws, write reports/')
    .option('--kubeconfig <path>', "kubeconfig of another cluster (default: podlaw's own kind cluster)")
    .option('--context <name>', 'context in the kubeconfig')
    .option('--allow-destructive', 'allow destructive faults (node pause, memory pressure) on a cluster podlaw did not create')
    .option('--law <ids>', 'law ids or id prefixes, comma-separated (PRB-2,NPE); repeatable', collect, [])
    .option('--family <name>', 'law family by name or short name (e.g. "node-loss", probes); repeatable', collect, [])
    .addOption(new Option('--grep <regex>', 'Playwright --grep over test titles and @ID tags (not with --law/--family)'))
    .option('--workers <n>', 'Playwright workers')
    .option('--shard <i/n>', 'Playwright --shard: run the i-th of n parts of the selected tests (CI matrices)')
    .addOption(
      new Option('--reporter <name>', "Playwright's terminal reporter (the report files are written either way)").choices(
        terminalReporters,
      ),
    )
    .action(async (flags: RunFlags) => {
      result.exitCode = await run(runOptionsFrom(flags));
    });
  program
    .command('list')
    .alias('laws')
    .description('list the law catalog')
    .option('--family <name>', 'only this family (name or short name)')
    .action((flags: { family?: string }) => {
      listLaws(flags.family);
      result.exitCode = 0;
    });
  program
    .command('clean')
    .description('remove everything podlaw created on the cluster, one line per thing removed')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster')
    .option('--context <name>', 'context in the kubeconfig')
    .option('--dry-run', 'list without removing')
    .option('--force', 'also remove what live runs hold')
    .option('--stale-only', "only what a run's start removes: dead owners' namespaces and unclaimed faults")
    .action(async (flags: { kubeconfig?: string; context?: string; dryRun?: boolean; force?: boolean; staleOnly?: boolean }) => {
      const args: string[] = [];
      if (flags.kubeconfig !== undefined) args.push('--kubeconfig', flags.kubeconfig);
      if (flags.context !== undefined) args.push('--context', flags.context);
      if (flags.dryRun === true) args.push('--dry-run');
      if (flags.force === true) args.push('--force');
      if (flags.staleOnly === true) args.push('--stale-only');
      result.exitCode = await cleanCommand(args);
    });
  program
    .command('report')
    .description(
      "re-render a past run's reports (laws.json, laws.md, junit.xml, index.html) from the data saved in DIR; " +
        'several DIRs (the shards of one run) are merged',
    )
    .argument('<dirs...>', 'reports directories of a past run (each holds playwright-results.json)')
    .option('--output <dir>', 'write the reports here (default: DIR; required with several DIRs)')
    .action((dirs: string[], flags: { output?: string }) => {
      result.exitCode = reportCommand(dirs, flags.output);
    });
  addGameDayCommands(program, result);
  return program;
}

/** Commander's own exits: help and version are 0, every parse error is a usage error (it printed the line). */
function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
  return error.exitCode === 0 ? 0 : exitCodes.usage;
}

export async function main(argv: readonly string[]): Promise<number> {
  const result = { exitCode: 0 };
  const program = buildProgram(result);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return exitCodes.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    throw error;
  }
}

await runEntryPoint(() => main(process.argv.slice(2)));
