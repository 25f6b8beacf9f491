/**
 * `npm run podlaw -- <command>`: the main job and its helpers.
 *   run     create the cluster if needed (or use --kubeconfig/--context), run the suites, write reports/
 *   laws    list the law catalog
 *   clean   remove everything podlaw created on a cluster (src/cleanup/clean.ts)
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PodlawError, exitCodes, runEntryPoint } from '../errors.ts';
import { destructiveOptInEnv } from '../safety.ts';
import { defaultContext, newRunId } from '../run-settings.ts';
import { laws } from '../laws/catalog/index.ts';
import { cleanCommand, cleanUsage } from '../cleanup/clean.ts';
import { checkReachable } from './reachability.ts';
import { runSuites } from './run-suites.ts';
import { repoRoot } from '../paths.ts';

const usage =
  'usage: npm run podlaw -- run [--kubeconfig PATH] [--context NAME] [--allow-destructive] [--grep REGEX] [--workers N] | laws' +
  ` | ${cleanUsage.replace('npm run podlaw -- ', '')}`;

interface RunOptions {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly allowDestructive: boolean;
  readonly grep: string | undefined;
  readonly workers: string | undefined;
}

function parseRunOptions(args: string[]): RunOptions {
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        'allow-destructive': { type: 'boolean', default: false },
        grep: { type: 'string' },
        workers: { type: 'string' },
      },
    });
    if (values.workers !== undefined && !/^[1-9]\d*$/.test(values.workers)) {
      throw new PodlawError('usage', `--workers must be a positive whole number, got "${values.workers}"`, usage);
    }
    if (values.kubeconfig !== undefined && !existsSync(values.kubeconfig)) {
      throw new PodlawError('kubeconfig', `kubeconfig ${values.kubeconfig} does not exist`, 'pass the path of a readable kubeconfig file');
    }
    return {
      kubeconfig: values.kubeconfig === undefined ? undefined : resolve(values.kubeconfig),
      context: values.context,
      allowDestructive: values['allow-destructive'],
      grep: values.grep,
      workers: values.workers,
    };
  } catch (error) {
    if (error instanceof PodlawError) throw error;
    // node:util parseArgs reports bad input with a typed `code` (ERR_PARSE_ARGS_*).
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new PodlawError('usage', (error as Error).message.split('\n')[0] ?? 'bad arguments', usage);
    }
    throw error;
  }
}

async function run(options: RunOptions): Promise<number> {
  const ownCluster = options.kubeconfig === undefined && options.context === undefined;
  const env: Record<string, string> = { PODLAW_RUN_ID: newRunId() };
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
  if (options.grep !== undefined) args.push('--grep', options.grep);
  if (options.workers !== undefined) args.push('--workers', options.workers);
  // Ctrl-C reaches the whole process group: Playwright stops the tests and runs their
  // teardown (fault recovery, namespace deletion). podlaw waits for that rather than exit first.
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  const exitCode = await runSuites(args, env).finally(() => process.off('SIGINT', onInterrupt));
  if (interrupted || exitCode === exitCodes.interrupted) return exitCodes.interrupted;
  const lawsReport = join(repoRoot, 'reports', 'laws.md');
  if (existsSync(lawsReport)) console.log(`reports: ${lawsReport}, ${join(repoRoot, 'reports', 'html', 'index.html')}`);
  return exitCode === 0 ? 0 : exitCodes.lawsFailed;
}

function listLaws(): void {
  for (const law of laws) console.log(`${law.id.padEnd(7)} ${law.statement}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(parseRunOptions(rest));
    case 'laws':
      if (rest.length > 0) throw new PodlawError('usage', `laws takes no arguments, got ${rest.join(' ')}`, usage);
      listLaws();
      return 0;
    case 'clean':
      return cleanCommand(rest);
    default:
      throw new PodlawError('usage', command === undefined ? 'no command given' : `unknown command "${command}"`, usage);
  }
}

await runEntryPoint(() => main(process.argv.slice(2)));
