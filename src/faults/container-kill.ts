/**
 * Signalling a process inside a container, through exec (`kill -s SIG PID`), the way an
 * OOM or a crash would end it. PID 1 of a container only receives signals it has a
 * handler for — even SIGKILL sent from inside its namespace is dropped — so fixtures
 * that are killed this way trap the signal. Recovery is the kubelet's restart; the
 * fault itself has nothing to undo.
 */
import type { KubeClients } from '../kube/client.ts';
import { ExecFailedError, execInContainer } from '../kube/exec.ts';
import type { ContainerRef } from '../kube/exec.ts';
import type { Fault } from './fault.ts';

export type Signal = 'TERM' | 'KILL' | 'INT' | 'HUP' | 'USR1';

export class ContainerProcessKill implements Fault {
  readonly kind = 'container-kill';
  readonly description: string;
  readonly #kube: KubeClients;
  readonly #target: ContainerRef;
  readonly #signal: Signal;
  readonly #pid: number;
  #killedAt: Date | undefined;

  constructor(kube: KubeClients, target: ContainerRef, options: { readonly signal?: Signal; readonly pid?: number } = {}) {
    this.#kube = kube;
    this.#target = target;
    this.#signal = options.signal ?? 'TERM';
    this.#pid = options.pid ?? 1;
    this.description = `send SIG${this.#signal} to pid ${this.#pid} in ${target.namespace}/${target.pod}[${target.container}]`;
  }

  get killedAt(): Date | undefined {
    return this.#killedAt;
  }

  async inject(): Promise<void> {
    this.#killedAt = new Date();
    const command = ['kill', '-s', this.#signal, String(this.#pid)];
    let result;
    try {
      result = await execInContainer(this.#kube, this.#target, command);
    } catch (error) {
      // The exec session can be torn down with the container it just killed: no
      // status ever arrives. Tests prove the kill by the container's restart.
      if (error instanceof ExecFailedError && error.result === undefined) return;
      throw error;
    }
    if (result.outcome.kind !== 'exited' || result.outcome.exitCode !== 0) {
      throw new ExecFailedError(this.#target, command, result);
    }
  }

  async recover(): Promise<void> {
    // The kubelet restarts the container per restartPolicy; nothing to undo here.
  }
}
