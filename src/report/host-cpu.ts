/**
 * The host's CPU use during a run, sampled from /proc/stat: what the "CPU headroom of 2 cores" the worker count is
 * chosen from was measured with. The kind nodes are containers on this host, so the cluster's own work (API server,
 * kubelets, containers under test) counts here too, beside Playwright's workers and k6.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Jiffies of the aggregate `cpu` line: all of them, and those not idle (idle and iowait excluded). */
export interface CpuTimes {
  readonly total: number;
  readonly busy: number;
}

/** The aggregate line of /proc/stat: `cpu user nice system idle iowait irq softirq steal …`; undefined if absent. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const total = fields.reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { total, busy: total - idle };
}

/** The busy share (0..1) of all cores between two readings; undefined when no time passed. */
export function busyShare(before: CpuTimes, after: CpuTimes): number | undefined {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : undefined;
}

export interface CpuSample {
  readonly atMs: number;
  readonly busy: number;
}

export interface CpuSummary {
  readonly samples: number;
  readonly meanBusy: number;
  readonly p90Busy: number;
  /** Share of samples with every core at least 95 % busy. */
  readonly saturated: number;
}

export function summarizeCpu(samples: readonly CpuSample[]): CpuSummary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = samples.map((s) => s.busy).sort((a, b) => a - b);
  const mean = sorted.reduce((sum, b) => sum + b, 0) / sorted.length;
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)] ?? 0;
  return { samples: sorted.length, meanBusy: mean, p90Busy: p90, saturated: sorted.filter((b) => b >= 0.95).length / sorted.length };
}

/** Samples /proc/stat every `intervalMs` until stopped; no samples where /proc/stat cannot be read. */
export class HostCpuSampler {
  readonly samples: CpuSample[] = [];
  readonly intervalMs: number;
  readonly #timer: NodeJS.Timeout;
  #last: CpuTimes | undefined;

  constructor(intervalMs = 2_000) {
    this.intervalMs = intervalMs;
    this.#last = readTimes();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    // Never keeps the process alive on its own.
    this.#timer.unref();
  }

  #sample(): void {
    const now = readTimes();
    const share = this.#last === undefined || now === undefined ? undefined : busyShare(this.#last, now);
    if (share !== undefined) this.samples.push({ atMs: Date.now(), busy: share });
    this.#last = now;
  }

  /** Stops sampling and writes the samples as JSON to `path`. */
  stopAndWrite(path: string): void {
    clearInterval(this.#timer);
    writeFileSync(path, JSON.stringify({ intervalMs: this.intervalMs, samples: this.samples }));
  }
}

function readTimes(): CpuTimes | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}
