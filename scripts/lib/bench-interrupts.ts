/**
 * `npm run bench -- interrupts N [--grep REGEX] [--max-delay SECONDS]`: interrupts
 * `podlaw run` (a short subset with a node fault: NOD-1's node pause and a probe test)
 * at random moments, alternately with SIGINT and SIGKILL sent to its process group, and
 * proves the next run's start collection cleans what each interrupted run left: after
 * that collection, no node container paused or stopped, every node Ready with the taints,
 * schedulability and kubelet (active, same config) it had before the bench, and no podlaw
 * namespace older than the next run's start. The last interrupted run's next run runs to
 * its end, and must leave nothing itself.
 *
 * The runs target the existing cluster by its context (no cluster up, which would unpause
 * nodes itself): the cleanup proven is the collection's. It pauses a loss worker: hold the
 * exclusive cluster lock and that worker's lock while it runs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { V1Namespace } from '@kubernetes/client-node';
import { PodlawError } from '../../src/errors.ts';
import { repoRoot } from '../../src/cli/run-suites.ts';
import { connect } from '../../src/kube/client.ts';
import type { KubeClients } from '../../src/kube/client.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import type { NamedTimeout } from '../../src/kube/named-timeout.ts';
import { resourceTypes } from '../../src/kube/resources.ts';
import { waitFor } from '../../src/kube/wait.ts';
import { ResumableWatch } from '../../src/kube/watch.ts';
import { runLabels } from '../../src/harness/naming.ts';
import { collectionSummaryPrefix } from '../../src/lifecycle/run-start.ts';
import { harnessSettings } from '../../src/settings.ts';
import { namespacesOlderThan, nodeResidue, pausedNodeContainers, podlawNamespaces, snapshotNodes } from './cluster-residue.ts';
import type { NodeSnapshot } from './cluster-residue.ts';
import { startPodlawRun } from './podlaw-run.ts';
import type { PodlawRun } from './podlaw-run.ts';

export const defaultInterruptGrep = 'a paused worker turns Ready=Unknown|liveness failures restart the container';

/** Playwright starting, the API listing and, after a recovered node pause, the node back (30 s, collector.ts). */
const collectionDone = namedTimeout('run start → collection done: Playwright start + listing + a recovered node Ready again (30 s)', 120_000);
/** Deleting a namespace: the e2e framework's DefaultNamespaceDeletionTimeout (5 min). */
const namespaceDeletion = namedTimeout('namespace deletion (e2e framework DefaultNamespaceDeletionTimeout 5 min)', 300_000);
/** After SIGINT, Playwright runs every fixture teardown (fault recovery, namespace deletion requests); its teardown bound is the test timeout. */
const gracefulStop = namedTimeout('graceful stop after SIGINT (teardown within the 10 min test timeout of playwright.config.ts)', 600_000);
/** A SIGKILLed process group is gone at once; this only bounds waiting for the exit event. */
const killedExit = namedTimeout('SIGKILLed run exits', 10_000);
/** A complete run of the subset: NOD-1 (grace period + back) and a liveness test, far below Playwright's 10 min test timeout. */
const completeRun = namedTimeout('complete run of the subset (Playwright test timeout 10 min)', 600_000);

interface InterruptResult {
  readonly index: number;
  readonly signal: 'SIGINT' | 'SIGKILL';
  readonly delayMs: number | undefined;
  readonly pausedAtSignal: readonly string[];
  readonly exit: string;
  readonly leaks: readonly string[];
}

function waitLine(lines: string[], listeners: Set<(line: string) => void>, prefix: string, timeout: NamedTimeout, exited: Promise<unknown>): Promise<string> {
  const seen = lines.find((l) => l.startsWith(prefix));
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new Error(`no "${prefix}" line within ${timeout.ms / 1000} s (${timeout.name}); last lines: ${lines.slice(-5).join(' | ')}`))), timeout.ms);
    const listener = (line: string): void => {
      if (line.startsWith(prefix)) finish(() => resolve(line));
    };
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      listeners.delete(listener);
      outcome();
    };
    listeners.add(listener);
    void exited.then(() => finish(() => reject(new Error(`the run exited before its "${prefix}" line; last lines: ${lines.slice(-5).join(' | ')}`))));
  });
}

