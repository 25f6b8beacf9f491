/**
 * The active faults of one test (or one game-day run), its FaultSession: injects them,
 * records each one's spec, injection and recovery on the timeline, and recovers whatever
 * is still active at the end — newest first, every one attempted even if another fails.
 */
import type { Fault } from './fault.ts';
import { trackFault, untrackFault } from './signals.ts';

/** Where injections and recoveries are recorded, as data (the test's Timeline). */
export interface FaultRecorder {
  faultInjected(fault: Fault, injectedAt: Date, injectMs: number): void;
  faultRecovered(fault: Fault, recoveredAt: Date): void;
}

/**
 * Where the run records the faults it holds (the namespace owner's Lease), so a
 * collection can tell a live run's fault from a dead run's leftover. A fault is claimed
 * before it is injected and released once recovered.
 */
export interface FaultLedger {
  claim(fault: Fault): Promise<void>;
  release(fault: Fault): Promise<void>;
}

export class FaultRecoveryError extends Error {
  readonly failures: readonly { readonly fault: Fault; readonly error: unknown }[];

  constructor(failures: readonly { readonly fault: Fault; readonly error: unknown }[]) {
    super(
      `could not recover ${failures.length} fault(s): ${failures
        .map((f) => `${f.fault.description}: ${f.error instanceof Error ? f.error.message : String(f.error)}`)
        .join('; ')}`,
    );
    this.name = 'FaultRecoveryError';
    this.failures = failures;
  }
}

export class FaultSession {
  readonly #active: Fault[] = [];
  readonly #recorder: FaultRecorder | undefined;
  readonly #ledger: FaultLedger | undefined;
  readonly #beforeInject: (() => Promise<void>) | undefined;

  /** `beforeInject` runs before every injection and may throw to refuse it (the harness waits there for the smoke verdict). */
  constructor(recorder?: FaultRecorder, ledger?: FaultLedger, beforeInject?: () => Promise<void>) {
    this.#recorder = recorder;
    this.#ledger = ledger;
    this.#beforeInject = beforeInject;
  }

  get active(): readonly Fault[] {
    return this.#active;
  }

  /**
   * Returns once a fault may be injected (inject() waits for it too). A test calls it before it arms anything timed from
   * the injection, so that wait is not counted in its timeouts.
   */
  async ready(): Promise<void> {
    await this.#beforeInject?.();
  }

  /** Injects a fault; returns the time it was injected. It is tracked even if inject() throws halfway. */
  async inject(fault: Fault): Promise<Date> {
    await this.ready();
    await this.#ledger?.claim(fault);
    this.#active.push(fault);
    trackFault(fault);
    const at = new Date();
    await fault.inject();
    this.#recorder?.faultInjected(fault, at, Date.now() - at.getTime());
    return at;
  }

  /** Recovers one fault now; returns the time recovery started. */
  async recover(fault: Fault): Promise<Date> {
    const at = new Date();
    await fault.recover();
    this.#forget(fault);
    await this.#ledger?.release(fault);
    this.#recorder?.faultRecovered(fault, at);
    return at;
  }

  async recoverAll(): Promise<void> {
    const failures: { fault: Fault; error: unknown }[] = [];
    for (const fault of [...this.#active].reverse()) {
      try {
        await this.recover(fault);
      } catch (error) {
        failures.push({ fault, error });
      }
    }
    if (failures.length > 0) throw new FaultRecoveryError(failures);
  }

  #forget(fault: Fault): void {
    const index = this.#active.indexOf(fault);
    if (index >= 0) this.#active.splice(index, 1);
    untrackFault(fault);
  }
}
