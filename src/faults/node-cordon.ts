/**
 * The first half of a drain: the node marked unschedulable. podlaw marks the node with
 * the annotation podlaw.dev/cordoned-by, so recovery (and the next run after a killed
 * one) uncordons exactly the nodes podlaw cordoned, never one an operator cordoned.
 */
import type { KubeClients } from '../kube/client.ts';
import { isConflict } from '../kube/api-errors.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault-spec.ts';
import { cordonAnnotation, uncordonIfPodlaw } from './node-leftovers.ts';

export class NodeCordonFault implements Fault {
  readonly kind = 'node-cordon';
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #kube: KubeClients;
  readonly #node: string;
  readonly #by: string;

  constructor(kube: KubeClients, node: string, by: string) {
    this.#kube = kube;
    this.#node = node;
    this.#by = by;
    this.spec = { kind: this.kind, target: { node }, params: { annotation: cordonAnnotation } };
    this.description = `cordon ${node} (annotated ${cordonAnnotation}=${by})`;
  }

  async inject(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const node = await this.#kube.core.readNode({ name: this.#node });
      if (node.spec?.unschedulable === true && node.metadata?.annotations?.[cordonAnnotation] === undefined) {
        throw new Error(`${this.#node} is already cordoned by someone else; podlaw will not take it over`);
      }
      const annotations = { ...node.metadata?.annotations, [cordonAnnotation]: this.#by };
      try {
        await this.#kube.core.replaceNode({ name: this.#node, body: { ...node, metadata: { ...node.metadata, annotations }, spec: { ...node.spec, unschedulable: true } } });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 10) throw error;
      }
    }
  }

  async recover(): Promise<void> {
    await uncordonIfPodlaw(this.#kube, this.#node);
  }
}
