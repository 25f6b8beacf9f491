/**
 * The workers' side of the smoke verdict (src/smoke-verdict.ts): a watch on the run's directory until the runner's
 * reporter has written it.
 */
import { watch } from 'node:fs';
import { describeTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { readSmokeVerdict, smokeVerdictDir, smokeVerdictFile, type SmokeVerdict } from '../smoke-verdict.ts';

export class SmokeVerdictMissingError extends Error {
  readonly runId: string;
  readonly timeout: NamedTimeout | undefined;

  constructor(runId: string, message: string, timeout?: NamedTimeout) {
    super(message);
    this.name = 'SmokeVerdictMissingError';
    this.runId = runId;
    this.timeout = timeout;
  }
}

/** Watches the run's directory until the verdict is there, bounded by `timeout`. */
export async function waitForSmokeVerdict(runId: string, timeout: NamedTimeout): Promise<SmokeVerdict> {
  const dir = smokeVerdictDir(runId);
  return await new Promise<SmokeVerdict>((resolve, reject) => {
    let watcher: ReturnType<typeof watch>;
    try {
      // Watching before the first read: a verdict written between the two is still seen.
      watcher = watch(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      reject(
        new SmokeVerdictMissingError(
          runId,
          `no smoke verdict for run ${runId}: ${dir} does not exist; the run lacks src/report/smoke-gate-reporter.ts (Playwright's --reporter replaces the config's reporters: name it there too)`,
        ),
      );
      return;
    }
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      watcher.close();
      outcome();
    };
    const check = (): void => {
      try {
        const verdict = readSmokeVerdict(runId);
        if (verdict !== undefined) finish(() => resolve(verdict));
      } catch (error) {
        finish(() => reject(error as Error));
      }
    };
    const timer = setTimeout(() => {
      const message = `timed out after ${describeTimeout(timeout)} waiting for the smoke verdict of run ${runId}; last seen: no ${smokeVerdictFile} in ${dir}`;
      finish(() => reject(new SmokeVerdictMissingError(runId, message, timeout)));
    }, timeout.ms);
    watcher.on('change', check);
    watcher.on('error', (error) => finish(() => reject(error)));
    check();
  });
}
