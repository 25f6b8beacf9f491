/**
 * Signalling a process inside a container, through exec (`kill -s SIG PID`), the way an
 * OOM or a crash would end it. PID 1 of a container only receives signals it has a
 * handler for — even SIGKILL sent from inside its namespace is dropped — so fixtures
 * that are killed this way trap the signal. Recovery is the kubelet's restart; the
 * fault itself has nothing to undo.
 *
 * When the signalled PID 1 exits, the kernel takes the `kill` command down with the
 * container, so its exec can end with 137 or without a status (src/faults/kill-outcome.ts).
 * Such a kill counts as injected only once the pod status shows the container instance
 * that was running before the kill has ended.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { ExecFailedError, execInContainer } from '../kube/exec.ts';
import type { ContainerRef, ExecFailure } from '../kube/exec.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import { containerStatus } from '../kube/pod-status.ts';
import { resourceTypes } from '../kube/resources.ts';
import { waitForObject } from '../kube/wait.ts';
import { ResumableWatch } from '../kube/watch.ts';
import type { Fault, FaultSpec } from './fault.ts';
import { containerInstanceEnded, judgeKillExec } from './kill-outcome.ts';

export type Signal = 'TERM' | 'KILL' | 'INT' | 'HUP' | 'USR1';

/**
 * How long the kubelet may take to report a container that exited: its PLEG relists
 * containers every second (pkg/kubelet/kubelet.go, genericPlegRelistPeriod) and the
 * status manager, when its immediate update does not go through, syncs every 10 s
 * (pkg/kubelet/status/status_manager.go, syncPeriod).
 */
const containerEndReported = namedTimeout('container end reported: kubelet PLEG relist 1 s + status manager sync period 10 s', 11_000);

export class ContainerProcessKill implements Fault {
  readonly spec: FaultSpec;
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
    this.spec = { kind: 'container-kill', target: { container: target }, params: { signal: this.#signal, pid: this.#pid } };
    this.description = `send SIG${this.#signal} to pid ${this.#pid} in ${target.namespace}/${target.pod}[${target.container}]`;
  }

  get killedAt(): Date | undefined {
    return this.#killedAt;
  }

  async inject(): Promise<void> {
    const runningAs = await this.#runningContainerId();
    const command = ['kill', '-s', this.#signal, String(this.#pid)];
    this.#killedAt = new Date();
    const failure = await this.#execKill(command);
    if (failure === undefined) return; // kill exited 0: the signal was delivered
    const error = new ExecFailedError(this.#target, command, failure);
    const verdict = judgeKillExec(failure, this.#pid);
    if (verdict.kind === 'failed') throw error;
    await this.#confirmEnded(runningAs, verdict.why, error);
  }

  async recover(): Promise<void> {
    // The kubelet restarts the container per restartPolicy; nothing to undo here.
  }

  /** Runs the kill; undefined when it exited 0, else how it failed. */
  async #execKill(command: readonly string[]): Promise<ExecFailure | undefined> {
    try {
      const result = await execInContainer(this.#kube, this.#target, command);
      if (result.outcome.kind === 'exited' && result.outcome.exitCode === 0) return undefined;
      return { stage: 'completed', result };
    } catch (error) {
      if (error instanceof ExecFailedError) return error.failure;
      throw error;
    }
  }

  /** The container ID of the running target: what the kill must end. */
  async #runningContainerId(): Promise<string> {
    const pod = await this.#kube.core.readNamespacedPod({ name: this.#target.pod, namespace: this.#target.namespace });
    const status = containerStatus(pod, this.#target.container);
    if (status?.state?.running === undefined || status.containerID === undefined) {
      throw new Error(`cannot ${this.description}: the container is not running (${JSON.stringify(status?.state ?? null)})`);
    }
    return status.containerID;
  }

  /** Watches the pod until the container instance that ran before the kill has ended. */
  async #confirmEnded(containerID: string, why: string, execError: ExecFailedError): Promise<void> {
    const pods = new ResumableWatch<V1Pod>(this.#kube, resourceTypes.pod, {
      namespace: this.#target.namespace,
      fieldSelector: `metadata.name=${this.#target.pod}`,
    });
    await pods.start();
    try {
      const ended = (pod: V1Pod): boolean => containerInstanceEnded(containerStatus(pod, this.#target.container), containerID);
      await waitForObject(pods, this.#target.pod, ended, {
        description: `${this.#target.namespace}/${this.#target.pod}[${this.#target.container}] instance ${containerID} ended after ${why}`,
        timeout: containerEndReported,
      });
    } catch (error) {
      throw new Error(`${execError.message}; the target did not end, so the kill is not proven`, { cause: error });
    } finally {
      await pods.stop();
    }
  }
}
