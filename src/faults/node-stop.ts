/**
 * Node loss by stopping the node container (`docker stop`, kind's stop signal lets
 * systemd shut down, then `docker start`). Everything in the node goes away: kubelet,
 * containerd, every pod container, and the routes podlaw wrote into the node's network
 * namespace. On start kind's entrypoint runs again (it rewrites the node's address in
 * its config files if Docker handed out a new one) and systemd starts containerd and
 * the kubelet; recovery then re-asserts the pod network's routes and CNI config.
 *
 * Leftover marker: a podlaw node container that exists and is not running. recover()
 * starts it whatever stopped it, so it undoes a killed run from the spec alone.
 */
import { execa } from 'execa';
import { containerState } from '../docker.ts';
import type { KubeClients } from '../kube/client.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault-spec.ts';
import { kubeletUnitState } from './node-exec.ts';
import { reassertPodNetwork } from './pod-network-repair.ts';

/** docker stop's grace before SIGKILL; kind nodes shut systemd down on SIGRTMIN+3 within it. */
const stopGraceSeconds = 10;
/** systemd brings containerd and the kubelet up within seconds on this machine; bound the poll. */
const kubeletStartBoundMs = 60_000;

export class NodeStopFault implements Fault {
  readonly kind = 'node-stop';
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #node: string;
  readonly #kube: KubeClients;

  constructor(node: string, kube: KubeClients) {
    this.#node = node;
    this.#kube = kube;
    this.spec = { kind: this.kind, target: { node }, params: { stopGraceSeconds } };
    this.description = `docker stop node container ${node} (kubelet, containerd and pods stop), then docker start`;
  }

  async inject(): Promise<void> {
    await execa('docker', ['stop', '--time', String(stopGraceSeconds), this.#node]);
  }

  /** Idempotent: starts the container when it exists and is not running, waits for the kubelet, re-asserts the pod network. */
  async recover(): Promise<void> {
    const state = await containerState(this.#node);
    if (!state.exists) return;
    if (state.paused) return; // a paused node is node-pause's to recover
    if (state.running) return; // running: whatever else is wrong (a stopped kubelet) is another fault's to undo
    await execa('docker', ['start', this.#node]);
    // The routes first: the node's network namespace exists as soon as docker start returns.
    await reassertPodNetwork(this.#kube, [this.#node]);
    const until = Date.now() + kubeletStartBoundMs;
    // Polling systemd (not the API): the node has no watchable state until its kubelet runs.
    for (;;) {
      const unit = await kubeletUnitState(this.#node);
      if (unit === 'active') break;
      if (Date.now() > until) throw new Error(`kubelet on ${this.#node} not active ${kubeletStartBoundMs / 1000} s after docker start (systemd says ${unit})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
