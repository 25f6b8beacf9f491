/**
 * Runs a collection against the cluster: lists what podlaw left (leftover faults first,
 * then namespaces and owner Leases, so a fault claimed before its injection is never
 * seen without its claim), plans it (collection-plan.ts), then recovers the leftover
 * faults, waits for the nodes they froze to be Ready again, and deletes the namespaces
 * and cluster-scoped objects — printing one line for each thing it removed.
 */
import { isNodeReady } from '../kube/node-status.ts';
import type { V1Lease, V1Namespace, V1Node } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { namedTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { resourceTypes } from '../kube/resources.ts';
import { waitFor } from '../kube/wait.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { runLabels } from '../run-naming.ts';
import { findLeftovers } from '../faults/leftovers.ts';
import { memoryPressureKind } from '../faults/memory-pressure.ts';
import type { Leftover, LeftoverSweeper } from '../faults/leftovers.ts';
import { createdClusterScopedTypes, deleteClusterObject, listClusterObjects } from './cluster-objects.ts';
import { planCollection } from './collection-plan.ts';
import type { CollectionPlan, CollectionScope, Decision, Listing } from './collection-plan.ts';
import { ownerLeaseName } from './heartbeat.ts';
import { pendingOwners, renewedOwners, settleDeadlineMs } from './owner-settle.ts';
import { releasePodGcCanaries } from './podgc-canary-release.ts';
import type { PendingOwner } from './owner-settle.ts';

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
const nodeBack = namedTimeout(
  'node Ready again: kubelet nodeStatusUpdateFrequency 10 s + node-monitor-period 5 s + node-loss slack 15 s',
  30_000,
);
/**
 * A node relieved of podlaw's memory pressure reports MemoryPressure=False only after the kubelet's
 * evictionPressureTransitionPeriod (podlaw's pressure node: 30 s; the documented default 5 min is the bound
 * here), at its next eviction synchronize and node status update; the node controller then lifts the taint.
 */
const pressureRelief = namedTimeout(
  'memory pressure relieved: evictionPressureTransitionPeriod (default 5 min) + eviction monitoring 10 s + nodeStatusUpdateFrequency 10 s',
  320_000,
);
const notReadyTaints = new Set(['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/memory-pressure']);

const leaseType = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true } as const;
const ownerSelector = { labelSelector: `${runLabels.managedBy}=podlaw`, fieldSelector: `metadata.name=${ownerLeaseName}` } as const;

/**
 * Watches the owner Leases until every pending owner has renewed, or until the last of
 * them would be stale (owner-settle.ts); returns the Leases as they are then.
 */
async function settleOwners(kube: KubeClients, pending: readonly PendingOwner[], write: (line: string) => void): Promise<V1Lease[]> {
  const leases = new ResumableWatch<V1Lease>(kube, leaseType, ownerSelector);
  await leases.start();
  try {
    const deadline = settleDeadlineMs(pending);
    if (deadline === undefined) return leases.objects();
    const seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    const owners = pending.map((p) => p.namespace).join(', ');
    write(`waiting up to ${seconds} s to see ${pending.length} owner(s) renew their heartbeat (${owners})`);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (renewedOwners(pending, leases.objects()).size === pending.length) finish();
      };
      const timer = setTimeout(() => finish(), Math.max(0, deadline - Date.now()));
      const unsubscribe = leases.subscribe(check);
      function finish(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
      check();
    });
    return leases.objects();
  } finally {
    await leases.stop();
  }
}

export async function readListing(
  kube: KubeClients,
  sweepers: readonly LeftoverSweeper[],
  scope: CollectionScope,
): Promise<{ listing: Listing<Leftover>; listedAtMs: number }> {
  const leftovers = await findLeftovers(sweepers);
  // Staleness is judged against the time before the listing: a renewal that lands while the
  // listing is under way can only make an owner look older than it is the other way round.
  const listedAtMs = Date.now();
  const selector = `${runLabels.managedBy}=podlaw`;
  const [namespaces, leases, clusterObjects] = await Promise.all([
    kube.core.listNamespace({ labelSelector: selector }),
    kube.objects.list<V1Lease>(
      leaseType.apiVersion,
      leaseType.kind,
      undefined,
      undefined,
      undefined,
      undefined,
      ownerSelector.fieldSelector,
      selector,
    ),
    // Everything podlaw ever labelled for podlaw clean; at run start only the kinds its tests create (cheap, and within the
    // least-privilege role).
    listClusterObjects(kube, scope === 'everything' ? undefined : createdClusterScopedTypes),
  ]);
  return {
    listing: { namespaces: namespaces.items as V1Namespace[], leases: leases.items, leftovers, clusterObjects },
    listedAtMs,
  };
}

