/**
 * A running load: the request records as they arrive, a bounded wait on them, and the
 * end of the run. Both placements (host process, in-cluster Job) feed one of these.
 */
import { LoadError } from './errors.ts';
import {
  completeBefore,
  isFailure,
  k6ExitCodes,
  startedBefore,
  thresholdVerdicts,
  type K6Summary,
  type RequestRecord,
  type ThresholdVerdict,
} from './records.ts';
import type { LoadScenario } from './scenario.ts';

export interface LoadResult {
  readonly scenario: LoadScenario;
  readonly placement: 'host' | 'job';
  readonly records: readonly RequestRecord[];
  readonly summary: K6Summary;
  readonly thresholds: readonly ThresholdVerdict[];
  /** 0, or 99 when a threshold was crossed; 105 when podlaw stopped k6 early. */
  readonly exitCode: number;
  readonly startedAtMs: number;
  /** The end of the load: when k6 exited; when stopped early, the last start whose record is sure to be in. */
  readonly endedAtMs: number;
  /** Set when podlaw stopped k6 before its scenario's end: when, and how many records of later starts were left out. */
  readonly stoppedEarly?: { readonly atMs: number; readonly cutRecords: number };
}

interface Waiter {
  readonly predicate: (records: readonly RequestRecord[]) => boolean;
  readonly resolve: () => void;
}

export class LoadRun {
  readonly scenario: LoadScenario;
  readonly placement: 'host' | 'job';
  readonly records: RequestRecord[] = [];
  readonly startedAtMs = Date.now();
  #waiters: Waiter[] = [];
  #ended: LoadError | 'ended' | undefined;
  #endWaiters: (() => void)[] = [];
  #interrupt: (() => void) | undefined;
  #stopRequestedAtMs: number | undefined;
  result: Promise<LoadResult>;

  constructor(scenario: LoadScenario, placement: 'host' | 'job', result: (run: LoadRun) => Promise<LoadResult>) {
    this.scenario = scenario;
    this.placement = placement;
    this.result = result(this);
    this.result.then(
      () => this.#end('ended'),
      (error: unknown) => this.#end(error instanceof LoadError ? error : new LoadError(String(error))),
    );
  }

  /** A placement that can end k6 before its scenario's end says how (the host process: SIGINT). */
  stoppableBy(interrupt: () => void): void {
    this.#interrupt = interrupt;
  }

  /** Whether `stopEarly` can end this run: its placement can, and k6 has not ended. */
  get canStopEarly(): boolean {
    return this.#interrupt !== undefined && this.#ended === undefined;
  }

  /** When podlaw asked k6 to stop early; undefined when it runs (or ran) to its scenario's end. */
  get stopRequestedAtMs(): number | undefined {
    return this.#stopRequestedAtMs;
  }

  /** Whether k6's exit shows podlaw's stop reached it (105 after a stop request); a SIGINT as it ended by itself did not. */
  stopReached(exitCode: number | undefined): boolean {
    return this.#stopRequestedAtMs !== undefined && exitCode === k6ExitCodes.externalAbort;
  }

  /**
   * Asks k6 to stop now (its graceful stop: thresholds judged, summary written, exit 105); `result` then holds
   * the requests started before `completeBefore(now)`. False, and nothing done, when the run cannot stop early.
   */
  stopEarly(): boolean {
    if (!this.canStopEarly) return false;
    this.#stopRequestedAtMs = Date.now();
    this.#interrupt?.();
    return true;
  }

  add(record: RequestRecord): void {
    this.records.push(record);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.predicate(this.records)) return true;
      w.resolve();
      return false;
    });
  }

  #end(how: LoadError | 'ended'): void {
    this.#ended = how;
    for (const w of this.#endWaiters) w();
    this.#endWaiters = [];
  }

  /**
   * Waits until the records satisfy a predicate, bounded: a target that never answers,
   * or a k6 that died, ends the wait with a one-line error.
   */
  waitForRecords(predicate: (records: readonly RequestRecord[]) => boolean, description: string, timeoutMs: number): Promise<void> {
    if (predicate(this.records)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(
          new LoadError(`load ${this.scenario.name} (${this.placement}) → ${this.scenario.url}: ${why} while waiting for ${description}`),
        );
      };
      const timer = setTimeout(() => fail(this.#silenceReason(timeoutMs)), timeoutMs);
      const waiter: Waiter = { predicate, resolve: () => (clearTimeout(timer), resolve()) };
      this.#waiters.push(waiter);
      this.#endWaiters.push(() => {
        if (this.#waiters.includes(waiter)) fail(this.#ended instanceof LoadError ? this.#ended.message : 'k6 ended');
      });
    });
  }

  /** Bounded wait for the first answered request: the target answers at all. */
  waitForAnswers(count: number, timeoutMs: number): Promise<void> {
    return this.waitForRecords((rs) => rs.filter((r) => !isFailure(r)).length >= count, `${count} answered requests`, timeoutMs);
  }

  #silenceReason(timeoutMs: number): string {
    const failed = this.records.filter(isFailure);
    if (this.records.length === 0) return `k6 sent no request within ${timeoutMs / 1000} s`;
    if (failed.length === this.records.length) {
      const last = failed[failed.length - 1];
      const lastError = `last status ${last?.status}, k6 error ${last?.errorCode}`;
      return `the target never answered (${failed.length} requests in ${timeoutMs / 1000} s, all failed; ${lastError})`;
    }
    return `not reached in ${timeoutMs / 1000} s (${this.records.length} requests, ${failed.length} failed)`;
  }
}

export function resultOf(run: LoadRun, summary: K6Summary, exitCode: number): LoadResult {
  const base = { scenario: run.scenario, placement: run.placement, summary, thresholds: thresholdVerdicts(summary), exitCode };
  const sorted = [...run.records].sort((a, b) => a.startMs - b.startMs);
  const stopAtMs = run.stopRequestedAtMs;
  if (stopAtMs === undefined || !run.stopReached(exitCode))
    return { ...base, records: sorted, startedAtMs: run.startedAtMs, endedAtMs: Date.now() };
  const cutoffMs = completeBefore(stopAtMs, run.scenario.requestTimeoutMs);
  const { kept, cut } = startedBefore(sorted, cutoffMs);
  return { ...base, records: kept, startedAtMs: run.startedAtMs, endedAtMs: cutoffMs, stoppedEarly: { atMs: stopAtMs, cutRecords: cut } };
}
