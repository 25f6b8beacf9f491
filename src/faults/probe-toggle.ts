/**
 * Making a probe fail and pass again by removing and re-creating the file it depends
 * on: the file an exec probe reads (`cat <path>`), or the one an HTTP probe asks a
 * file server for. Which probe it breaks is the fixture's choice; the fault only owns
 * the file. recover() is idempotent and a no-op when the pod is gone.
 */
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { execOk } from '../kube/exec.ts';
import type { ContainerRef } from '../kube/exec.ts';
import type { Fault, FaultSpec } from './fault.ts';

export class ProbeFileToggle implements Fault {
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #kube: KubeClients;
  readonly #target: ContainerRef;
  readonly #path: string;

  constructor(kube: KubeClients, target: ContainerRef, path: string, probe: string) {
    this.#kube = kube;
    this.#target = target;
    this.#path = path;
    this.spec = { kind: 'probe-toggle', target: { container: target }, params: { probe, path } };
    this.description = `make the ${probe} probe of ${target.namespace}/${target.pod}[${target.container}] fail (remove ${path})`;
  }

  async inject(): Promise<void> {
    await execOk(this.#kube, this.#target, ['rm', '-f', this.#path]);
    // Prove the file is really gone from the container the probe runs in.
    await execOk(this.#kube, this.#target, ['sh', '-c', `! test -e '${this.#path}'`]);
  }

  async recover(): Promise<void> {
    const before = await this.#runningInstance();
    if (before === undefined) return;
    try {
      await execOk(this.#kube, this.#target, ['touch', this.#path]);
    } catch (error) {
      // The instance may have ended under the exec (a liveness kill, the very effect of
      // this fault): its restart recreates the file. Only a failure while the same
      // instance still runs is a failed recovery.
      if ((await this.#runningInstance()) === before) throw error;
    }
  }

  /**
   * The container ID of the running target, or undefined: a container that is not
   * running cannot be exec'd into, and its restart recreates the file.
   */
  async #runningInstance(): Promise<string | undefined> {
    const { pod, namespace, container } = this.#target;
    const read = await unlessNotFound(() => this.#kube.core.readNamespacedPod({ name: pod, namespace }));
    const status = read?.status?.containerStatuses?.find((c) => c.name === container);
    return status?.state?.running !== undefined ? status.containerID : undefined;
  }
}
