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

  async inject(): Promise<void> {
    await pauseContainer(this.#node);
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
