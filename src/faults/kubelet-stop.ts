/**
 * Node loss by stopping the kubelet (`systemctl stop kubelet` in the node container):
 * heartbeats stop, while containerd and every pod container keep running and serving.
 * Leftover marker: the kubelet unit inactive plus /run/podlaw-fault/kubelet-stop in the
 * node container; recover() starts the kubelet whenever it is not active, so it also
 * undoes a killed run from the spec alone.
 */
import { containerState } from '../docker.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault.ts';
import { inNode, inNodeStatus, kubeletUnitState } from './node-exec.ts';
import { snapshotPath } from './node-delete.ts';

export const kubeletStopMarker = '/run/podlaw-fault/kubelet-stop';

export class KubeletStopFault implements Fault {
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #node: string;

  constructor(node: string) {
    this.#node = node;
    this.spec = { kind: 'kubelet-stop', target: { node } };
    this.description = `systemctl stop kubelet in node container ${node} (pods keep running, heartbeats stop)`;
  }

  async inject(): Promise<void> {
    await inNode(this.#node, ['sh', '-c', `mkdir -p /run/podlaw-fault && touch ${kubeletStopMarker} && systemctl stop kubelet`]);
  }

  /**
   * Idempotent: starts the kubelet unless it is already active; a gone or stopped container needs nothing here. Not while
   * a deleted Node's snapshot is there (NOD-10 deletes the Node of a node whose kubelet is stopped): a kubelet started
   * first would register a Node of its own, without the snapshot's taint and perhaps with another podCIDR. The Node's
   * recovery starts it once the Node is back (src/faults/node-delete.ts); until then this stays a leftover.
   */
  async recover(): Promise<void> {
    const state = await containerState(this.#node);
    if (!state.running || state.paused) return;
    if ((await inNodeStatus(this.#node, ['test', '-e', snapshotPath])).exitCode === 0) {
      throw new Error(
        `kubelet of ${this.#node} left stopped: its deleted Node is not re-created yet (${snapshotPath} in the node); the next run's leftover recovery re-creates it first`,
      );
    }
    if ((await kubeletUnitState(this.#node)) !== 'active') await inNode(this.#node, ['systemctl', 'start', 'kubelet']);
    await inNode(this.#node, ['rm', '-f', kubeletStopMarker]);
  }
}