/** Ready, without MemoryPressure, and without the taints the node controller puts on a node that is neither. */
function underMemoryPressure(node: V1Node): boolean {
  const condition = node.status?.conditions?.some((c) => c.type === 'MemoryPressure' && c.status === 'True') === true;
  return condition || (node.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/memory-pressure');
}

function nodeIsBack(node: V1Node): boolean {
  return isNodeReady(node) && !underMemoryPressure(node) && !(node.spec?.taints ?? []).some((t) => notReadyTaints.has(t.key));
}

/**
 * Watches the nodes until all of `names` are back (Ready, no not-ready/unreachable taint);
 * returns those still not back at the deadline.
 */
async function waitForNodesBack(kube: KubeClients, names: readonly string[], timeout: NamedTimeout): Promise<string[]> {
  const nodes = new ResumableWatch<V1Node>(kube, resourceTypes.node);
  await nodes.start();
  const notBack = (): string[] =>
    names.filter((n) => {
      const node = nodes.get(n);
      return node !== undefined && !nodeIsBack(node);
    });
  try {
    await waitFor(nodes, () => (notBack().length === 0 ? true : undefined), {
      description: `nodes ${names.join(', ')} Ready again`,
      timeout,
    });
    return [];
  } catch {
    return notBack();
  } finally {
    await nodes.stop();
  }
}

function line(verb: string, what: string, reason: string): string {
  return `${verb} ${what} — ${reason}`;
}

async function attempt<T>(
  decision: Decision<T>,
  what: string,
  verb: 'recover' | 'remove',
  action: () => Promise<void>,
  options: CollectionOptions,
  failures: string[],
): Promise<boolean> {
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

/**
 * Nodes must be back before tests run: those this collection unfroze (they must return,
 * or the collection failed), and — a courtesy, reported but not failed — nodes a fault's
 * own recovery unfroze just before (an interrupted run's teardown), unless a live run may
 * hold them: a kept leftover names them, or namespaces of unknown liveness exist.
 */
async function nodesBack(
  kube: KubeClients,
  plan: CollectionPlan<Leftover>,
  recovered: readonly string[],
  options: CollectionOptions,
  failures: string[],
): Promise<void> {
  const held = new Set(plan.leftovers.filter((d) => d.action === 'keep').map((d) => d.item.target));
  const unknownOwners = plan.namespaces.some((d) => d.action === 'keep' && !d.item.terminating && d.item.liveness.kind === 'unknown');
  const nodes = (await kube.core.listNode()).items;
  const returning = unknownOwners
    ? []
    : nodes
        .filter((n) => !nodeIsBack(n))
        .map((n) => n.metadata?.name ?? '')
        .filter((n) => !held.has(n) && !recovered.includes(n));
  const names = [...recovered, ...returning];
  if (names.length === 0) return;
  if (returning.length > 0) options.write(`waiting for nodes ${returning.join(', ')} to be Ready again (no live run holds them)`);
  // A node an interrupted run's own teardown relieved still reports MemoryPressure for the kubelet's
  // transition period: the node-loss bound (30 s) is not the documented value of that wait (seen in bench interrupts).
  const pressured = nodes.some((n) => names.includes(n.metadata?.name ?? '') && underMemoryPressure(n));
  const relieving = pressured || plan.leftovers.some((d) => d.action === 'remove' && d.item.kind === memoryPressureKind);
  const timeout = relieving ? pressureRelief : nodeBack;
  if (relieving) options.write(`waiting for ${names.join(', ')} to leave MemoryPressure (${timeout.name})`);
  const stillOut = await waitForNodesBack(kube, names, timeout);
  for (const name of stillOut) {
    const message = `node ${name} not back (Ready, no MemoryPressure) within ${timeout.ms / 1000} s (${timeout.name})`;
    options.write(message);
    if (recovered.includes(name)) failures.push(message);
  }
}

export async function collect(
  kube: KubeClients,
  sweepers: readonly LeftoverSweeper[],
  options: CollectionOptions,
): Promise<CollectionResult> {
  const first = await readListing(kube, sweepers, options.scope);
  // Owners that look alive must prove it by renewing; namespaces already being deleted are left anyway.
  const active = first.listing.namespaces.filter((ns) => ns.metadata?.deletionTimestamp === undefined);
  const pending = pendingOwners(active, first.listing.leases, first.listedAtMs);
  let listing = first.listing;
  let nowMs = first.listedAtMs;
  if (pending.length > 0) {
    const leases = await settleOwners(kube, pending, options.write);
    nowMs = Date.now();
    // Namespaces again: an owner that closed meanwhile has its namespace terminating now, not stale.
    const namespaces = (await kube.core.listNamespace({ labelSelector: `${runLabels.managedBy}=podlaw` })).items;
    listing = { ...listing, namespaces, leases };
  }
  const plan = planCollection(listing, { scope: options.scope, force: options.force, nowMs });
  const failures: string[] = [];

  // Faults first: pods on a frozen node cannot finish terminating, so namespaces would hang.
  const recovered: string[] = [];
  for (const decision of plan.leftovers.filter((d) => d.action === 'remove')) {
    const done = await attempt(decision, decision.item.description, 'recover', () => decision.item.recover(), options, failures);
    if (done) recovered.push(decision.item.target);
  }
  if (!options.dryRun) await nodesBack(kube, plan, recovered, options, failures);
  for (const decision of plan.namespaces.filter((d) => d.action === 'remove')) {
    const name = decision.item.name;
    const what = `namespace ${name}${decision.item.runId !== undefined ? ` (run ${decision.item.runId})` : ''}`;
    await attempt(
      decision,
      what,
      'remove',
      async () => {
        // A killed NOD-10 leaves its pod GC canaries' finalizer, which would hold the namespace forever.
        await releasePodGcCanaries(kube, name);
        await unlessNotFound(() => kube.core.deleteNamespace({ name, propagationPolicy: 'Background' }));
      },
      options,
      failures,
    );
  }
  // A namespace deleted while a NOD-10 canary still held its finalizer (a teardown racing the test body that placed it)
  // would stay Terminating forever: its canaries are released. Nothing else in a terminating namespace is touched.
  if (!options.dryRun) {
    for (const decision of plan.namespaces.filter((d) => d.item.terminating)) {
      try {
        await releasePodGcCanaries(kube, decision.item.name);
      } catch (error) {
        failures.push(`release pod GC canaries in ${decision.item.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  for (const decision of plan.clusterObjects.filter((d) => d.action === 'remove')) {
    const what = `${decision.item.kind} ${decision.item.name}`;
    await attempt(decision, what, 'remove', () => deleteClusterObject(kube, decision.item), options, failures);
  }
  return { plan, failures };
}
