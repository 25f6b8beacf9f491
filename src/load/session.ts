/**
 * One test's load around its fault: start k6 (host or Job), wait until the target
 * answers steadily (the "before" phase), run the fault, wait for a steady "after"
 * phase, end k6, and cut the records into phases by the marks the test recorded.
 * Every wait is bounded by the scenario's own duration.
 *
 * A scenario's duration is set before the test knows how long its fault will take, so it
 * is generous; once the "after" phase is measured, the host's k6 is stopped instead of
 * left to run out the rest (each load test used to spend 20–35 s waiting for it). A test
 * whose claims cover its whole fault measures the after phase through a moment it names
 * (`finish({ throughMs })`: the client under node loss, until the node is about to return).
 */
import { writeFileSync } from 'node:fs';
import type { TestInfo } from '@playwright/test';
import type { ClusterContext } from '../cluster/context.ts';
import type { LawId } from '../laws/catalog/index.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { firstAnswerMs, phasesFrom, phaseStats, type PhaseStats, type Propagation } from './analysis.ts';
import { everyRequestBeforeLogged, k6LineDelayMs } from './records.ts';
import { LoadError } from './errors.ts';
import { startHostLoad } from './host-k6.ts';
import { startJobLoad } from './job-k6.ts';
import { loadAttachmentName, loadReport, recordPhases, sloObservations, type FaultMark } from './report.ts';
import type { LoadResult, LoadRun } from './run.ts';
import type { RequestRecord } from './records.ts';
import type { LoadScenario } from './scenario.ts';
import { placementFor, serviceUrl, type Placement } from './target.ts';

export interface LoadPlan {
  readonly law: LawId;
  readonly service: string;
  readonly scenario: Omit<LoadScenario, 'url'>;
  /** The netexec path each request asks: /hostname (the answering pod's name) unless the plan reads its answers itself. */
  readonly path?: '/hostname' | '/clientip';
  /** Seconds of steady answers before the fault, and after it. */
  readonly steadySeconds: number;
}

export interface LoadOutcome {
  readonly result: LoadResult;
  readonly phases: readonly PhaseStats[];
  readonly marks: readonly FaultMark[];
}

export class LoadSession {
  readonly run: LoadRun;
  readonly placement: Placement;
  readonly marks: FaultMark[] = [];
  readonly #plan: LoadPlan;
  readonly #timeline: Timeline;
  readonly #phaseMarks: { name: string; atMs: number }[] = [];

  private constructor(run: LoadRun, placement: Placement, plan: LoadPlan, timeline: Timeline) {
    this.run = run;
    this.placement = placement;
    this.#plan = plan;
    this.#timeline = timeline;
  }

  static async start(cluster: ClusterContext, namespace: string, plan: LoadPlan, timeline: Timeline): Promise<LoadSession> {
    const placement = placementFor(cluster.settings.context);
    const url = await serviceUrl(cluster.kube, namespace, plan.service, placement, plan.path);
    const scenario: LoadScenario = { ...plan.scenario, url };
    const run = placement === 'host' ? startHostLoad(scenario) : await startJobLoad(cluster.kube, namespace, scenario);
    timeline.action(
      'load-start',
      `k6 (${placement}) ${scenario.ratePerSecond}/s for ${scenario.durationSeconds} s → ${url}`,
      new Date(run.startedAtMs),
    );
    const session = new LoadSession(run, placement, plan, timeline);
    // The target must answer steadily before any fault: `steadySeconds` of answers at the rate.
    await run.waitForAnswers(plan.steadySeconds * scenario.ratePerSecond, (plan.steadySeconds + 30) * 1000);
    // Until the first answer the node's kube-proxy may still be programming the new
    // Service (refused connections): that is "warm-up", not the fault's doing.
    session.phase('before', firstAnswerMs(run.records) ?? run.startedAtMs);
    return session;
  }

  /** Marks a fault event on the load's timeline (and the test's). */
  mark(what: string, at = new Date()): number {
    this.marks.push({ atMs: at.getTime(), what });
    this.#timeline.action('load-mark', what, at);
    return at.getTime();
  }

  /** Starts a phase ("during", "after") at a moment. */
  phase(name: string, atMs: number): void {
    this.#phaseMarks.push({ name, atMs });
    this.mark(`phase ${name}`, new Date(atMs));
  }

  /** When the "before" phase began: the first answered request. */
  /** The scenario's length: the load ends then at the latest. */
  get durationSeconds(): number {
    return this.#plan.scenario.durationSeconds;
  }

  get steadySinceMs(): number {
    return this.#phaseMarks.find((m) => m.name === 'before')?.atMs ?? this.run.startedAtMs;
  }

