/**
 * The collection every run starts with (Playwright globalSetup, so `podlaw run`,
 * `npm test` and a direct `playwright test` all do it): namespaces whose owner heartbeat
 * is stale and leftover faults no live run claims are removed, each named on its own
 * line, then one summary line. Live runs' namespaces are never touched.
 */
import { connectAs } from '../kube/client.ts';
import type { KubeClients } from '../kube/client.ts';
import { forbiddenAsPodlawError } from '../errors.ts';
import { isPodlawCluster } from '../safety.ts';
import { harnessSettings } from '../run-settings.ts';
import { leftoverSweepers } from '../faults/leftovers.ts';
import { collect } from './collector.ts';
import type { CollectionResult } from './collector.ts';

/** The summary line starts with this; `bench interrupts` waits for it. */
export const collectionSummaryPrefix = 'podlaw collection done:';

export function summarizeRunStart(result: CollectionResult): string {
  const { plan } = result;
  const removedNamespaces = plan.namespaces.filter((d) => d.action === 'remove').length;
  const recovered = plan.leftovers.filter((d) => d.action === 'remove').length;
  const kept = plan.namespaces.filter((d) => d.action === 'keep');
  const live = kept.filter((d) => !d.item.terminating && d.item.liveness.kind === 'live').length;
  const unknown = kept.filter((d) => !d.item.terminating && d.item.liveness.kind === 'unknown').length;
  const deleting = kept.filter((d) => d.item.terminating).length;
  const keptFaults = plan.leftovers.filter((d) => d.action === 'keep').length;
  const removedObjects = plan.clusterObjects.filter((d) => d.action === 'remove').length;
  const parts = [
    `collected ${removedNamespaces} namespace(s) and ${recovered} leftover fault(s) of dead runs`,
    ...(removedObjects > 0 ? [`${removedObjects} cluster-scoped object(s) of dead runs`] : []),
    `left ${live} namespace(s) of live runs`,
    ...(unknown > 0 ? [`${unknown} without heartbeat (podlaw clean removes them)`] : []),
    ...(deleting > 0 ? [`${deleting} already being deleted`] : []),
    ...(keptFaults > 0 ? [`${keptFaults} fault trace(s) held or possibly held by live runs`] : []),
    ...(result.failures.length > 0 ? [`${result.failures.length} failure(s)`] : []),
  ];
  return `${collectionSummaryPrefix} ${parts.join('; ')}`;
}

export async function collectAtRunStart(kube: KubeClients, write: (line: string) => void): Promise<CollectionResult> {
  const sweepers = leftoverSweepers({ podlawCluster: await isPodlawCluster(kube.contextName) }, kube);
  const prefixed = (line: string): void => write(`podlaw collection: ${line}`);
  const result = await collect(kube, sweepers, { scope: 'stale-runs', force: false, dryRun: false, write: prefixed });
  for (const decision of result.plan.leftovers.filter((d) => d.action === 'keep')) {
    prefixed(`left ${decision.item.description} — ${decision.reason}`);
  }
  write(summarizeRunStart(result));
  return result;
}

/** Playwright globalSetup. A failed collection fails the run: leftovers would distort its verdicts. */
export default async function globalSetup(): Promise<void> {
  const settings = harnessSettings();
  const kube = connectAs(settings);
  let result: Awaited<ReturnType<typeof collectAtRunStart>>;
  try {
    result = await collectAtRunStart(kube, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    // A refusal is the first thing a user without the role meets: one line naming the permission.
    const forbidden = forbiddenAsPodlawError(error);
    if (forbidden !== undefined) throw new Error(forbidden.oneLine());
    throw error;
  }
  if (result.failures.length > 0) throw new Error(`the run-start collection failed: ${result.failures.join('; ')}`);
}
