/**
 * Runs a collection against the cluster: lists what podlaw left (leftover faults first,
 * then namespaces and owner Leases, so a fault claimed before its injection is never
 * seen without its claim), plans it (collection-plan.ts), then recovers the leftover
 * faults, waits for the nodes they froze to be Ready again, and deletes the namespaces
 * and cluster-scoped objects — printing one line for each thing it removed.
 */
import type { V1Lease, V1Namespace, V1Node } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import { resourceTypes } from '../kube/resources.ts';
import { waitFor } from '../kube/wait.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { runLabels } from '../harness/naming.ts';
import { findLeftovers } from '../faults/leftovers.ts';
import type { Leftover, LeftoverSweeper } from '../faults/leftovers.ts';
import { deleteClusterObject, listClusterObjects } from './cluster-objects.ts';
import { planCollection } from './collection-plan.ts';
import type { CollectionPlan, CollectionScope, Decision, Listing } from './collection-plan.ts';
import { ownerLeaseName } from './heartbeat.ts';

export interface CollectionOptions {
  readonly scope: CollectionScope;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly write: (line: string) => void;
}

export interface CollectionResult {
  readonly plan: CollectionPlan<Leftover>;
  /** What could not be removed, with the error. */
  readonly failures: readonly string[];
}

/**
 * A node a collection unfroze is Ready again within the kubelet's status update period
 * (nodeStatusUpdateFrequency, documented default 10 s) plus the node controller's
 * monitor period (node-monitor-period, documented default 5 s), plus the slack NOD-1
 * allows a node to come back (15 s).
 */
const nodeBack = namedTimeout('node Ready again: kubelet nodeStatusUpdateFrequency 10 s + node-monitor-period 5 s + node-loss slack 15 s', 30_000);
const notReadyTaints = new Set(['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);

export async function readListing(kube: KubeClients, sweepers: readonly LeftoverSweeper[], scope: CollectionScope): Promise<{ listing: Listing<Leftover>; listedAtMs: number }> {
  const leftovers = await findLeftovers(sweepers);
  // Staleness is judged against the time before the listing: a renewal that lands while the
  // listing is under way can only make an owner look older than it is the other way round.
  const listedAtMs = Date.now();
  const selector = `${runLabels.managedBy}=podlaw`;
  const [namespaces, leases, clusterObjects] = await Promise.all([
    kube.core.listNamespace({ labelSelector: selector }),
    kube.objects.list<V1Lease>('coordination.k8s.io/v1', 'Lease', undefined, undefined, undefined, undefined, `metadata.name=${ownerLeaseName}`, selector),
    scope === 'everything' ? listClusterObjects(kube) : Promise.resolve([]),
  ]);
  return {
    listing: { namespaces: namespaces.items as V1Namespace[], leases: leases.items, leftovers, clusterObjects },
    listedAtMs,
  };
}

function nodeIsBack(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return ready && !(node.spec?.taints ?? []).some((t) => notReadyTaints.has(t.key));
}

/** Waits until the nodes named by recovered leftovers are Ready and untainted by the node controller. */
async function waitForNodesBack(kube: KubeClients, targets: readonly string[]): Promise<void> {
  const nodes = new ResumableWatch<V1Node>(kube, resourceTypes.node);
  await nodes.start();
  try {
    const names = targets.filter((t) => nodes.get(t) !== undefined);
    if (names.length === 0) return;
    await waitFor(nodes, (all) => (names.every((n) => { const node = all.find((x) => x.metadata?.name === n); return node !== undefined && nodeIsBack(node); }) ? true : undefined), {
      description: `nodes ${names.join(', ')} Ready again after their leftover faults were recovered`,
      timeout: nodeBack,
      lastSeen: () => nodes.objects().filter((n) => names.includes(n.metadata?.name ?? '')).map((n) => ({ name: n.metadata?.name, conditions: n.status?.conditions, taints: n.spec?.taints })),
    });
  } finally {
    await nodes.stop();
  }
}

function line(verb: string, what: string, reason: string): string {
  return `${verb} ${what} — ${reason}`;
}

async function attempt<T>(decision: Decision<T>, what: string, verb: string, action: () => Promise<void>, options: CollectionOptions, failures: string[]): Promise<boolean> {
  if (options.dryRun) {
    options.write(line(`would ${verb}`, what, decision.reason));
    return true;
  }
  try {
    await action();
    options.write(line(verb === 'recover' ? 'recovered' : 'removed', what, decision.reason));
    return true;
  } catch (error) {
    const message = `could not ${verb} ${what}: ${error instanceof Error ? error.message : String(error)}`;
    failures.push(message);
    options.write(message);
    return false;
  }
}

export async function collect(kube: KubeClients, sweepers: readonly LeftoverSweeper[], options: CollectionOptions): Promise<CollectionResult> {
  const { listing, listedAtMs } = await readListing(kube, sweepers, options.scope);
  const plan = planCollection(listing, { scope: options.scope, force: options.force, nowMs: listedAtMs });
  const failures: string[] = [];

  // Faults first: pods on a frozen node cannot finish terminating, so namespaces would hang.
  const recovered: string[] = [];
  for (const decision of plan.leftovers.filter((d) => d.action === 'remove')) {
    if (await attempt(decision, decision.item.description, 'recover', () => decision.item.recover(), options, failures)) recovered.push(decision.item.target);
  }
  if (!options.dryRun && recovered.length > 0) {
    try {
      await waitForNodesBack(kube, recovered);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
      options.write(`nodes did not come back: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const decision of plan.namespaces.filter((d) => d.action === 'remove')) {
    const name = decision.item.name;
    const what = `namespace ${name}${decision.item.runId !== undefined ? ` (run ${decision.item.runId})` : ''}`;
    await attempt(decision, what, 'remove', async () => {
      await unlessNotFound(() => kube.core.deleteNamespace({ name, propagationPolicy: 'Background' }));
    }, options, failures);
  }
  for (const decision of plan.clusterObjects.filter((d) => d.action === 'remove')) {
    await attempt(decision, `${decision.item.kind} ${decision.item.name}`, 'remove', () => deleteClusterObject(kube, decision.item), options, failures);
  }
  return { plan, failures };
}
