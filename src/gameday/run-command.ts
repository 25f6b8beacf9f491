/**
 * `podlaw gameday run FILE`: the scenario's steps against the cluster, with a live view.
 * The run owns a podlaw namespace (owner Lease renewed while it lives, the faults it holds
 * claimed on it), so a run killed outright is collected by the next run's start or
 * `podlaw clean`. Ctrl-C, `podlaw gameday abort` (an annotation on that namespace) or a
 * failed guard stops the steps and recovers every fault at once, saying what it recovered.
 * Then the report: predicted vs observed (report.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogUpdate } from 'log-update';
import type { ClusterContext } from '../cluster/context.ts';
import { PodlawError, exitCodes } from '../errors.ts';
import { FaultSession } from '../faults/active-faults.ts';
import type { Fault } from '../faults/fault.ts';
import { parseManifests, renderTemplate } from '../kube/manifest.ts';
import { namedTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { NamespaceOwner } from '../lifecycle/namespace-owner.ts';
import { startHostLoad } from '../load/host-k6.ts';
import { startJobLoad } from '../load/job-k6.ts';
import { isFailure } from '../load/records.ts';
import type { LoadResult, LoadRun } from '../load/run.ts';
import { placementFor, serviceUrl } from '../load/target.ts';
import { fixturesDir, reportsDir } from '../paths.ts';
import { harnessSettings } from '../run-settings.ts';
import { namespaceName, randomSuffix } from '../run-naming.ts';
import { destructiveFaultRefusal } from '../safety.ts';
import { abortAnnotation, gameDayLabel } from './abort.ts';
import { connectGameDay } from './cluster.ts';
import { destructiveKinds, faultFor, gameDayFaultKinds } from './faults.ts';
import { observeEvent, readSnapshot, readyEndpoints, type FaultTimes, type Snapshot } from './observe.ts';
import { loadScenario } from './plan-command.ts';
import { predictGameDay, type GameDayPlan } from './predict.ts';
import { writeReports } from '../report/write-reports.ts';
import { gameDayRunData } from './run-data.ts';
import { anchoredToRecovery, eventResult, writeGameDayReport, type FaultRecord, type GameDayReport, type LoadFigures } from './report.ts';
import { faultSteps, type FaultStep, type LoadStep, type Scenario, type Step, type WaitStep } from './scenario.ts';
import { frame } from './view.ts';

/** The fixture's pods use imagePullPolicy Never (images preloaded): start is scheduling + container start + readiness. */
const targetReadyTimeout = namedTimeout('target pods Ready (pod start, images preloaded)', 120_000);
/** A recovered node's kubelet posts Ready within nodeStatusUpdateFrequency; the run waits this long before saying it is not. */
const nodeBackTimeout = namedTimeout('faulted nodes Ready again after recovery (kubelet restart + status update)', 90_000);
const sampleMs = 1_000;

class Aborted extends Error {}

interface FaultEntry {
  injectedAtMs?: number;
  recoveredAtMs?: number;
  fault?: Fault;
  recoveredBy?: string;
}

export async function runCommand(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  const scenario = loadScenario(file);
  const cluster = await connectGameDay(harnessSettings(env));
  const plan = predictGameDay(scenario, cluster.timing, gameDayFaultKinds);
  const unavailable = plan.faults.find((f) => f.unavailable !== undefined);
  if (unavailable?.unavailable !== undefined) throw new PodlawError('usage', unavailable.unavailable, 'see podlaw gameday plan');
  if (faultSteps(scenario.steps).some((s) => destructiveKinds.includes(s.faultKind))) {
    const refusal = await destructiveFaultRefusal(cluster.settings.context, env);
    if (refusal !== undefined) throw new PodlawError('destructiveOptIn', refusal, 'pass --allow-destructive to opt in');
  }
  return new GameDayRun(scenario, plan, cluster).execute();
}

class GameDayRun {
  readonly #scenario: Scenario;
  readonly #plan: GameDayPlan;
  readonly #cluster: ClusterContext;
  readonly #startedAtMs = Date.now();
  readonly #snapshots: Snapshot[] = [];
  readonly #messages: string[] = [];
  readonly #faultTimes = new Map<string, FaultEntry>();
  readonly #loads: LoadRun[] = [];
  readonly #nodes: string[];
  readonly #log = createLogUpdate(process.stdout);
  #step = 'setting up';
  #abortReason: string | undefined;
  #abortRecovery: Promise<void> = Promise.resolve();
  #abortWaiters: (() => void)[] = [];
  #owner: NamespaceOwner | undefined;
  #session: FaultSession | undefined;
  #namespace = '';
  #workloadNamespace = '';

