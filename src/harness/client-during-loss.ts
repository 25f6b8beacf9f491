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
 * from the injection (its own watch: node Unknown, endpoint out, then k6 until `endLoad`, once the
 * pods are evicted; `settle` before the node is recovered), and `judge` once the test has the node back; `stop` in a finally.
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
import { propagationBound, readProxySync, type ProxySync } from '../load/kube-proxy.ts';
import { LoadSession, type LoadOutcome } from '../load/session.ts';
import { placementFor } from '../load/target.ts';
import { loadLimits } from '../load/scenario.ts';
import { LoadError } from '../load/errors.ts';
import { nodeReadyStatus } from '../kube/node-status.ts';
import { namedTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { waitForObject } from '../kube/wait.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { attributeAnswers, describeUnanswered, watchNodePortFlows, type ConntrackFlows } from './conntrack.ts';
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
/** How long the monitor is given to print the last request's flow: ~7 × the print lag measured on the saturated host. */
const conntrackPrintLagMs = 2_000;
const requestTimeoutMs = 2_000;

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
  readonly #lossSeconds: number;
  readonly #changes: EndpointChanges;
  #lostAt: number | undefined;
  #settled: Promise<Settled> | undefined;
  /** Resolved (endLoad, settle) with the moment the load is measured through: NOD-4's client claims cover the loss to it. */
  #release: ((atMs: number) => void) | undefined;
  readonly #released = new Promise<number>((resolve) => {
    this.#release = resolve;
  });
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
      /** What the loss needs of the load from its start: the node's Unknown, the evictions and a margin. */
      lossSeconds: number;
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
    this.#lossSeconds = parts.lossSeconds;
    this.#changes = new EndpointChanges(ctx.watch.endpointSlices, service);
  }

  /** Applies the client's Service (one pod on `stays`, one on `lost`): call early, so its pods start beside the test's own. */
  static async deploy(objects: ObjectFactory, stays: string, lost: string): Promise<void> {
    await objects.applyTogether('load/netexec-two-nodes.yaml', { name: service, stays, lost });
  }

  /**
   * Waits for both pods Ready, then starts conntrack and k6 and waits for steady answers: call once its pods are deployed
   * (the node-loss body starts it beside its workloads' start) and inject the fault after it resolved.
   */
  static async start(ctx: ClientContext, kind: NodeLossKind, lost: string): Promise<ClientDuringLoss> {
    const { cluster, watch, namespace, timeline } = ctx;
    const notReady = nodeNotReady(cluster.timing);
    // k6 runs from before the loss until the lost pods are evicted (endLoad), past the endpoint's removal (at most the
    // grace period) and the pods' unreachable toleration; on the host it is stopped then. A Job cannot be stopped: its
    // load ends 30 s after the endpoint's removal at the latest, as it did for every placement before.
    const host = placementFor(cluster.settings.context) === 'host';
    const untilReturn = host ? cluster.timing.defaultUnreachableTolerationSeconds.value : 0;
    const lossSeconds = Math.ceil(notReady.maxMs / 1000) + untilReturn + 30;
    // The load starts while the test's fault may still wait for the smoke verdict (src/harness/smoke-gate.ts). A host k6
    // is stopped by podlaw, so its cap is k6's limit, leaving that wait the rest (lossStarts refuses a loss that comes
    // too late for it); a Job cannot be stopped, so its load starts once faults may come, and lasts what the loss needs.
    const durationSeconds = host ? loadLimits.maxDurationSeconds : lossSeconds;
    // The conntrack monitor starts before the load, so the "before" phase's own connections prove it sees every new flow;
    // it and kube-proxy's settings are read while the pods start.
    const [podsReady, proxyRead, flowsStarted] = await Promise.allSettled([
      waitForReadyPods(watch, 2, timeouts.podStart, {
        matching: (p) => p.metadata?.labels?.['podlaw.dev/app'] === service,
        description: `both ${service} pods Ready`,
      }),
      readProxySync(cluster.kube),
      watchNodePortFlows(cluster, namespace, service, durationSeconds + 120),
    ]);
    if (podsReady.status === 'rejected' || proxyRead.status === 'rejected' || flowsStarted.status === 'rejected') {
      if (flowsStarted.status === 'fulfilled' && typeof flowsStarted.value !== 'string') await flowsStarted.value.stop();
      throw [podsReady, proxyRead, flowsStarted].find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    }
    const [pods, proxy, flows] = [podsReady.value, proxyRead.value, flowsStarted.value];
    const victim = pods.find((p) => p.spec?.nodeName === lost)?.metadata?.name ?? '';
    if (victim === '' && typeof flows !== 'string') await flows.stop();
    expect(victim, `a ${service} pod on ${lost}`).not.toBe('');
    if (!host) await ctx.faults.ready();
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
          requestTimeoutMs,
          thresholds: {},
        },
        // The "before" sample that shows the client answered with no failure until the loss: 20 answers at 20/s, after the
        // 20 of k6's gate. The loss waits for it, so each second of it is a second of every node-loss test.
        steadySeconds: 1,
        // With the flows to read, each answer names the connection it came through, and through its flow the pod.
        path: typeof flows === 'string' ? '/hostname' : '/clientip',
      },
      timeline,
    );
    return new ClientDuringLoss(ctx, kind, lost, { pods, victim, proxy, notReady, flows, load, lossSeconds });
  }

  /** Marks the loss: call right before injecting (a node halt, for one, shuts the node's pods down before it returns). */
  lossStarts(): void {
    const lostAt = Date.now();
    const leftMs = this.#load.run.startedAtMs + this.#load.durationSeconds * 1000 - lostAt;
    if (leftMs < this.#lossSeconds * 1000) {
      throw new LoadError(
        `load ${this.#kind}: ${Math.round(leftMs / 1000)} s of its scenario left at the loss, which needs ${this.#lossSeconds} s ` +
          '(the wait for the smoke verdict outlasted what k6 allows)',
      );
    }
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
   * conntrack monitor, and the host's k6 (a Job's runs to its scenario's end; its watchdog kills an overstay).
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#changes.stop();
    this.#load.run.result.catch(() => undefined);
    // A test that ended before settle() leaves no k6 loading the cluster into the next test (the host's k6 stops at once).
    this.#load.run.stopEarly();
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
    const bound = propagationBound(this.#proxy);
    this.#load.phase('after endpoint removal + propagation', leftAt + bound.ms);
    // No new connection may reach the lost pod however late: the after phase runs until the load is ended (endLoad: the
    // lost node's pods evicted), before the node returns.
    const outcome = await this.#load.finish({ throughMs: await this.#released });
    const flows = this.#flows;
    // conntrack's userspace prints events late (~0.3 s measured under contention): read until the last request's time shows.
    const lastStart = outcome.result.records.at(-1)?.startMs;
    if (typeof flows !== 'string' && lastStart !== undefined) await flows.printedSince(lastStart - 1, conntrackPrintLagMs);
    const synSentSeconds = typeof flows === 'string' ? undefined : await flows.synSentTimeoutSeconds();
    await this.stop();
    return { outcome, leftAt, bound, synSentSeconds };
  }

  /**
   * Ends the load now (the lost node's pods have been evicted: the test names the moment); settle() awaits it. The stop's
   * own work (k6's last requests logged, its summary, the flows read) then overlaps the test's next steps, after the
   * evictions it must not delay.
   */
  endLoad(): void {
    this.#release?.(Date.now());
  }

  /**
   * Waits until the client has seen the loss through, ending the load now if it still runs. Its cutoff must come before the
   * node is recovered (endLoad, or this call); the wait may overlap the recovery.
   */
  async settle(): Promise<void> {
    if (this.#settled === undefined) throw new Error('client during loss: settle() before injected()');
    this.#release?.(Date.now());
    await this.#settled;
  }

  /** Asserts what the client saw, for NOD-4. */
  async judge(testInfo: TestInfo, check: LawCheck): Promise<void> {
    const lostAt = this.#lostAt;
    if (lostAt === undefined || this.#settled === undefined) throw new Error('client during loss: judge() before injected()');
    const settledClient = await this.#settled;
    const { leftAt, bound } = settledClient;
    const law = check.for('NOD-4');
    const victim = this.#victim;
    const flows = this.#flows;
    const podOf = (ip: string): string | undefined => this.#pods.find((p) => p.status?.podIP === ip)?.metadata?.name;
    const attributed = typeof flows === 'string' ? undefined : attributeAnswers(settledClient.outcome.result.records, flows.flows, podOf);
    const outcome = attributed === undefined ? settledClient.outcome : this.#load.withPods(settledClient.outcome, attributed.records);
    const records = outcome.result.records;
    // Stopped at settle(), the load kept the requests started before its cutoff (records.ts completeBefore); the later
    // ones' connections opened flows no kept answer can claim. Judged: the flows surely opened before the cutoff.
    const cutoffMs = outcome.result.stoppedEarly === undefined ? Number.POSITIVE_INFINITY : outcome.result.endedAtMs;
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
    const lateFailures = failuresAfter(records, settled);
    // Without the flows, every failure after the endpoint left counts as a failed new connection.
    let failedNewConnections: readonly { readonly atMs: number; readonly text: string }[] = lateFailures.map((r) => ({
      atMs: r.startMs,
      text: since(r.startMs),
    }));
    let reusedNote = '';
    if (typeof flows !== 'string' && attributed !== undefined) {
      await testInfo.attach('conntrack-flows.json', {
        body: JSON.stringify({ lostAtMs: lostAt, settledAtMs: settled, victim, flows: flows.flows }),
        contentType: 'application/json',
      });
      // The monitor was alive for the whole load: every answer's own connection is among its flows.
      law.fact(
        'client: answers whose new connection the conntrack monitor showed',
        `all ${attributed.answers}`,
        `${attributed.answers - attributed.answersWithoutFlow} of ${attributed.answers}` +
          (attributed.replaced > 0
            ? ` (and ${attributed.replaced} entr${attributed.replaced === 1 ? 'y' : 'ies'} conntrack replaced for the same connection)`
            : ''),
        'netexec /clientip answers (the address the endpoint saw) joined with conntrack NEW flows at the control-plane node',
        attributed.answersWithoutFlow === 0 && attributed.answers > 0,
      );
      const victimIp = this.#pods.find((p) => p.metadata?.name === victim)?.status?.podIP ?? '';
      // A flow counts as after a moment when the answers printed around it do not place its opening before it (joinAnswers):
      // a boundary case counts against the cluster, which has had the propagation slack to stop sending there.
      const newToLost = attributed.flows.filter((t) => t.flow.endpoint === victimIp && t.opened.notAfterMs >= settled);
      law.fact(
        `client: new connections sent to the lost pod (${victimIp}) after ${removal}`,
        '0',
        String(newToLost.length),
        `conntrack NEW flows at the control-plane node; ${this.#proxy.source}`,
        newToLost.length === 0,
      );
      // A flow whose opening is known only to within the monitor's print lag past the cutoff is left out with the cut
      // ones; a failed request it carried then shows below among those without a new connection of their own.
      const unanswered = attributed.unanswered.filter((t) => t.opened.notAfterMs >= settled && t.opened.notAfterMs < cutoffMs);
      failedNewConnections = unanswered.map((t) => ({ atMs: t.opened.notAfterMs, text: describeUnanswered(t, lostAt, podOf) }));
      // The other late failures opened no flow: the client reused the source port of a connection that had failed to the lost
      // pod, and its SYN followed the SYN_SENT entry conntrack still held (kube-proxy flushes conntrack for UDP only; the entry
      // lives nf_conntrack_tcp_timeout_syn_sent after its last SYN, and each reuse renews it). Not kube-proxy's doing: reported.
      const reused = Math.max(0, lateFailures.length - unanswered.length);
      const synSent = settledClient.synSentSeconds;
      if (reused > 0) {
        const codes = [...new Set(lateFailures.map((r) => r.errorCode))].join('/');
        reusedNote =
          ` (besides: ${reused} failed with no new connection of their own, k6 error ${codes}, the last ${since(lateFailures.at(-1)?.startMs ?? 0)} ` +
          `after the loss — sent on a reused tuple along conntrack's SYN_SENT entry to the lost pod, nf_conntrack_tcp_timeout_syn_sent ${synSent ?? '?'} s)`;
      }
    }
    law.fact(
      'client: failed requests on new connections once the endpoint left service (+ propagation)',
      '0',
      (failedNewConnections.length === 0 ? '0' : `${failedNewConnections.length}: ${failedNewConnections.map((f) => f.text).join('; ')}`) +
        reusedNote,
      typeof flows === 'string'
        ? `${sources}; conntrack not read (${flows}): every failure after the removal counts`
        : `${sources}; each answer joined with its conntrack flow`,
      failedNewConnections.length === 0,
    );
    if (servedDuring(this.#kind) === 'unreachable') {
      const lastBeforeSettled = [...failed].reverse().find((r) => r.startMs < settled)?.startMs;
      const lastOnNewConnection = Math.max(lastBeforeSettled ?? 0, ...failedNewConnections.map((f) => f.atMs));
      law.fact(
        'client: error window, loss → last failed new connection',
        `ends ≤ ${removal}`,
        first === undefined || lastOnNewConnection === 0
          ? 'no failed request'
          : `${failed.length} failed, ${since(first)} → ${since(lastOnNewConnection)} after the loss`,
        sources,
        failedNewConnections.length === 0,
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
