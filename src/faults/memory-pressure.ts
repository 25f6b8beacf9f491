/**
 * Memory pressure on a node: a size-bounded tmpfs inside the kind node container, filled
 * with `dd`. Its pages are charged to the node container's memory cgroup, which is the
 * root cgroup the node's kubelet measures (shared/laws.md pitfall 6: memory.available is
 * capacity minus the node container's working set), and tmpfs pages are swap-backed, so
 * they stay in the working set. Recovery removes the file and unmounts the tmpfs, which
 * frees the pages at once.
 *
 * The amount is computed by the caller from the node's own threshold and the summary API
 * (src/harness/pressure.ts); this fault refuses, before touching anything, an amount the
 * host cannot give while keeping a reserve for everything else on it.
 */
import { readFileSync } from 'node:fs';
import { containerState } from '../docker.ts';
import type { Fault, FaultSpec } from './fault.ts';
import { inNode, inNodeStatus } from './node-exec.ts';

export const memoryPressureMount = '/var/lib/podlaw-fault/memory';
const fillFile = `${memoryPressureMount}/fill`;
const mebibyte = 1024 * 1024;

/** What the host must keep free besides the fill: the other nodes, the suites and the system. */
export const hostReserveBytes = 4 * 1024 * mebibyte;

/** MemAvailable of /proc/meminfo, in bytes (pure). */
export function memAvailableBytes(meminfo: string): number {
  const kib = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo)?.[1];
  if (kib === undefined) throw new Error('/proc/meminfo has no MemAvailable line');
  return Number(kib) * 1024;
}

/** Why the host cannot give `bytes` while keeping its reserve, or undefined when it can (pure). */
export function hostMemoryRefusal(bytes: number, hostAvailableBytes: number, reserveBytes: number = hostReserveBytes): string | undefined {
  if (bytes + reserveBytes <= hostAvailableBytes) return undefined;
  const mib = (b: number): string => `${Math.round(b / mebibyte)} MiB`;
  return `memory pressure needs ${mib(bytes)} but the host has ${mib(hostAvailableBytes)} available and keeps ${mib(reserveBytes)} in reserve`;
}

export const memoryPressureKind = 'memory-pressure';

export class MemoryPressureFault implements Fault {
  readonly sweepable = true;
  readonly spec: FaultSpec & { readonly target: { readonly node: string } };
  readonly description: string;
  readonly #node: string;
  readonly #mebibytes: number;

  constructor(node: string, bytes: number) {
    if (!Number.isFinite(bytes) || bytes < mebibyte) throw new Error(`memory pressure needs at least 1 MiB, got ${bytes} bytes`);
    this.#node = node;
    this.#mebibytes = Math.ceil(bytes / mebibyte);
    this.spec = { kind: memoryPressureKind, target: { node }, params: { bytes: this.#mebibytes * mebibyte, mount: memoryPressureMount } };
    this.description = `tmpfs ${memoryPressureMount} in ${node} filled with ${this.#mebibytes} MiB (charged to the node's root cgroup)`;
  }

  async inject(): Promise<void> {
    const refusal = hostMemoryRefusal(this.#mebibytes * mebibyte, memAvailableBytes(readFileSync('/proc/meminfo', 'utf8')));
    if (refusal !== undefined) throw new Error(refusal);
    // The tmpfs is bounded a little above the fill, so a mistake can never take more than that.
    const size = `${this.#mebibytes + 16}m`;
    await inNode(this.#node, ['mkdir', '-p', memoryPressureMount]);
    await inNode(this.#node, ['mount', '-t', 'tmpfs', '-o', `size=${size}`, 'podlaw-memory-pressure', memoryPressureMount]);
    await inNode(this.#node, ['dd', 'if=/dev/zero', `of=${fillFile}`, 'bs=1M', `count=${this.#mebibytes}`, 'status=none']);
  }

  /** Idempotent: removes the fill and unmounts when mounted; a stopped or gone container needs nothing. */
  async recover(): Promise<void> {
    await recoverMemoryPressure(this.#node);
  }
}

/**
 * Undoes the fault from the node alone (teardown, and the sweeper for a killed run). A run interrupted
 * while filling leaves its `dd` running inside the node (docker exec does not pass the client's signal
 * on), holding the file open: umount then fails "target is busy" (seen with SIGINT mid-fill). So the
 * writer is killed first, matched by its output file, and waited for.
 */
export async function recoverMemoryPressure(node: string): Promise<void> {
  if (!(await isMemoryPressureMounted(node))) return;
  // "[d]d" matches dd's command line but not the waiting shell's own, which holds the pattern as written.
  const writer = `[d]d if=/dev/zero of=${fillFile}`;
  // pkill exits 1 when nothing matched; the loop waits (bounded by timeout) until no writer is left.
  await inNodeStatus(node, ['pkill', '-KILL', '-f', writer]);
  await inNode(node, ['timeout', '10', 'sh', '-c', `while pgrep -f '${writer}' >/dev/null; do sleep 0.1; done`]);
  await inNode(node, ['rm', '-f', fillFile]);
  await inNode(node, ['umount', memoryPressureMount]);
}

/** Whether the node container runs with podlaw's tmpfs mounted (false when it is stopped, paused or gone). */
export async function isMemoryPressureMounted(node: string): Promise<boolean> {
  const state = await containerState(node);
  if (!state.running || state.paused) return false;
  return (await inNodeStatus(node, ['mountpoint', '-q', memoryPressureMount])).exitCode === 0;
}
