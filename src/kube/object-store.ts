/**
 * The local copy of a watched collection. Pure: it applies watch events and
 * reconciles a fresh list against what it held, returning the changes a listener
 * should see, so that a re-list after 410 Gone neither loses nor repeats a transition.
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange<T extends KubernetesObject> {
  readonly type: ChangeType;
  readonly object: T;
  /** The version held before this change, when there was one. */
  readonly previous: T | undefined;
}

export function objectKey(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

function sameVersion(a: KubernetesObject, b: KubernetesObject): boolean {
  return a.metadata?.uid === b.metadata?.uid && a.metadata?.resourceVersion === b.metadata?.resourceVersion;
}

export class ObjectStore<T extends KubernetesObject> {
  readonly #objects = new Map<string, T>();

  get size(): number {
    return this.#objects.size;
  }

  list(): T[] {
    return [...this.#objects.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#objects.get(`${namespace ?? ''}/${name}`);
  }

  /** Applies one watch event. Returns no change for a replayed version already held. */
  apply(type: ChangeType, object: T): StoreChange<T>[] {
    const key = objectKey(object);
    const previous = this.#objects.get(key);
    if (type === 'DELETED') {
      this.#objects.delete(key);
      return [{ type, object, previous }];
    }
    if (previous !== undefined && sameVersion(previous, object)) return [];
    this.#objects.set(key, object);
    if (previous !== undefined && previous.metadata?.uid !== object.metadata?.uid) {
      // Same name, new object: the old one went away while we were not looking.
      return [
        { type: 'DELETED', object: previous, previous },
        { type: 'ADDED', object, previous: undefined },
      ];
    }
    return [{ type: previous === undefined ? 'ADDED' : 'MODIFIED', object, previous }];
  }

  /** Replaces the content with a full list and returns the differences as changes. */
  replace(items: readonly T[]): StoreChange<T>[] {
    const changes: StoreChange<T>[] = [];
    const incoming = new Map(items.map((item) => [objectKey(item), item] as const));
    for (const [key, held] of this.#objects) {
      const fresh = incoming.get(key);
      if (fresh === undefined || fresh.metadata?.uid !== held.metadata?.uid) {
        this.#objects.delete(key);
        changes.push({ type: 'DELETED', object: held, previous: held });
      }
    }
    for (const item of items) changes.push(...this.apply('ADDED', item));
    return changes;
  }
}
