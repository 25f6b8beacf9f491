/**
 * `npm run bench -- interrupts N [--grep REGEX] [--max-delay SECONDS]`: interrupts
 * `podlaw run` (a short subset with a node fault: the node-pause loss test, a probe test and the memory-pressure episode)
 * at random moments, alternately with SIGINT and SIGKILL sent to its process group, and
 * proves the next run's start collection cleans what each interrupted run left: after
 * that collection, no node container paused or stopped, every node Ready with the taints,
 * schedulability and kubelet (active, same config) it had before the bench, and no podlaw
 * namespace older than the next run's start. The last interrupted run's next run runs to
 * its end, and must leave nothing itself.
 *
 * The runs target the existing cluster by its context (no cluster up, which would unpause
 * nodes itself): the cleanup proven is the collection's. It pauses a loss worker: hold the
 * worker's lock while it runs. Others' live runs may share the cluster: the bench names its
 * own runs (PODLAW_RUN_ID) and judges only their namespaces.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SchedulingV1Api } from '@kubernetes/client-node';
import type { V1Namespace } from '@kubernetes/client-node';
import { PodlawError } from '../../errors.ts';
import { repoRoot } from '../../paths.ts';
import { connect } from '../../kube/client.ts';
import type { KubeClients } from '../../kube/client.ts';
import { describeTimeout, namedTimeout } from '../../kube/named-timeout.ts';
import type { NamedTimeout } from '../../kube/named-timeout.ts';
import { resourceTypes } from '../../kube/resources.ts';
import { waitFor } from '../../kube/wait.ts';
import { ResumableWatch } from '../../kube/watch.ts';
import { runLabels } from '../../run-naming.ts';
import { collectionSummaryPrefix } from '../../lifecycle/run-start.ts';
import { harnessSettings } from '../../run-settings.ts';
import { namespacesOlderThan, nodeResidue, pausedNodeContainers, podlawNamespaces, snapshotNodes } from './cluster-residue.ts';
import type { NodeSnapshot } from './cluster-residue.ts';
import { startPodlawRun } from './podlaw-run.ts';
import type { PodlawRun } from './podlaw-run.ts';

/** The node-pause loss test (a paused loss worker, a client's k6), a probe test, and a memory-pressure episode (a tmpfs in the pressure worker and a PriorityClass). */
export const defaultInterruptGrep =
  'a paused node: taints, evictions|liveness failures restart the container|memory pressure: the kubelet evicts by usage over request';

/**
 * Playwright starting, the listing, proving fresh owners alive or dead (≤ 31 s) and a recovered node back: Ready
 * (≤ 30 s) or out of MemoryPressure (the collection's pressure-relief bound, 320 s).
 */
const collectionDone = namedTimeout(
  'run start → collection done: Playwright start + owners proven (31 s) + a node out of MemoryPressure (320 s)',
  420_000,
);
/** Deleting a namespace: the e2e framework's DefaultNamespaceDeletionTimeout (5 min). */
const namespaceDeletion = namedTimeout('namespace deletion (e2e framework DefaultNamespaceDeletionTimeout 5 min)', 300_000);
/** After SIGINT, Playwright runs every fixture teardown (fault recovery, namespace deletion); the test timeout bounds it. */
const gracefulStop = namedTimeout('graceful stop after SIGINT (teardown within the 10 min test timeout of playwright.config.ts)', 600_000);
/** A SIGKILLed process group is gone at once; this only bounds waiting for the exit event. */
const killedExit = namedTimeout('SIGKILLed run exits', 10_000);
/** A complete run of the subset: the node-pause loss test (grace period, tolerations, return), far below Playwright's 10 min test timeout. */
const completeRun = namedTimeout('complete run of the subset (Playwright test timeout 10 min)', 600_000);

type InterruptSignal = 'SIGINT' | 'SIGKILL';

interface Interrupt {
  readonly index: number;
  readonly signal: InterruptSignal;
  /** After the run's collection; undefined when the run ended before the signal was due. */
  readonly delayMs: number | undefined;
  readonly pausedAtSignal: readonly string[];
  readonly exit: string;
}

interface InterruptResult extends Interrupt {
  readonly collected: number;
  readonly leaks: readonly string[];
}

interface StartedRun {
  readonly run: PodlawRun;
  readonly lines: string[];
  readonly listeners: Set<(line: string) => void>;
}

function lastLines(lines: readonly string[]): string {
  return lines.slice(-5).join(' | ');
}

function waitLine(started: StartedRun, prefix: string, timeout: NamedTimeout): Promise<string> {
  const { lines, listeners, run } = started;
  const seen = lines.find((l) => l.startsWith(prefix));
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(() => reject(new Error(`no "${prefix}" line within ${describeTimeout(timeout)}; last lines: ${lastLines(lines)}`)));
    }, timeout.ms);
    const listener = (line: string): void => {
      if (line.startsWith(prefix)) finish(() => resolve(line));
    };
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      listeners.delete(listener);
      outcome();
    };
    listeners.add(listener);
    void run.exited.then(() => {
      finish(() => reject(new Error(`the run exited before its "${prefix}" line; last lines: ${lastLines(lines)}`)));
    });
  });
}