  constructor(scenario: Scenario, plan: GameDayPlan, cluster: ClusterContext) {
    this.#scenario = scenario;
    this.#plan = plan;
    this.#cluster = cluster;
    const faultNodes = faultSteps(scenario.steps).flatMap((s) => (s.target.node === undefined ? [] : [s.target.node]));
    this.#nodes = [...new Set([...scenario.nodes, ...faultNodes])];
  }

  async execute(): Promise<number> {
    const kube = this.#cluster.kube;
    // Ctrl-C, and a closed terminal or a kill: each recovers every fault before the process goes.
    // A closed terminal (SIGHUP) also fails every later write to it: those errors must not end the run first.
    const onSignal = (signal: NodeJS.Signals) => (): void => this.#abort(signal === 'SIGINT' ? 'Ctrl-C' : signal);
    const handlers = (['SIGINT', 'SIGHUP', 'SIGTERM'] as const).map((signal) => [signal, onSignal(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const ignoreClosedTerminal = (): void => undefined;
    process.stdout.on('error', ignoreClosedTerminal);
    const name = namespaceName(this.#cluster.settings.runId, `gameday-${this.#scenario.name}`, randomSuffix());
    this.#owner = await NamespaceOwner.create(kube, {
      name,
      runId: this.#cluster.settings.runId,
      labels: { [gameDayLabel]: this.#scenario.name },
    });
    this.#namespace = name;
    this.#workloadNamespace = this.#scenario.target.namespace ?? name;
    this.#session = new FaultSession(
      {
        faultInjected: (fault, at) => {
          const t = this.#timesOf(fault);
          if (t !== undefined) t.injectedAtMs = at.getTime();
        },
        faultRecovered: (fault, at) => {
          const t = this.#timesOf(fault);
          if (t !== undefined && t.recoveredAtMs === undefined) t.recoveredAtMs = at.getTime();
        },
      },
      this.#owner,
    );
    const ticker = this.#tick();
    let outcome = 'completed';
    let results: LoadResult[] = [];
    try {
      await this.#applyFixture();
      this.#step = 'waiting for the target to be Ready';
      await this.#until((s) => this.#targetReady(s), targetReadyTimeout);
      this.#guardsArmed = true;
      await this.#runSteps(this.#scenario.steps);
      this.#step = 'faults held to the end: recovering';
      await this.#recoverAll('end of the scenario');
      this.#step = 'waiting for the load to finish';
      results = await Promise.race([Promise.all(this.#loads.map((l) => l.result)), this.#aborted()]);
    } catch (error) {
      outcome =
        this.#abortReason !== undefined
          ? `aborted: ${this.#abortReason}`
          : `failed: ${error instanceof Error ? error.message : String(error)}`;
      this.#messages.push(outcome);
    } finally {
      await this.#abortRecovery;
      await this.#recoverAll(outcome === 'completed' ? 'end of the scenario' : outcome);
      await this.#sweep();
      if (outcome !== 'completed') {
        this.#messages.push(
          this.#recovered.length === 0
            ? 'recovered on abort: nothing was active'
            : `recovered on abort: ${[...new Set(this.#recovered)].join('; ')}`,
        );
      }
      this.#step = 'waiting for faulted nodes to be Ready again';
      await this.#until((s) => s.nodes.every((n) => n.ready === 'True'), nodeBackTimeout, true).catch((e: unknown) =>
        this.#messages.push(`${e instanceof Error ? e.message : String(e)}`),
      );
      this.#step = 'done';
      this.#stopTicking = true;
      await ticker;
      this.#render();
      this.#log.done();
      for (const [signal, handler] of handlers) process.off(signal, handler);
      await this.#owner.close();
    }
    const report = this.#report(outcome, results);
    if (outcome !== 'completed')
      console.log(`\n${outcome}; recovered: ${[...new Set(this.#recovered)].join('; ') || 'nothing was active'}`);
    const dir = writeGameDayReport(reportsDir, report);
    // The same laws.json, laws.md, junit.xml and HTML summary as `podlaw run`, so two game days compare.
    writeReports(gameDayRunData(report), dir);
    console.log(`\nnamespace ${name} deleted; report: ${join(dir, 'gameday.md')}, gameday.json and ${join(dir, 'index.html')}`);
    for (const e of report.events) {
      const observed = e.observedMs === undefined ? '—' : `t+${(e.observedMs / 1000).toFixed(1)} s`;
      console.log(`  ${e.what.padEnd(55)} predicted ${e.predicted.window.padEnd(24)} observed ${observed.padEnd(10)} ${e.verdict}`);
    }
    if (outcome !== 'completed') return exitCodes.interrupted;
    const failed = report.events.some((e) => e.verdict === 'outside the window' || e.verdict === 'not observed');
    const slo = report.load?.thresholds.some((t) => !t.ok) ?? false;
    return failed || slo ? exitCodes.lawsFailed : 0;
  }

  #stopTicking = false;
  /** Set once the target was Ready. */
  #guardsArmed = false;

  async #tick(): Promise<void> {
    const kube = this.#cluster.kube;
    while (!this.#stopTicking) {
      const next = Date.now() + sampleMs;
      try {
        const snapshot = await readSnapshot(kube, this.#workloadNamespace, this.#scenario.target.service, this.#nodes);
        this.#snapshots.push(snapshot);
        const ns = await kube.core.readNamespace({ name: this.#namespace });
        const asked = ns.metadata?.annotations?.[abortAnnotation];
        if (asked !== undefined) this.#abort(`podlaw gameday abort (${asked})`);
        this.#checkGuards(snapshot);
      } catch (error) {
        this.#messages.push(`sample failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.#render();
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
  }

  /** Guards hold once the target was Ready: a guard during setup would abort before anything started. */
  #checkGuards(s: Snapshot): void {
    if (!this.#guardsArmed || this.#abortReason !== undefined) return;
    for (const g of this.#scenario.guards) {
      const ready = g.service === this.#scenario.target.service ? readyEndpoints(s) : undefined;
      if (ready !== undefined && ready < g.readyEndpointsBelow)
        this.#abort(`guard: ready endpoints of ${g.service} ${ready} < ${g.readyEndpointsBelow}`);
    }
  }

  #render(): void {
    const now = Date.now();
    const load = this.#loads[0];
    const recent = load?.records.filter((r) => r.startMs >= now - 7_000 && r.startMs < now - 2_000) ?? [];
    this.#log(
      frame({
        scenario: this.#scenario.name,
        startedAtMs: this.#startedAtMs,
        nowMs: now,
        step: this.#step,
        snapshot: this.#snapshots.at(-1),
        load:
          load === undefined
            ? undefined
            : { requests: load.records.length, recentFailed: recent.filter(isFailure).length, recentTotal: recent.length },
        events: this.#eventsWithObservations(),
        messages: this.#messages,
      }),
    );
  }

  #eventsWithObservations(): {
    event: GameDayPlan['faults'][number]['events'][number];
    injectedAtMs: number | undefined;
    observed: ReturnType<typeof observeEvent>;
  }[] {
    return this.#plan.faults.flatMap((f) => {
      const t = this.#faultTimes.get(f.step.at);
      const times: FaultTimes | undefined =
        t?.injectedAtMs === undefined ? undefined : { step: f.step.at, injectedAtMs: t.injectedAtMs, recoveredAtMs: t.recoveredAtMs };
      const held = times?.recoveredAtMs === undefined ? undefined : times.recoveredAtMs - times.injectedAtMs;
      return f.events
        .map((e) => anchoredToRecovery(e, held))
        .map((event) => ({
          event,
          injectedAtMs: times?.injectedAtMs,
          observed: times === undefined ? undefined : observeEvent(event, times, this.#snapshots),
        }));
    });
  }

  #abort(reason: string): void {
    if (this.#abortReason !== undefined) return;
    this.#abortReason = reason;
    this.#messages.push(`ABORT: ${reason} — recovering every fault now`);
    // Recover at once, not when the current step notices; the end of the run waits for it.
    this.#abortRecovery = this.#recoverAll(reason);
    for (const w of this.#abortWaiters) w();
    this.#abortWaiters = [];
  }

  #aborted(): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (this.#abortReason !== undefined) reject(new Aborted(this.#abortReason));
      else this.#abortWaiters.push(() => reject(new Aborted(this.#abortReason ?? 'aborted')));
    });
  }

  /** Holds for a scenario's duration, or until an abort. */
  #hold(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), this.#aborted()]).finally(() => clearTimeout(timer));
  }

