/**
 * Node loss on kind: `docker pause` freezes every process of a node container (kubelet,
 * containerd, the pods), so the node stops heartbeating exactly as a hung or
 * partitioned machine does, and `docker unpause` brings it back with its state intact.
 * Only meaningful on a kind cluster whose node containers are on this host; the
 * caller checks podlaw may be destructive on this cluster (src/safety.ts).
 */
import { containerState, pauseContainer, unpauseContainer } from '../docker.ts';
import type { Fault, FaultSpec } from './fault.ts';

/** Whether the node's container is on this Docker host (a kind node), so it can be paused. */
export async function nodeContainerExists(node: string): Promise<boolean> {
  return (await containerState(node)).exists;
}

export const nodePauseKind = 'node-pause';
/** Freezer attempts before the pause counts as failed (each runc attempt is bounded by runc itself). */
const pauseAttempts = 3;

export class NodePauseFault implements Fault {
  readonly spec: FaultSpec;
  /** A sweeper finds its traces (a paused node container): claimed on the owner's Lease before injection. */
  readonly sweepable = true;
  readonly description: string;
  readonly #node: string;

  constructor(node: string) {
    this.#node = node;
    this.spec = { kind: nodePauseKind, target: { node } };
    this.description = `pause kind node container ${node} (node stops heartbeating)`;
  }

  /**
   * runc's cgroup v1 freezer gives up on a busy cgroup ("OCI runtime pause failed: unable
   * to freeze", seen in bench flakes while k6 loaded the node) and thaws it again: the node
   * was never paused, so the pause is asked again, a bounded number of times. The loss is
   * timed from the node's last heartbeat, not from this call, so an attempt changes no
   * measurement.
   */
  async inject(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const pause = await pauseContainer(this.#node);
      if (pause.exitCode === 0) return;
      const freezeFailed = pause.stderr.includes('unable to freeze') && !(await containerState(this.#node)).paused;
      if (!freezeFailed || attempt >= pauseAttempts)
        throw new Error(`docker pause ${this.#node} failed (exit ${pause.exitCode ?? 'none'}, attempt ${attempt}): ${pause.stderr.trim()}`);
    }
  }

  /**
   * Idempotent: a container that is not paused, or is gone, needs nothing. Recoveries
   * may race (the interrupt handler and the test teardown both recover on Ctrl-C, and a
   * stale-run collection may too): an unpause that fails is fine when the container is
   * no longer paused afterwards.
   */
  async recover(): Promise<void> {
    if (!(await containerState(this.#node)).paused) return;
    const unpause = await unpauseContainer(this.#node);
    if (unpause.exitCode === 0 || !(await containerState(this.#node)).paused) return;
    throw new Error(`docker unpause ${this.#node} failed (exit ${unpause.exitCode ?? 'none'}): ${unpause.stderr.trim()}`);
  }
}
