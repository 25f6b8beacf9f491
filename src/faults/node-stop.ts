/**
 * Node loss by stopping the node container (kind's stop signal SIGRTMIN+3 halts its
 * systemd, then `docker start`). Everything in the node goes away: kubelet,
 * containerd, every pod container, and the routes podlaw wrote into the node's network
 * namespace. On start kind's entrypoint runs again (it rewrites the node's address in
 * its config files if Docker handed out a new one) and systemd starts containerd and
 * the kubelet; recovery then re-asserts the pod network's routes and CNI config.
 *
 * Leftover marker: a podlaw node container that exists and is not running. recover()
 * starts it whatever stopped it, so it undoes a killed run from the spec alone.
 */
import { containerState, signalContainer, startContainer, stopContainer, waitForStop } from '../docker.ts';
import type { KubeClients } from '../kube/client.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault.ts';
import { kubeletUnitState } from './node-exec.ts';
import { reassertPodNetwork } from './pod-network-repair.ts';

/** The halt's grace before SIGKILL (docker stop's default). */
const stopGraceSeconds = 10;
/**
 * kind's node image declares this STOPSIGNAL: systemd halts (halt.target: units stopped in order, then, in a container,
 * it exits). podlaw's node image cannot declare it (Docker 20.10's import rejects STOPSIGNAL, node-image.ts), and a plain
 * docker stop sends SIGTERM, which systemd as PID 1 takes as "re-execute": the node ran on, kubelet heartbeats included,
 * until docker's SIGKILL 10 s later (bench flakes: the last Lease renewal 9.6 s into the stop).
 */
const haltSignal = 'SIGRTMIN+3';
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
    this.description = `${haltSignal} to node container ${node}: its systemd halts (kubelet, containerd and pods stop), then docker start`;
  }

  async inject(): Promise<void> {
    this.#stopRequested = true;
    await signalContainer(this.#node, haltSignal);
    await waitForStop(this.#node, stopGraceSeconds);
    // A halt that hangs past its grace ends as docker stop would end it.
    if ((await containerState(this.#node)).running) await stopContainer(this.#node, 0);
  }

  /** Idempotent: starts the container when it exists and is not running, waits for the kubelet, re-asserts the pod network. */
  async recover(): Promise<void> {
    // A Ctrl-C reaches the whole process group: it can kill the docker CLI while the
    // node goes on halting. Seen running here, the node would stop afterwards
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
