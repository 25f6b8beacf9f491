/**
 * A running load: the request records as they arrive, a bounded wait on them, and the
 * end of the run. Both placements (host process, in-cluster Job) feed one of these.
 */
import { LoadError } from './errors.ts';
import { isFailure, thresholdVerdicts, type K6Summary, type RequestRecord, type ThresholdVerdict } from './records.ts';
import type { LoadScenario } from './scenario.ts';

export interface LoadResult {
  readonly scenario: LoadScenario;
  readonly placement: 'host' | 'job';
  readonly records: readonly RequestRecord[];
  readonly summary: K6Summary;
  readonly thresholds: readonly ThresholdVerdict[];
  /** 0, or 99 when a threshold was crossed. */
  readonly exitCode: number;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
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
  return {
    scenario: run.scenario,
    placement: run.placement,
    records: [...run.records].sort((a, b) => a.startMs - b.startMs),
    summary,
    thresholds: thresholdVerdicts(summary),
    exitCode,
    startedAtMs: run.startedAtMs,
    endedAtMs: Date.now(),
  };
}