function startRun(index: number, grep: string, dir: string): { run: PodlawRun; lines: string[]; listeners: Set<(line: string) => void> } {
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const run = startPodlawRun(['--grep', grep, '--workers', '1'], join(dir, `run-${index}.log`), (line) => {
    lines.push(line);
    for (const listener of [...listeners]) listener(line);
  });
  return { run, lines, listeners };
}

async function waitExit(run: PodlawRun, timeout: NamedTimeout): Promise<string> {
  const outcome = await Promise.race([run.exited, delay(timeout.ms).then(() => undefined)]);
  if (outcome === undefined) {
    run.signalGroup('SIGKILL');
    await run.exited;
    return `did not exit within ${timeout.ms / 1000} s (${timeout.name}); SIGKILLed`;
  }
  return outcome.signal !== null ? `killed by ${outcome.signal}` : `exit ${outcome.code ?? '?'}`;
}

/** Waits (watching namespaces) until none of `names` exists; returns those still there at the deadline. */
async function namespacesGone(kube: KubeClients, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const watch = new ResumableWatch<V1Namespace>(kube, resourceTypes.namespace, { labelSelector: `${runLabels.managedBy}=podlaw` });
  await watch.start();
  try {
    await waitFor(watch, (all) => (all.some((ns) => names.includes(ns.metadata?.name ?? '')) ? undefined : true), {
      description: `namespaces ${names.join(', ')} gone`,
      timeout: namespaceDeletion,
    });
    return [];
  } catch {
    return watch.objects().map((ns) => ns.metadata?.name ?? '').filter((name) => names.includes(name));
  } finally {
    await watch.stop();
  }
}

/** What run `previous` left, checked right after the collection of the run that started at `nextStartMs`. */
async function residueAfterCollection(kube: KubeClients, baseline: readonly NodeSnapshot[], nextStartMs: number): Promise<{ now: string[]; namespaces: string[] }> {
  const now = nodeResidue(baseline, await snapshotNodes(kube));
  const older = namespacesOlderThan(await podlawNamespaces(kube), nextStartMs);
  // A namespace the collection did not even start deleting is a leak at once.
  for (const ns of older.filter((n) => n.metadata?.deletionTimestamp === undefined)) now.push(`namespace ${ns.metadata?.name ?? ''} left, not being deleted`);
  return { now, namespaces: older.filter((n) => n.metadata?.deletionTimestamp !== undefined).map((n) => n.metadata?.name ?? '') };
}

