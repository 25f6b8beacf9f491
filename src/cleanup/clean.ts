/**
 * `podlaw clean`: removes everything podlaw ever created on a cluster — namespaces
 * labelled app.kubernetes.io/managed-by=podlaw, cluster-scoped objects it labelled, and
 * leftover faults the sweepers find — printing one line for each thing removed. What a
 * live run holds (its heartbeat is fresh) is left alone unless --force, said in one line,
 * with its own exit code. --dry-run prints what would be removed and removes nothing.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PodlawError, exitCodes } from '../errors.ts';
import { connect } from '../kube/client.ts';
import { isPodlawCluster } from '../safety.ts';
import { defaultContext, kubeconfigPathFrom } from '../run-settings.ts';
import { leftoverSweepers } from '../faults/leftovers.ts';
import { collect } from '../lifecycle/collector.ts';
import { refusedLive } from '../lifecycle/collection-plan.ts';
import type { CollectionScope } from '../lifecycle/collection-plan.ts';

export const cleanUsage = 'npm run podlaw -- clean [--kubeconfig PATH] [--context NAME] [--dry-run] [--force] [--stale-only]';

export interface CleanOptions {
  readonly kubeconfig: string;
  readonly context: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  /** Only what a run's start would collect (stale owners, unclaimed leftovers): the run-start collection on demand. */
  readonly scope: CollectionScope;
}

export function parseCleanOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CleanOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'stale-only': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new PodlawError('usage', (error as Error).message.split('\n')[0] ?? 'bad arguments', `usage: ${cleanUsage}`);
    }
    throw error;
  }
  if (values.force && values['stale-only']) {
    throw new PodlawError('usage', '--force and --stale-only contradict each other', `usage: ${cleanUsage}`);
  }
  if (values.kubeconfig !== undefined && !existsSync(values.kubeconfig)) {
    throw new PodlawError('kubeconfig', `kubeconfig ${values.kubeconfig} does not exist`, 'pass the path of a readable kubeconfig file');
  }
  const envContext = env['PODLAW_CONTEXT'];
  return {
    kubeconfig: values.kubeconfig !== undefined ? resolve(values.kubeconfig) : kubeconfigPathFrom(env),
    context: values.context ?? (envContext !== undefined && envContext !== '' ? envContext : defaultContext),
    dryRun: values['dry-run'],
    force: values.force,
    scope: values['stale-only'] ? 'stale-runs' : 'everything',
  };
}

/** The exit code of a clean: what could not be removed first, then what live runs hold. */
export function cleanExitCode(outcome: { readonly refusedLive: number; readonly failures: number }): number {
  if (outcome.failures > 0) return exitCodes.cleanIncomplete;
  if (outcome.refusedLive > 0) return exitCodes.liveRuns;
  return 0;
}

export async function clean(options: CleanOptions, write: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const kube = connect(options.kubeconfig, options.context);
  const sweepers = leftoverSweepers({ podlawCluster: await isPodlawCluster(options.context) }, kube);
  const { plan, failures } = await collect(kube, sweepers, { scope: options.scope, force: options.force, dryRun: options.dryRun, write });
  const refused = refusedLive(plan);
  const removed = [...plan.namespaces, ...plan.leftovers, ...plan.clusterObjects].filter((d) => d.action === 'remove').length;
  if (removed === 0 && refused.length === 0) {
    write(`nothing to remove on context ${options.context}${options.scope === 'everything' ? '' : ' (dead runs only)'}`);
  }
  const kept = plan.namespaces.filter((d) => d.action === 'keep' && !d.refusedLive);
  for (const decision of kept) write(`left namespace ${decision.item.name} — ${decision.reason}`);
  for (const decision of plan.leftovers.filter((d) => d.action === 'keep' && !d.refusedLive)) {
    write(`left ${decision.item.description} — ${decision.reason}`);
  }
  if (refused.length > 0) {
    write(
      `podlaw: left ${refused.length} thing(s) of live runs alone (${refused.join(', ')}) — ` +
        'their owners renewed their heartbeat within the bound; pass --force to remove them',
    );
  }
  if (failures.length > 0) write(`podlaw: could not remove ${failures.length} thing(s); see the lines above`);
  return cleanExitCode({ refusedLive: refused.length, failures: failures.length });
}

export async function cleanCommand(args: readonly string[]): Promise<number> {
  return clean(parseCleanOptions(args));
}
