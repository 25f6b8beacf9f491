/**
 * Node loss as a client sees it (NOD-4 under load), run inside the node-loss test of the same
 * loss kind so each kind of loss happens once per run: "the node controller … marks the Pods on
 * the node as not ready" once the node's Ready condition turns Unknown, after
 * node-monitor-grace-period; the EndpointSlice controller then drops them from service. Until then
 * kube-proxy keeps sending new connections to the lost pod.
 * https://kubernetes.io/docs/concepts/architecture/nodes/#node-status
 *
 * What a client sees depends on what the loss took away:
 * - a paused or stopped node takes its pods with it: requests sent to the lost pod fail from the
 *   loss until its endpoint leaves service (grace period + propagation), then none;
 * - a stopped kubelet or a node cut from the API server leaves its pods running and their
 *   forwarded traffic untouched (src/faults/node-partition.ts): no request fails, and the lost
 *   pod stops receiving requests once its endpoint leaves service.
 *
 * Three steps around the loss: `start` before the fault (a Service over one pod on the general
 * worker and one on the lost node, k6 steady on it, conntrack watching the NodePort), `follow`
 * from the injection (its own watch: node Unknown, endpoint out, k6 to its end; it must settle
 * before the node is recovered), and `judge` once the test has the node back; `stop` in a finally.
 */
