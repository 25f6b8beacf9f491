/**
 * `npm run bench -- pressure`: the memory-pressure family (QOS-1, NPE-1..7) through `podlaw run`
 * on the existing cluster, its wall time, and the host memory it peaked at: MemTotal − the least
 * MemAvailable of /proc/meminfo, sampled every second while it ran, next to the same figure
 * just before it started (so the family's own share shows).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memAvailableBytes } from '../../faults/memory-pressure.ts';
import { startPodlawRun } from './podlaw-run.ts';
import { formatDuration } from './progress.ts';

const mebibyte = 1024 * 1024;

function memTotalBytes(meminfo: string): number {
  const kib = /^MemTotal:\s+(\d+) kB$/m.exec(meminfo)?.[1];
  if (kib === undefined) throw new Error('/proc/meminfo has no MemTotal line');
  return Number(kib) * 1024;
}

function usedBytes(): number {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  return memTotalBytes(meminfo) - memAvailableBytes(meminfo);
}

export async function benchPressure(): Promise<void> {
  const before = usedBytes();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, usedBytes());
  }, 1_000);
  const log = join(mkdtempSync(join(tmpdir(), 'podlaw-bench-pressure-')), 'run.log');
  const run = startPodlawRun(['--law', 'NPE,QOS'], log, (line) => {
    if (/^laws: /.test(line)) console.log(`  ${line}`);
  });
  const exit = await run.exited;
  clearInterval(sampler);
  const wallSeconds = (Date.now() - run.startedAt.getTime()) / 1000;
  const mib = (bytes: number): string => `${Math.round(bytes / mebibyte)} MiB`;
  console.log(
    `bench pressure: podlaw run --law NPE,QOS exit ${exit.code ?? exit.signal ?? '?'} in ${formatDuration(wallSeconds)} (log ${log}); ` +
      `host memory in use ${mib(before)} before, peak ${mib(peak)} (+${mib(peak - before)})`,
  );
}
