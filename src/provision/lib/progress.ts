/**
 * Progress output for long steps: which step, what it builds, elapsed time, whether
 * it came from the cache; a heartbeat so a 20-minute compile is visibly alive; and
 * a closing line with the total time and what was reused.
 */

export type StepSource = 'cache' | 'built' | 'reused' | 'done' | 'skipped';

export interface StepRecord {
  readonly name: string;
  readonly source: StepSource;
  readonly seconds: number;
}

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export class Progress {
  readonly #startedAt = Date.now();
  readonly #records: StepRecord[] = [];
  readonly #write: (line: string) => void;
  readonly #heartbeatMs: number;

  constructor(options?: { write?: (line: string) => void; heartbeatMs?: number }) {
    this.#write = options?.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#heartbeatMs = options?.heartbeatMs ?? 30_000;
  }

  get records(): readonly StepRecord[] {
    return this.#records;
  }

  elapsedSeconds(): number {
    return (Date.now() - this.#startedAt) / 1000;
  }

  log(message: string): void {
    this.#write(`[podlaw ${formatDuration(this.elapsedSeconds()).padStart(7)}] ${message}`);
  }

  /**
   * Runs one step. `run` returns where its result came from; a step that found its
   * output in the cache says 'cache' and is counted as such in the summary.
   */
  async step<T>(name: string, detail: string, run: () => Promise<{ source: StepSource; value: T }>): Promise<T> {
    const started = Date.now();
    this.log(`▶ ${name}${detail === '' ? '' : ` — ${detail}`}`);
    const heartbeat = setInterval(() => {
      this.log(`  … ${name}: still running, ${formatDuration((Date.now() - started) / 1000)} so far`);
    }, this.#heartbeatMs);
    heartbeat.unref();
    try {
      const { source, value } = await run();
      const seconds = (Date.now() - started) / 1000;
      this.#records.push({ name, source, seconds });
      this.log(`✔ ${name} (${source}, ${formatDuration(seconds)})`);
      return value;
    } catch (error) {
      this.log(`✘ ${name} failed after ${formatDuration((Date.now() - started) / 1000)}`);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  summary(what: string): string {
    const fromCache = this.#records.filter((r) => r.source === 'cache' || r.source === 'reused').map((r) => r.name);
    const built = this.#records.filter((r) => r.source === 'built').map((r) => r.name);
    return (
      `${what} in ${formatDuration(this.elapsedSeconds())}; ` +
      `from cache: ${fromCache.length === 0 ? 'nothing' : fromCache.join(', ')}; ` +
      `built: ${built.length === 0 ? 'nothing' : built.join(', ')}`
    );
  }
}