export async function benchInterrupts(count: number, grep: string, maxDelayMs: number): Promise<void> {
  const settings = harnessSettings();
  const kube = connect(settings.kubeconfigPath, settings.context);
  const dir = join(repoRoot, 'reports', 'bench-interrupts');
  mkdirSync(dir, { recursive: true });

  const baseline = await snapshotNodes(kube);
  const unhealthy = nodeResidue([], baseline);
  if (unhealthy.length > 0) throw new PodlawError('cluster', `the cluster is not healthy before the bench: ${unhealthy.join('; ')}`, 'bring it back (or wait for the run that holds it) and rerun');
  // Namespaces already being deleted (a clean just before) are waited out; any other is someone's.
  const deleting = (await podlawNamespaces(kube)).filter((n) => n.metadata?.deletionTimestamp !== undefined).map((n) => n.metadata?.name ?? '');
  await namespacesGone(kube, deleting);
  const before = await podlawNamespaces(kube);
  if (before.length > 0) {
    throw new PodlawError('usage', `podlaw namespaces exist before the bench: ${before.map((n) => n.metadata?.name ?? '').join(', ')}`, 'the bench needs the cluster to itself: hold the exclusive cluster lock, and run podlaw clean first');
  }
  console.log(`baseline: ${baseline.map((n) => `${n.name} ${n.container} Ready=${n.ready} taints[${n.taints.join(' ')}] kubelet ${n.kubelet} ${n.kubeletConfig}`).join('; ')}`);

  const results: InterruptResult[] = [];
  let pendingCheck: Promise<void> = Promise.resolve();
  let previous: { index: number; signal: 'SIGINT' | 'SIGKILL'; delayMs: number | undefined; pausedAtSignal: string[]; exit: string } | undefined;

  for (let index = 1; index <= count + 1; index += 1) {
    const last = index === count + 1;
    const { run, lines, listeners } = startRun(index, grep, dir);
    await waitLine(lines, listeners, collectionSummaryPrefix, collectionDone, run.exited);
    const collectedAt = Date.now();
    for (const line of lines.filter((l) => l.startsWith('podlaw collection'))) console.log(`  run ${index}: ${line}`);

    if (previous !== undefined) {
      const judged = previous;
      const residue = await residueAfterCollection(kube, baseline, run.startedAt.getTime());
      pendingCheck = (async () => {
        const stuck = await namespacesGone(kube, residue.namespaces);
        const leaks = [...residue.now, ...stuck.map((name) => `namespace ${name} still there after ${namespaceDeletion.ms / 1000} s (${namespaceDeletion.name})`)];
        results.push({ ...judged, leaks });
        console.log(`interrupt ${judged.index}: ${judged.signal} ${judged.delayMs !== undefined ? `${(judged.delayMs / 1000).toFixed(1)} s after its collection` : ''}` +
          `${judged.pausedAtSignal.length > 0 ? ` while ${judged.pausedAtSignal.join(', ')} paused` : ''}; ${judged.exit}; ` +
          `next run collected ${residue.namespaces.length} namespace(s); leaks: ${leaks.length === 0 ? 'none' : leaks.join('; ')}`);
      })();
    }

    if (last) {
      const exit = await waitExit(run, completeRun);
      await pendingCheck;
      const own = namespacesOlderThan(await podlawNamespaces(kube), Date.now() + 1000).map((n) => n.metadata?.name ?? '');
      const stuck = await namespacesGone(kube, own);
      const residue = nodeResidue(baseline, await snapshotNodes(kube));
      console.log(`final run ${index}: ${exit}; ${lines.find((l) => l.startsWith('laws:')) ?? 'no laws line'}; left behind: ${[...residue, ...stuck].length === 0 ? 'nothing' : [...residue, ...stuck].join('; ')}`);
      break;
    }

    const signal = index % 2 === 1 ? 'SIGINT' : 'SIGKILL';
    const delayMs = Math.round(Math.random() * maxDelayMs);
    const wait = collectedAt + delayMs - Date.now();
    const ended = await Promise.race([run.exited.then(() => true), delay(Math.max(0, wait)).then(() => false)]);
    if (ended) {
      console.log(`interrupt ${index}: the run ended before its ${signal} at ${(delayMs / 1000).toFixed(1)} s (${lines.find((l) => l.startsWith('laws:')) ?? ''}); not counted`);
      previous = { index, signal, delayMs: undefined, pausedAtSignal: [], exit: 'ended before the signal' };
      await pendingCheck;
      continue;
    }
    const pausedAtSignal = await pausedNodeContainers();
    run.signalGroup(signal);
    const exit = await waitExit(run, signal === 'SIGINT' ? gracefulStop : killedExit);
    previous = { index, signal, delayMs, pausedAtSignal, exit };
    await pendingCheck;
  }
  await pendingCheck;

  const counted = results.filter((r) => r.delayMs !== undefined);
  const leaks = counted.reduce((sum, r) => sum + r.leaks.length, 0);
  const bySignal = (s: string): number => counted.filter((r) => r.signal === s).length;
  const duringPause = counted.filter((r) => r.pausedAtSignal.length > 0).length;
  console.log(`bench interrupts: ${counted.length} interrupt(s) (${bySignal('SIGINT')} SIGINT, ${bySignal('SIGKILL')} SIGKILL; ${duringPause} during a node pause); ${leaks} leak(s)`);
}