  /** Until the latest snapshot satisfies the predicate, bounded by a named timeout (and an abort unless `evenIfAborted`). */
  async #until(predicate: (s: Snapshot) => boolean, timeout: NamedTimeout, evenIfAborted = false): Promise<void> {
    const since = Date.now();
    const deadline = since + timeout.ms;
    for (;;) {
      const last = this.#snapshots.at(-1);
      if (last !== undefined && last.atMs >= since && predicate(last)) return;
      if (Date.now() > deadline) throw new Error(`${this.#step}: not reached within ${timeout.name} (${timeout.ms / 1000} s)`);
      if (!evenIfAborted && this.#abortReason !== undefined) throw new Aborted(this.#abortReason);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  #targetReady(s: Snapshot): boolean {
    const pods = s.pods.filter((p) => p.deletionMs === undefined);
    return pods.length > 0 && pods.every((p) => p.ready) && readyEndpoints(s) >= pods.length;
  }

  async #applyFixture(): Promise<void> {
    const fixture = this.#scenario.target.fixture;
    if (fixture === undefined) return;
    this.#step = `applying fixture ${fixture}`;
    const text = renderTemplate(
      readFileSync(join(fixturesDir, fixture), 'utf8'),
      { namespace: this.#namespace, ...this.#scenario.target.params },
      fixture,
    );
    for (const object of parseManifests(text, fixture)) {
      await this.#cluster.kube.objects.create({ ...object, metadata: { ...object.metadata, namespace: this.#namespace } });
    }
  }

  async #runSteps(steps: readonly Step[]): Promise<void> {
    for (const step of steps) {
      if (this.#abortReason !== undefined) throw new Aborted(this.#abortReason);
      await this.#runStep(step);
    }
  }

  async #runStep(step: Step): Promise<void> {
    if (step.kind === 'parallel') await Promise.all(step.steps.map((s) => this.#runStep(s)));
    else if (step.kind === 'load') await this.#startLoad(step);
    else if (step.kind === 'wait') await this.#wait(step);
    else await this.#fault(step);
  }

  async #startLoad(step: LoadStep): Promise<void> {
    this.#step = `${step.at}: starting k6 ${step.ratePerSecond}/s for ${step.durationSeconds} s`;
    const kube = this.#cluster.kube;
    const placement = placementFor(this.#cluster.settings.context);
    const url = await serviceUrl(kube, this.#workloadNamespace, this.#scenario.target.service, placement);
    const scenario = {
      name: step.name,
      url,
      ratePerSecond: step.ratePerSecond,
      durationSeconds: step.durationSeconds,
      requestTimeoutMs: step.requestTimeoutMs,
      thresholds: step.thresholds,
    };
    const run = placement === 'host' ? startHostLoad(scenario) : await startJobLoad(kube, this.#namespace, scenario);
    this.#loads.push(run);
    this.#step = `${step.at}: k6 started, waiting for ${step.steadySeconds} s of steady answers`;
    await Promise.race([run.waitForAnswers(step.steadySeconds * step.ratePerSecond, (step.steadySeconds + 30) * 1000), this.#aborted()]);
  }

  async #wait(step: WaitStep): Promise<void> {
    this.#step = `${step.at}: waiting for ${step.condition} ${step.node ?? step.atLeast ?? ''} (≤ ${step.timeoutSeconds} s)`;
    const timeout = namedTimeout(`the scenario's ${step.at}.timeout`, step.timeoutSeconds * 1000);
    const node = (s: Snapshot): string | undefined => s.nodes.find((n) => n.name === step.node)?.ready;
    if (step.condition === 'node-ready') await this.#until((s) => node(s) === 'True', timeout);
    else if (step.condition === 'node-unknown') await this.#until((s) => node(s) === 'Unknown', timeout);
    else await this.#until((s) => readyEndpoints(s) >= (step.atLeast ?? 0), timeout);
  }

  async #fault(step: FaultStep): Promise<void> {
    const fault = faultFor(step, this.#cluster.kube, this.#workloadNamespace);
    this.#faultTimes.set(step.at, { fault });
    this.#step = `${step.at}: injecting ${fault.description}`;
    await this.#session!.inject(fault);
    if (step.durationSeconds === undefined) {
      this.#step = `${step.at}: ${fault.description} (held to the end)`;
      return;
    }
    this.#step = `${step.at}: ${fault.description}, held ${step.durationSeconds} s`;
    await this.#hold(step.durationSeconds * 1000);
    this.#step = `${step.at}: recovering ${fault.description}`;
    await this.#session!.recover(fault);
    const t = this.#faultTimes.get(step.at);
    if (t !== undefined) t.recoveredBy = `its duration (${step.durationSeconds} s)`;
  }

  readonly #recovered: string[] = [];
  /** Faults a recovery has started on: an abort and the end of the run never recover the same one twice at once. */
  readonly #recovering = new Set<Fault>();

  /**
   * Recovers every active fault at once (in parallel: an abort must not wait for one before
   * the next), each line on the view as it is done. Safe to call while another call runs:
   * recover() is idempotent.
   */
  async #recoverAll(why: string): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    const active = session.active.filter((f) => !this.#recovering.has(f));
    for (const f of active) this.#recovering.add(f);
    await Promise.all(
      active.map(async (f) => {
        const entry = this.#timesOf(f);
        if (entry !== undefined && entry.recoveredBy === undefined) entry.recoveredBy = why;
        try {
          await session.recover(f);
          this.#recovered.push(f.description);
          this.#messages.push(`recovered (${why}): ${f.description}`);
        } catch (error) {
          this.#messages.push(`FAILED to recover ${f.description}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }

  /** Last sweep: recover() once more on every fault ever injected (idempotent), for one whose inject raced an abort. */
  async #sweep(): Promise<void> {
    for (const entry of this.#faultTimes.values()) {
      try {
        await entry.fault?.recover();
      } catch (error) {
        this.#messages.push(
          `FAILED final recovery of ${entry.fault?.description ?? '?'}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  #timesOf(fault: Fault): FaultEntry | undefined {
    return [...this.#faultTimes.values()].find((t) => t.fault === fault);
  }

  #report(outcome: string, results: readonly LoadResult[]): GameDayReport {
    const aborted = outcome !== 'completed';
    const events = this.#eventsWithObservations().map((e) => eventResult(e.event, e.injectedAtMs, e.observed, aborted));
    const faults: FaultRecord[] = faultSteps(this.#scenario.steps).map((step) => {
      const t = this.#faultTimes.get(step.at);
      const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
      return {
        step: step.at,
        description: t?.fault?.description ?? `${step.faultKind} (not injected)`,
        injectedAt: iso(t?.injectedAtMs),
        recoveredAt: iso(t?.recoveredAtMs),
        recoveredBy: t?.recoveredBy,
      };
    });
    const firstFault = Math.min(...[...this.#faultTimes.values()].map((t) => t.injectedAtMs ?? Number.POSITIVE_INFINITY));
    const load = this.#loads[0];
    let figures: LoadFigures | undefined;
    if (load !== undefined) {
      const records = [...load.records].sort((a, b) => a.startMs - b.startMs);
      const failed = records.filter(isFailure);
      const first = failed.find((r) => r.startMs >= firstFault);
      const last = failed.at(-1);
      figures = {
        requests: records.length,
        failed: failed.length,
        firstFailureMs: first === undefined || !Number.isFinite(firstFault) ? undefined : first.startMs - firstFault,
        lastFailureMs: last === undefined || !Number.isFinite(firstFault) ? undefined : last.startMs - firstFault,
        thresholds: (results[0]?.thresholds ?? []).map((t) => ({ threshold: `${t.metric} ${t.expression}`, ok: t.ok })),
      };
    }
    return {
      scenario: this.#scenario.name,
      runId: this.#cluster.settings.runId,
      context: this.#cluster.settings.context,
      kubernetes: this.#cluster.version.gitVersion,
      startedAt: new Date(this.#startedAtMs).toISOString(),
      endedAt: new Date().toISOString(),
      outcome,
      namespace: this.#namespace,
      faults,
      events,
      notReached: this.#plan.faults.flatMap((f) => f.notReached),
      load: figures,
      laws: this.#scenario.laws,
    };
  }
}
