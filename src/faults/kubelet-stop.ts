/**
 * Node loss by stopping the kubelet (`systemctl stop kubelet` in the node container):
 * heartbeats stop, while containerd and every pod container keep running and serving.
 * Leftover marker: the kubelet unit inactive plus /run/podlaw-fault/kubelet-stop in the
 * node container; recover() starts the kubelet whenever it is not active, so it also
 * undoes a killed run from the spec alone.
 */
import { containerState } from '../docker.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault-spec.ts';
import { inNode, kubeletUnitState } from './node-exec.ts';

export const kubeletStopMarker = '/run/podlaw-fault/kubelet-stop';

export class KubeletStopFault implements Fault {
  readonly kind = 'kubelet-stop';
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #node: string;

  constructor(node: string) {
    this.#node = node;
    this.spec = { kind: this.kind, target: { node } };
    this.description = `systemctl stop kubelet in node container ${node} (pods keep running, heartbeats stop)`;
  }

  async inject(): Promise<void> {
    await inNode(this.#node, ['sh', '-c', `mkdir -p /run/podlaw-fault && touch ${kubeletStopMarker} && systemctl stop kubelet`]);
  }

  /** Idempotent: starts the kubelet unless it is already active; a gone or stopped container needs nothing here. */
  async recover(): Promise<void> {
    const state = await containerState(this.#node);
    if (!state.running || state.paused) return;
    if ((await kubeletUnitState(this.#node)) !== 'active') await inNode(this.#node, ['systemctl', 'start', 'kubelet']);
    await inNode(this.#node, ['rm', '-f', kubeletStopMarker]);
  }
}