/** The bench names its runs (PODLAW_RUN_ID), so it judges only what its own runs left, beside others' live runs. */
function benchRunId(benchId: string, index: number): string {
  return `${benchId}n${index}`;
}

function startRun(index: number, grep: string, dir: string, runId: string): StartedRun {
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onLine = (line: string): void => {
    lines.push(line);
    for (const listener of [...listeners]) listener(line);
  };
  const run = startPodlawRun(['--grep', grep, '--workers', '1'], join(dir, `run-${index}.log`), onLine, { PODLAW_RUN_ID: runId });
  return { run, lines, listeners };
}

async function waitExit(run: PodlawRun, timeout: NamedTimeout): Promise<string> {
  // Unref'd: a deadline that lost the race must not keep the bench alive.
  const outcome = await Promise.race([run.exited, delay(timeout.ms, undefined, { ref: false })]);
  if (outcome === undefined) {
    run.signalGroup('SIGKILL');
    await run.exited;
    return `did not exit within ${describeTimeout(timeout)}; SIGKILLed`;
  }
  return outcome.signal !== null ? `killed by ${outcome.signal}` : `exit ${outcome.code ?? '?'}`;
}

const nameOf = (ns: V1Namespace): string => ns.metadata?.name ?? '';

/** podlaw namespaces of the bench's own runs; other runs' (a colleague's live run) are not the bench's to judge. */
async function benchNamespaces(kube: KubeClients, ours: ReadonlySet<string>): Promise<V1Namespace[]> {
  return (await podlawNamespaces(kube)).filter((ns) => ours.has(ns.metadata?.labels?.[runLabels.runId] ?? ''));
}

/** Waits (watching namespaces) until none of `names` exists; returns those still there at the deadline. */
async function namespacesGone(kube: KubeClients, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const watch = new ResumableWatch<V1Namespace>(kube, resourceTypes.namespace, { labelSelector: `${runLabels.managedBy}=podlaw` });
  await watch.start();
  const remaining = (): string[] =>
    watch
      .objects()
      .map(nameOf)
      .filter((name) => names.includes(name));
  try {
    await waitFor(watch, () => (remaining().length === 0 ? true : undefined), {
      description: `namespaces ${names.join(', ')} gone`,
      timeout: namespaceDeletion,
    });
    return [];
  } catch {
    return remaining();
  } finally {
    await watch.stop();
  }
}

/**
 * What the previous run left, right after the collection of the run that started at
 * `nextStartMs`: node residue, and namespaces older than that start — a leak at once when
 * nobody is deleting it, else to be waited out.
 */
async function residueAfterCollection(
  kube: KubeClients,
  baseline: readonly NodeSnapshot[],
  nextStartMs: number,
  ours: ReadonlySet<string>,
): Promise<{ leaks: string[]; deleting: string[] }> {
  const leaks = nodeResidue(baseline, await snapshotNodes(kube));
  const older = namespacesOlderThan(await benchNamespaces(kube, ours), nextStartMs);
  // Cluster-scoped objects (the pressure test's PriorityClass) of the bench's earlier runs: the collection removes them.
  const current = [...ours].at(-1);
  for (const pc of (await kube.config.makeApiClient(SchedulingV1Api).listPriorityClass({ labelSelector: `${runLabels.managedBy}=podlaw` }))
    .items) {
    const runId = pc.metadata?.labels?.[runLabels.runId] ?? '';
    if (ours.has(runId) && runId !== current) leaks.push(`PriorityClass ${pc.metadata?.name ?? ''} of run ${runId} left`);
  }
  for (const ns of older.filter((n) => n.metadata?.deletionTimestamp === undefined)) {
    leaks.push(`namespace ${nameOf(ns)} left, not being deleted`);
  }
  return { leaks, deleting: older.filter((n) => n.metadata?.deletionTimestamp !== undefined).map(nameOf) };
}

async function judge(kube: KubeClients, interrupt: Interrupt, residue: { leaks: string[]; deleting: string[] }): Promise<InterruptResult> {
  const stuck = await namespacesGone(kube, residue.deleting);
  const leaks = [...residue.leaks, ...stuck.map((name) => `namespace ${name} still there after ${describeTimeout(namespaceDeletion)}`)];
  return { ...interrupt, collected: residue.deleting.length, leaks };
}

