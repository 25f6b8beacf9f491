/**
 * The object factory of one test: applies fixture manifests (templated), tracks what
 * it created and deletes it, newest first, on teardown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../paths.ts';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { parseManifests, renderTemplate } from '../kube/manifest.ts';
import type { TemplateValues } from '../kube/manifest.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { describeChange, sentFieldChanges } from '../laws/admission-diff.ts';

export class ObjectFactory {
  readonly #kube: KubeClients;
  readonly #namespace: string;
  readonly #timeline: Timeline | undefined;
  readonly #created: KubernetesObject[] = [];

  constructor(kube: KubeClients, namespace: string, timeline?: Timeline) {
    this.#kube = kube;
    this.#namespace = namespace;
    this.#timeline = timeline;
  }

  get created(): readonly KubernetesObject[] {
    return this.#created;
  }

  /** Reads fixtures/<file> and fills its placeholders (`namespace` is always provided), without creating anything. */
  render(file: string, values: TemplateValues = {}): KubernetesObject[] {
    const text = renderTemplate(readFileSync(join(fixturesDir, file), 'utf8'), { namespace: this.#namespace, ...values }, file);
    return parseManifests(text, file);
  }

  /** Renders fixtures/<file> and creates every object in it, in order. */
  async apply(file: string, values: TemplateValues = {}): Promise<KubernetesObject[]> {
    const created: KubernetesObject[] = [];
    for (const object of this.render(file, values)) created.push(await this.create(object));
    return created;
  }

  /**
   * Creates a manifest's objects side by side: for manifests none of whose objects admission needs before another (no
   * ServiceAccount, PriorityClass or Namespace beside the pods that name it). Under the run's load each create is a round
   * trip of a few hundred milliseconds, and a node-loss test's fault waits for its workloads.
   */
  async applyTogether(file: string, values: TemplateValues = {}): Promise<KubernetesObject[]> {
    return Promise.all(this.render(file, values).map((object) => this.create(object)));
  }

  async create<T extends KubernetesObject>(object: T): Promise<T> {
    const body = { ...object, metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? this.#namespace } };
    // The create response is the object as the API stored it, after admission.
    const created = await this.#kube.objects.create(body);
    this.#created.push(created);
    const what = `${created.kind ?? object.kind}/${created.metadata?.name ?? ''}`;
    this.#timeline?.action('create', what);
    for (const change of sentFieldChanges(body, created, 'spec')) this.#timeline?.action('admission', `${what}: ${describeChange(change)}`);
    return created as T;
  }

  /** Deletes everything created, newest first; objects already gone are fine. */
  async deleteAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const object of [...this.#created].reverse()) {
      try {
        await unlessNotFound(() => this.#kube.objects.delete(object, undefined, undefined, undefined, undefined, 'Background'));
      } catch (error) {
        errors.push(error);
      }
    }
    this.#created.length = 0;
    if (errors.length > 0) throw new AggregateError(errors, `could not delete ${errors.length} object(s) created by the test`);
  }
}
