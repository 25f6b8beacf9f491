/**
 * Last-resort recovery when the process is interrupted: every fault injected and not
 * yet recovered is tracked here, and SIGINT/SIGTERM recover them before the process
 * goes. Under Playwright the runner also tears fixtures down on Ctrl-C; recover() is
 * idempotent, so both paths may run. Future node faults (docker pause of a node
 * container) register the same way and get unpaused on Ctrl-C.
 */
import type { Fault } from './fault.ts';

const tracked: Fault[] = [];
let installed = false;
let recovering: Promise<void> | undefined;

export function trackFault(fault: Fault): void {
  install();
  if (!tracked.includes(fault)) tracked.push(fault);
}

export function untrackFault(fault: Fault): void {
  const index = tracked.indexOf(fault);
  if (index >= 0) tracked.splice(index, 1);
}

export function trackedFaults(): readonly Fault[] {
  return tracked;
}

/** Recovers every tracked fault, newest first; reports failures on stderr and goes on. */
export function recoverTrackedFaults(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  recovering ??= (async () => {
    for (const fault of [...tracked].reverse()) {
      try {
        await fault.recover();
        untrackFault(fault);
        write(`podlaw: recovered after interrupt: ${fault.description}`);
      } catch (error) {
        write(`podlaw: could not recover ${fault.description}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })().finally(() => {
    recovering = undefined;
  });
  return recovering;
}

function install(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM', exitCode: number) => (): void => {
    // When someone else handles the signal (the Playwright runner does for SIGINT),
    // only recover; when podlaw is alone, recover and then exit as the signal would.
    const othersListening = process.listenerCount(signal) > 1;
    void recoverTrackedFaults().then(() => {
      if (!othersListening) process.exit(exitCode);
    });
  };
  process.on('SIGINT', onSignal('SIGINT', 130));
  process.on('SIGTERM', onSignal('SIGTERM', 143));
}