function describeResult(r: InterruptResult): string {
  const when = r.delayMs !== undefined ? ` ${(r.delayMs / 1000).toFixed(1)} s after its collection` : ' (run ended before it was due)';
  const paused = r.pausedAtSignal.length > 0 ? ` while ${r.pausedAtSignal.join(', ')} paused` : '';
  const leaks = r.leaks.length === 0 ? 'none' : r.leaks.join('; ');
  const collected = `next run's collection left ${r.collected} namespace(s) deleting`;
  return `interrupt ${r.index}: ${r.signal}${when}${paused}; ${r.exit}; ${collected}; leaks: ${leaks}`;
}

/** Makes sure the bench has the cluster to itself and starts from a healthy one; returns the node baseline. */
async function preflight(kube: KubeClients): Promise<NodeSnapshot[]> {
  const baseline = await snapshotNodes(kube);
  const unhealthy = nodeResidue([], baseline);
  if (unhealthy.length > 0) {
    throw new PodlawError(
      'cluster',
      `the cluster is not healthy before the bench: ${unhealthy.join('; ')}`,
      'bring it back (or wait for the run that holds it) and rerun',
    );
  }
  // Others' namespaces may exist (a colleague's live run): the bench judges only its own runs' namespaces.
  const others = (await podlawNamespaces(kube)).map(nameOf);
  if (others.length > 0) console.log(`not the bench's (left alone, not judged): ${others.join(', ')}`);
  for (const n of baseline) {
    const kubelet = `kubelet ${n.kubelet} (config ${n.kubeletConfig})`;
    console.log(`baseline ${n.name}: ${n.container}, Ready=${n.ready}, taints [${n.taints.join(' ')}], ${kubelet}`);
  }
  return baseline;
}

export async function benchInterrupts(count: number, grep: string, maxDelayMs: number): Promise<void> {
  const settings = harnessSettings();
  const kube = connect(settings.kubeconfigPath, settings.context);
  const dir = join(repoRoot, 'reports', 'bench-interrupts');
  mkdirSync(dir, { recursive: true });
  const baseline = await preflight(kube);
  const benchId = `bi${Date.now().toString(36).slice(-6)}`;
  const ours = new Set<string>();

  const results: InterruptResult[] = [];
  let pendingCheck: Promise<void> = Promise.resolve();
  let previous: Interrupt | undefined;

  // count interrupted runs, then one run to its end: the "next run" of the last interrupt.
  for (let index = 1; index <= count + 1; index += 1) {
    const runId = benchRunId(benchId, index);
    ours.add(runId);
    const started = startRun(index, grep, dir, runId);
    const { run, lines } = started;
    await waitLine(started, collectionSummaryPrefix, collectionDone);
    const collectedAt = Date.now();
    for (const line of lines.filter((l) => l.startsWith('podlaw collection'))) console.log(`  run ${index}: ${line}`);

    if (previous !== undefined) {
      const judged = previous;
      const residue = await residueAfterCollection(kube, baseline, run.startedAt.getTime(), ours);
      pendingCheck = judge(kube, judged, residue).then((result) => {
        results.push(result);
        console.log(describeResult(result));
      });
    }

    if (index === count + 1) {
      const exit = await waitExit(run, completeRun);
      await pendingCheck;
      const stuck = await namespacesGone(kube, (await benchNamespaces(kube, ours)).map(nameOf));
      const left = [...nodeResidue(baseline, await snapshotNodes(kube)), ...stuck.map((n) => `namespace ${n}`)];
      const laws = lines.find((l) => l.startsWith('laws:')) ?? 'no laws line';
      console.log(`final run ${index}: ${exit}; ${laws}; left behind: ${left.length === 0 ? 'nothing' : left.join('; ')}`);
      break;
    }

    const signal: InterruptSignal = index % 2 === 1 ? 'SIGINT' : 'SIGKILL';
    const delayMs = Math.round(Math.random() * maxDelayMs);
    const due = delay(Math.max(0, collectedAt + delayMs - Date.now()), false, { ref: false });
    if (await Promise.race([run.exited.then(() => true), due])) {
      previous = { index, signal, delayMs: undefined, pausedAtSignal: [], exit: 'ended before the signal' };
    } else {
      const pausedAtSignal = await pausedNodeContainers();
      run.signalGroup(signal);
      const exit = await waitExit(run, signal === 'SIGINT' ? gracefulStop : killedExit);
      previous = { index, signal, delayMs, pausedAtSignal, exit };
    }
    await pendingCheck;
  }
  await pendingCheck;

  const counted = results.filter((r) => r.delayMs !== undefined);
  const leaks = counted.reduce((sum, r) => sum + r.leaks.length, 0);
  const bySignal = (s: InterruptSignal): number => counted.filter((r) => r.signal === s).length;
  const duringPause = counted.filter((r) => r.pausedAtSignal.length > 0).length;
  console.log(
    `bench interrupts: ${counted.length} interrupt(s) (${bySignal('SIGINT')} SIGINT, ${bySignal('SIGKILL')} SIGKILL; ` +
      `${duringPause} during a node pause); ${leaks} leak(s)`,
  );
}