import type { TestInfo } from '@playwright/test';
import { expect } from '@playwright/test';
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterContext } from '../cluster/context.ts';
import type { FaultSession } from '../faults/active-faults.ts';
import { nodeNotReady } from '../laws/expectations/node-loss.ts';
import { tolerances } from '../laws/expectation.ts';
import type { Expectation } from '../laws/expectation.ts';
import { failuresAfter, propagation } from '../load/analysis.ts';
import { EndpointChanges } from '../load/endpoint-changes.ts';
import { readProxySync, type ProxySync } from '../load/kube-proxy.ts';
import { LoadSession, type LoadOutcome } from '../load/session.ts';
import { nodeReadyStatus } from '../kube/node-status.ts';
import { namedTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { waitForObject } from '../kube/wait.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { lateFailures, watchNodePortFlows, type ConntrackFlows } from './conntrack.ts';
import { waitForEndpoint } from './endpoints.ts';
import type { LawCheck } from './law-check.ts';
import type { NodeLossKind } from './node-loss.ts';
import type { ObjectFactory } from './objects.ts';
import { waitForReadyPods } from './pods.ts';
import { timeouts } from './timeouts.ts';
import type { ClusterWatches } from './watches.ts';

/** What the loss does to the lost pod's own traffic. */
export type Served = 'unreachable' | 'keeps serving';

/** The kinds that take the node's pods down with it, and those that leave them serving. */
export function servedDuring(kind: NodeLossKind): Served {
  return kind === 'node-pause' || kind === 'node-stop' ? 'unreachable' : 'keeps serving';
}

export interface ClientContext {
  readonly cluster: ClusterContext;
  readonly watch: ClusterWatches;
  readonly objects: ObjectFactory;
  readonly faults: FaultSession;
  readonly timeline: Timeline;
  readonly namespace: string;
}

/** The Service the client's load goes to: not `web`, which the node-loss workloads own. */
const service = 'front';
const ratePerSecond = 20;

/** When the endpoint left service, and the bound after which kube-proxy must have followed. */
interface Settled {
  readonly outcome: LoadOutcome;
  readonly leftAt: number;
  readonly bound: NamedTimeout;
  readonly synSentSeconds: number | undefined;
}

export class ClientDuringLoss {
  readonly #ctx: ClientContext;
  readonly #kind: NodeLossKind;
  readonly #lost: string;
  readonly #pods: readonly V1Pod[];
  readonly #victim: string;
  readonly #proxy: ProxySync;
  readonly #notReady: Expectation;
  readonly #flows: ConntrackFlows | string;
  readonly #load: LoadSession;
  readonly #changes: EndpointChanges;
  #lostAt: number | undefined;
  #settled: Promise<Settled> | undefined;
  #stopped = false;

  private constructor(
    ctx: ClientContext,
    kind: NodeLossKind,
    lost: string,
    parts: {
      pods: readonly V1Pod[];
      victim: string;
      proxy: ProxySync;
      notReady: Expectation;
      flows: ConntrackFlows | string;
      load: LoadSession;
    },
  ) {
    this.#ctx = ctx;
    this.#kind = kind;
    this.#lost = lost;
    this.#pods = parts.pods;
    this.#victim = parts.victim;
    this.#proxy = parts.proxy;
    this.#notReady = parts.notReady;
    this.#flows = parts.flows;
    this.#load = parts.load;
    this.#changes = new EndpointChanges(ctx.watch.endpointSlices, service);
  }

  /** Applies the client's Service (one pod on `stays`, one on `lost`): call early, so its pods start beside the test's own. */
  static async deploy(objects: ObjectFactory, stays: string, lost: string): Promise<void> {
    await objects.apply('load/netexec-two-nodes.yaml', { name: service, stays, lost });
  }

  /** Waits for both pods Ready, then starts conntrack and k6 and waits for steady answers: call right before the fault. */
  static async start(ctx: ClientContext, kind: NodeLossKind, lost: string): Promise<ClientDuringLoss> {
    const { cluster, watch, namespace, timeline } = ctx;
    const pods = await waitForReadyPods(watch, 2, timeouts.podStart, {
      matching: (p) => p.metadata?.labels?.['podlaw.dev/app'] === service,
      description: `both ${service} pods Ready`,
    });
    const victim = pods.find((p) => p.spec?.nodeName === lost)?.metadata?.name ?? '';
    expect(victim, `a ${service} pod on ${lost}`).not.toBe('');
    const proxy = await readProxySync(cluster.kube);
    const notReady = nodeNotReady(cluster.timing);
    // k6 runs from the loss until the endpoint has left service (at most the grace period) and steady after it.
    const durationSeconds = Math.ceil(notReady.maxMs / 1000) + 30;
    // Started before the load, so the "before" phase's own connections prove it sees every new flow.
    const flows = await watchNodePortFlows(cluster, namespace, service, durationSeconds + 120);
    const load = await LoadSession.start(
      cluster,
      namespace,
      {
        law: 'NOD-4',
        service,
        scenario: {
          name: `node_loss_${kind.replace('-', '_')}`,
          ratePerSecond,
          durationSeconds,
          requestTimeoutMs: 2000,
          thresholds: {},
        },
        steadySeconds: 3,
      },
      timeline,
    );
    return new ClientDuringLoss(ctx, kind, lost, { pods, victim, proxy, notReady, flows, load });
  }

  /** Marks the loss: call right before injecting (docker stop, for one, shuts the node's pods down before it returns). */
  lossStarts(): void {
    const lostAt = Date.now();
    this.#lostAt = lostAt;
    this.#load.phase(`${this.#kind} of ${this.#lost}`, lostAt);
  }

  /** Follows the loss from the injection's return, as lostNode's own budgets do: call right after injecting. */
  injected(): void {
    if (this.#lostAt === undefined) throw new Error('client during loss: injected() before lossStarts()');
    const settled = this.#follow();
    // Awaited by `settle` and `judge`; never reported as unhandled meanwhile.
    settled.catch(() => undefined);
    this.#settled = settled;
  }

  /**
   * Stops what still runs when the test ended early (call in a finally): the endpoint subscription and the
   * conntrack monitor. k6 stops by itself at the end of its scenario (its watchdog kills an overstay).
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#changes.stop();
    this.#load.run.result.catch(() => undefined);
    if (typeof this.#flows !== 'string') await this.#flows.stop();
  }

  /** From the loss: node Unknown, the victim's endpoint not ready, k6 to its end (it runs past the endpoint removal). */
  async #follow(): Promise<Settled> {
    const { watch } = this.#ctx;
    const notReady = this.#notReady;
    // The fault took effect: the node controller stopped hearing from the node.
    await waitForObject(watch.nodes, this.#lost, (n) => nodeReadyStatus(n) === 'Unknown', {
      description: `node ${this.#lost} Ready=Unknown after ${this.#kind}`,
      timeout: namedTimeout(`${notReady.formula} + ${tolerances.statusPropagation.name}`, notReady.maxMs + tolerances.statusPropagation.ms),
    });
    await waitForEndpoint(
      watch,
      service,
      this.#victim,
      (e) => e?.conditions?.ready !== true,
      'not ready',
      namedTimeout(tolerances.statusPropagation.name, tolerances.statusPropagation.ms),
    );
    const leftAt = this.#changes.leftServiceAt(this.#victim) ?? Date.now();
    const bound = namedTimeout(
      `kube-proxy minSyncPeriod ${this.#proxy.minSyncMs / 1000} s + ${tolerances.statusPropagation.name}`,
      this.#proxy.minSyncMs + tolerances.statusPropagation.ms,
    );
    this.#load.phase('after endpoint removal + propagation', leftAt + bound.ms);
    const outcome = await this.#load.finish();
    const flows = this.#flows;
    const synSentSeconds = typeof flows === 'string' ? undefined : await flows.synSentTimeoutSeconds();
    await this.stop();
    return { outcome, leftAt, bound, synSentSeconds };
  }

  /** Waits until the client has seen the loss through (call before the node is recovered). */
  async settle(): Promise<void> {
    if (this.#settled === undefined) throw new Error('client during loss: settle() before injected()');
    await this.#settled;
  }

  /** Asserts what the client saw, for NOD-4. */
  async judge(testInfo: TestInfo, check: LawCheck): Promise<void> {
    const lostAt = this.#lostAt;
    if (lostAt === undefined || this.#settled === undefined) throw new Error('client during loss: judge() before injected()');
    const { outcome, leftAt, bound, synSentSeconds } = await this.#settled;
    const law = check.for('NOD-4');
    const victim = this.#victim;
    const records = outcome.result.records;
    await this.#load.report(testInfo, outcome, [propagation(records, victim, leftAt)]);
    const removal = `endpoint removal (${((leftAt - lostAt) / 1000).toFixed(1)} s after the loss; ${this.#notReady.formula}) + ${bound.name}`;
    const sources = `${this.#notReady.source}; ${this.#proxy.source}`;
    const before = failuresAfter(records, this.#load.steadySinceMs).filter((r) => r.startMs < lostAt);
    law.fact('client: failed requests before the loss', '0', String(before.length), 'k6 per-request log', before.length === 0);
    const failed = failuresAfter(records, lostAt);
    const first = failed[0]?.startMs;
    const last = failed.at(-1)?.startMs;
    const since = (t: number): string => `${((t - lostAt) / 1000).toFixed(2)} s`;
    const settled = leftAt + bound.ms;
    const lateAnswers = records.filter((r) => r.pod === victim && r.startMs > settled);
    law.fact(
      `client: requests answered by the lost pod after ${removal}`,
      '0',
      lateAnswers.length === 0 ? '0' : `${lateAnswers.length}, the last ${since(lateAnswers.at(-1)?.startMs ?? 0)} after the loss`,
      sources,
      lateAnswers.length === 0,
    );
    let afterRemoval = failuresAfter(records, settled);
    const flows = this.#flows;
    if (typeof flows === 'string') {
      law.fact(
        'client: new connections seen at the NodePort (conntrack)',
        'read',
        `not read: ${flows}`,
        'conntrack -E on the entry node',
        true,
      );
    } else {
      const victimIp = this.#pods.find((p) => p.metadata?.name === victim)?.status?.podIP ?? '';
      const beforeFlows = flows.flows.filter((f) => f.atMs >= this.#load.steadySinceMs && f.atMs < lostAt).length;
      // The monitor was alive: it saw the connections of the steady phase before the loss.
      expect(beforeFlows, 'conntrack NEW flows seen before the loss (the monitor is alive)').toBeGreaterThan(0);
      const newToLost = flows.flows.filter((f) => f.endpoint === victimIp && f.atMs >= settled);
      law.fact(
        `client: new connections sent to the lost pod (${victimIp}) after ${removal}`,
        '0',
        String(newToLost.length),
        `conntrack NEW flows at the control-plane node; ${this.#proxy.source}`,
        newToLost.length === 0,
      );
      const split = lateFailures(records, flows.flows, settled, ratePerSecond);
      const lastFlowToLost = Math.max(0, ...flows.flows.filter((f) => f.endpoint === victimIp).map((f) => f.atMs));
      const expiry = synSentSeconds === undefined ? undefined : lastFlowToLost + synSentSeconds * 1000;
      const outlived = split.onReusedTuples.filter((r) => expiry === undefined || r.startMs > expiry);
      // The client reused the source port of a failed connection whose SYN_SENT entry conntrack still held: the request
      // followed that entry to the lost pod. kube-proxy flushes conntrack for UDP only; the entry expires on its own.
      law.fact(
        'client: failed requests after endpoint removal on a reused conntrack tuple (no new flow of their own)',
        `only while an entry to the lost pod lives: nf_conntrack_tcp_timeout_syn_sent ${synSentSeconds ?? '?'} s after its last flow`,
        split.onReusedTuples.length === 0
          ? '0'
          : `${split.onReusedTuples.length} (k6 error ${[...new Set(split.onReusedTuples.map((r) => r.errorCode))].join('/')}), ` +
              `${split.onReusedTuples.map((r) => since(r.startMs)).join(', ')} after the loss`,
        'conntrack NEW flows at the control-plane node; /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_syn_sent',
        outlived.length === 0,
      );
      afterRemoval = [...split.onNewFlows];
    }
    law.fact(
      'client: failed requests on new connections once the endpoint left service (+ propagation)',
      '0',
      String(afterRemoval.length),
      sources,
      afterRemoval.length === 0,
    );
    if (servedDuring(this.#kind) === 'unreachable') {
      const lastOnNewFlow = [...failed].reverse().find((r) => r.startMs < settled || afterRemoval.includes(r))?.startMs;
      law.fact(
        'client: error window, loss → last failed new connection',
        `ends ≤ ${removal}`,
        first === undefined || lastOnNewFlow === undefined
          ? 'no failed request'
          : `${failed.length} failed, ${since(first)} → ${since(lastOnNewFlow)} after the loss`,
        sources,
        afterRemoval.length === 0,
      );
      expect(failed.length, `the loss was seen by the client (requests to the pod on the ${this.#kind} node failed)`).toBeGreaterThan(0);
    } else {
      // The node is lost to the control plane only: its pod still answers what kube-proxy sends it until the endpoint leaves.
      const answeredDuringLoss = records.filter((r) => r.pod === victim && r.startMs > lostAt && r.startMs <= leftAt).length;
      law.fact(
        'client: failed requests from the loss on (the lost pod keeps serving)',
        '0',
        failed.length === 0 ? '0' : `${failed.length}, ${since(first ?? 0)} → ${since(last ?? 0)} after the loss`,
        `${this.#kind} leaves containers and forwarded traffic running`,
        failed.length === 0,
      );
      law.fact(
        'client: requests the lost pod answered between the loss and its endpoint removal',
        '> 0',
        String(answeredDuringLoss),
        `${this.#kind} leaves containers and forwarded traffic running`,
        answeredDuringLoss > 0,
      );
    }
  }
}
