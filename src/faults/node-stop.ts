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
import { containerState, startContainer, stopContainer, waitForStop } from '../docker.ts';
import type { KubeClients } from '../kube/client.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault.ts';
import { kubeletUnitState } from './node-exec.ts';
import { reassertPodNetwork } from './pod-network-repair.ts';

/** docker stop's grace before SIGKILL; kind nodes shut systemd down on SIGRTMIN+3 within it. */
const stopGraceSeconds = 10;
/** systemd brings containerd and the kubelet up within seconds on this machine; bound the poll. */
const kubeletStartBoundMs = 60_000;

export class NodeStopFault implements Fault {
  /** A stopped node container is found by nodeStopSweeper (src/faults/leftovers.ts), so it is claimed while live. */
  readonly sweepable = true;
  readonly spec: FaultSpec & { readonly target: { readonly node: string } };
  readonly description: string;
  readonly #node: string;
  readonly #kube: KubeClients;
  #stopRequested = false;

  constructor(node: string, kube: KubeClients) {
    this.#node = node;
    this.#kube = kube;
    this.spec = { kind: 'node-stop', target: { node }, params: { stopGraceSeconds } };
    this.description = `docker stop node container ${node} (kubelet, containerd and pods stop), then docker start`;
  }

  async inject(): Promise<void> {
    this.#stopRequested = true;
    await stopContainer(this.#node, stopGraceSeconds);
  }

  /** Idempotent: starts the container when it exists and is not running, waits for the kubelet, re-asserts the pod network. */
  async recover(): Promise<void> {
    // A Ctrl-C reaches the whole process group: it can kill the `docker stop` CLI while the
    // daemon goes on stopping the node. Seen running here, the node would stop afterwards
    // and stay stopped; so a stop this fault requested is first let finish (bounded).
    if (this.#stopRequested) await waitForStop(this.#node, stopGraceSeconds);
    if (!(await startIfStopped(this.#node))) return;
    // The routes first: the node's network namespace exists as soon as docker start returns.
    await reassertPodNetwork(this.#kube, [this.#node]);
    await waitForKubeletActive(this.#node);
  }
}

/** Starts a node container that exists and is stopped (not paused: that is node-pause's); true when it did. */
export async function startIfStopped(node: string): Promise<boolean> {
  const state = await containerState(node);
  if (!state.exists || state.paused || state.running) return false;
  await startContainer(node);
  return true;
}

/** Polls systemd (not the API): the node has no watchable state until its kubelet runs. */
export async function waitForKubeletActive(node: string): Promise<void> {
  const until = Date.now() + kubeletStartBoundMs;
  for (;;) {
    const unit = await kubeletUnitState(node);
    if (unit === 'active') return;
    if (Date.now() > until)
      throw new Error(`kubelet on ${node} not active ${kubeletStartBoundMs / 1000} s after docker start (systemd says ${unit})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