  /**
   * Waits for `steadySeconds` of requests after the last phase mark (or until `throughMs`, when later), then ends k6:
   * stopped once every request of the after phase has its record, or at its scenario's end (a placement that cannot
   * stop). A `throughMs` past what the scenario leaves is cut to it: the load ended before.
   */
  async finish(options: { readonly throughMs?: number } = {}): Promise<LoadOutcome> {
    const last = this.#phaseMarks[this.#phaseMarks.length - 1]?.atMs ?? Date.now();
    const scenarioEndMs = this.run.startedAtMs + this.#plan.scenario.durationSeconds * 1000;
    const steadyMs = this.#plan.steadySeconds * 1000;
    const until = Math.max(last + steadyMs, Math.min(options.throughMs ?? 0, scenarioEndMs - steadyMs));
    const remainingMs = scenarioEndMs - Date.now();
    if (remainingMs < this.#plan.steadySeconds * 1000) {
      throw new LoadError(
        `load ${this.#plan.scenario.name}: only ${Math.round(remainingMs / 1000)} s of load left for a ${this.#plan.steadySeconds} s ` +
          'after phase; the fault took longer than the scenario allows',
      );
    }
    await this.run.waitForRecords(
      (rs) => rs.some((r) => r.startMs >= until),
      `${this.#plan.steadySeconds} s of requests after the fault`,
      remainingMs + 10_000,
    );
    await this.#stopOnceMeasured(until);
    const result = await this.run.result;
    this.#timeline.action(
      'load-end',
      result.stoppedEarly === undefined
        ? `k6 exit ${result.exitCode}: ${result.records.length} requests`
        : `k6 stopped by podlaw ${((result.stoppedEarly.atMs - result.startedAtMs) / 1000).toFixed(1)} s into its ` +
            `${this.#plan.scenario.durationSeconds} s scenario, once every request of the after phase had ended ` +
            `(exit ${result.exitCode}): ${result.records.length} requests kept, ${result.stoppedEarly.cutRecords} later ones left out`,
    );
    return this.#outcome(result);
  }

  /**
   * Stops k6 once every request started before the after phase's end has its record (a later start shows it),
   * unless the placement cannot stop early, or the scenario ends first anyway.
   */
  async #stopOnceMeasured(untilMs: number): Promise<void> {
    const { scenario } = this.#plan;
    const scenarioEndMs = this.run.startedAtMs + scenario.durationSeconds * 1000;
    const loggedByMs = untilMs + scenario.requestTimeoutMs + k6LineDelayMs;
    // The request that shows it may itself take a timeout: a stop that could meet k6's own end is not sent.
    if (!this.run.canStopEarly || loggedByMs + scenario.requestTimeoutMs >= scenarioEndMs) return;
    try {
      await this.run.waitForRecords(
        (rs) => everyRequestBeforeLogged(rs, untilMs, scenario.requestTimeoutMs),
        `every request of the after phase ended (a request started ${scenario.requestTimeoutMs} ms + ${k6LineDelayMs} ms after it)`,
        scenarioEndMs - Date.now() + 10_000,
      );
    } catch (error) {
      // k6 reached its scenario's end first: nothing left to stop (a k6 that failed fails `result`).
      if (!this.run.canStopEarly) return;
      throw error;
    }
    this.run.stopEarly();
  }

  /** The outcome with each record's answering pod named by the caller (a plan whose answers are not pod names). */
  withPods(outcome: LoadOutcome, records: readonly RequestRecord[]): LoadOutcome {
    return this.#outcome({ ...outcome.result, records });
  }

  #outcome(result: LoadResult): LoadOutcome {
    const phases = phasesFrom(result.startedAtMs, this.#phaseMarks, result.endedAtMs, 'warm-up').map((p) => phaseStats(result.records, p));
    return { result, phases, marks: this.marks };
  }

  /** Observations (phases, dropped iterations, SLO verdicts) and the JSON attachment. */
  async report(testInfo: TestInfo, outcome: LoadOutcome, propagations: readonly Propagation[]): Promise<void> {
    recordPhases(this.#timeline, this.#plan.law, outcome.result, outcome.phases);
    for (const o of sloObservations(this.#plan.law, outcome.result)) this.#timeline.record(o);
    // Written to the test's output directory too, so the series can be charted without the HTML report.
    const path = testInfo.outputPath(loadAttachmentName);
    writeFileSync(path, JSON.stringify(loadReport(outcome.result, outcome.phases, propagations, outcome.marks)));
    await testInfo.attach(loadAttachmentName, { path, contentType: 'application/json' });
  }
}
