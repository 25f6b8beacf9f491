/**
 * A list+watch that survives the ways watches end: it keeps the last resourceVersion
 * seen (bookmarks included), resumes from it when the connection closes or drops,
 * and re-lists when the server answers 410 Gone, reconciling the fresh list against
 * its store so listeners still see every object transition exactly once.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Watch } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';
import { httpStatusOf } from './api-errors.ts';
import { ObjectStore } from './object-store.ts';
import type { StoreChange } from './object-store.ts';
import { collectionPath } from './resources.ts';
import type { ResourceType } from './resources.ts';
import { isGoneStatus, nextWatchAction } from './watch-policy.ts';
import type { WatchEnd } from './watch-policy.ts';

export interface WatchScope {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface WatchChange<T extends KubernetesObject> extends StoreChange<T> {
  /** When this process received the change (host clock). */
  readonly receivedAt: Date;
  /** `list` for changes found by (re-)listing, `watch` for streamed events. */
  readonly origin: 'list' | 'watch';
}

/** A list read straight from the API, with the resourceVersion it was read at. */
export interface FreshList<T extends KubernetesObject> {
  readonly items: T[];
  readonly resourceVersion: string | undefined;
}

export type WatchListener<T extends KubernetesObject> = (change: WatchChange<T>) => void;

/** What waits and recorders need from a watch: the current objects and a change feed. */
export interface WatchSource<T extends KubernetesObject> {
  readonly type: ResourceType;
  objects(): T[];
  subscribe(listener: WatchListener<T>): () => void;
  /** A fresh list of the watched scope, straight from the API (not the store): to verify the watch kept up. */
  listNow?(): Promise<FreshList<T>>;
}

export interface WatchStats {
  readonly reconnects: number;
  readonly relists: number;
  readonly lastError: unknown;
}

export class ResumableWatch<T extends KubernetesObject> implements WatchSource<T> {
  readonly type: ResourceType;
  readonly #kube: KubeClients;
  readonly #scope: WatchScope;
  readonly #store = new ObjectStore<T>();
  readonly #listeners = new Set<WatchListener<T>>();
  readonly #stopper = new AbortController();
  #resourceVersion: string | undefined;
  #connection: AbortController | undefined;
  #reconnects = 0;
  #relists = 0;
  #lastError: unknown;
  #loop: Promise<void> | undefined;

  constructor(kube: KubeClients, type: ResourceType, scope: WatchScope = {}) {
    this.#kube = kube;
    this.type = type;
    this.#scope = scope;
  }

  get stats(): WatchStats {
    return { reconnects: this.#reconnects, relists: this.#relists, lastError: this.#lastError };
  }

  objects(): T[] {
    return this.#store.list();
  }

  get(name: string): T | undefined {
    return this.#store.get(this.type.namespaced ? this.#scope.namespace : undefined, name);
  }

  subscribe(listener: WatchListener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Lists, then keeps watching in the background. Resolves once the first list is in the store. */
  async start(): Promise<void> {
    if (this.#loop !== undefined) throw new Error(`watch of ${this.type.plural} already started`);
    await this.#list();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopper.abort();
    this.#connection?.abort();
    await this.#loop;
  }

  #emit(changes: readonly StoreChange<T>[], origin: 'list' | 'watch'): void {
    const receivedAt = new Date();
    for (const change of changes) {
      for (const listener of this.#listeners) {
        try {
          listener({ ...change, receivedAt, origin });
        } catch (error) {
          // A faulty listener must not break the watch for the others.
          this.#lastError = error;
        }
      }
    }
  }

  async listNow(): Promise<FreshList<T>> {
    const result = await this.#kube.objects.list<T>(
      this.type.apiVersion,
      this.type.kind,
      this.type.namespaced ? this.#scope.namespace : undefined,
      undefined,
      undefined,
      undefined,
      this.#scope.fieldSelector,
      this.#scope.labelSelector,
    );
    const items = result.items.map((item) => ({ ...item, apiVersion: this.type.apiVersion, kind: this.type.kind }));
    return { items, resourceVersion: result.metadata?.resourceVersion };
  }

  async #list(): Promise<void> {
    const result = await this.#kube.objects.list<T>(
      this.type.apiVersion,
      this.type.kind,
      this.type.namespaced ? this.#scope.namespace : undefined,
      undefined,
      undefined,
      undefined,
      this.#scope.fieldSelector,
      this.#scope.labelSelector,
    );
    // List items come without kind/apiVersion; watch events carry them. Make both alike.
    const items = result.items.map((item) => ({ ...item, apiVersion: this.type.apiVersion, kind: this.type.kind }));
    this.#resourceVersion = result.metadata?.resourceVersion;
    this.#emit(this.#store.replace(items), 'list');
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopper.signal.aborted) {
      const end = await this.#watchOnce();
      if (end.kind === 'failed') {
        failures += 1;
        this.#lastError = end.error;
      } else {
        failures = 0;
      }
      const next = nextWatchAction(this.#stopper.signal.aborted ? { kind: 'stopped' } : end, failures);
      if (next.action === 'stop') return;
      if (next.action === 'fatal') {
        this.#lastError = new Error(`watch of ${this.type.plural} stopped: ${next.reason}`, { cause: this.#lastError });
        return;
      }
      if (next.action === 'resume') {
        this.#reconnects += 1;
        if (next.delayMs > 0) await this.#pause(next.delayMs);
        continue;
      }
      this.#relists += 1;
      // Re-listing can fail the same ways a watch can; retry it with the same back-off.
      for (let attempt = 1; !this.#stopper.signal.aborted; attempt += 1) {
        try {
          await this.#list();
          break;
        } catch (error) {
          this.#lastError = error;
          await this.#pause(Math.min(5_000, 250 * 2 ** (attempt - 1)));
        }
      }
    }
  }

  /** Back-off between reconnection attempts; ends early when the watch is stopped. */
  async #pause(ms: number): Promise<void> {
    try {
      await delay(ms, undefined, { signal: this.#stopper.signal });
    } catch {
      // Aborted by stop(): the loop condition ends the watch.
    }
  }

  #watchOnce(): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve) => {
      let goneSeen = false;
      const path = collectionPath(this.type, this.#scope.namespace);
      const query: Record<string, string | boolean | undefined> = {
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        labelSelector: this.#scope.labelSelector,
        fieldSelector: this.#scope.fieldSelector,
      };
      const onEvent = (phase: string, object: unknown): void => {
        if (phase === 'ERROR') {
          if (isGoneStatus(object)) goneSeen = true;
          return;
        }
        const version = (object as KubernetesObject).metadata?.resourceVersion;
        if (version !== undefined) this.#resourceVersion = version;
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') {
          this.#emit(this.#store.apply(phase, object as T), 'watch');
        }
      };
      const onDone = (error: unknown): void => {
        this.#connection = undefined;
        if (this.#stopper.signal.aborted) return resolve({ kind: 'stopped' });
        if (goneSeen) return resolve({ kind: 'gone' });
        if (error === null || error === undefined) return resolve({ kind: 'closed' });
        // client-node aborts a stream idle for 30 s with a TimeoutError; that is a resumable close.
        if (error instanceof DOMException && error.name === 'TimeoutError') return resolve({ kind: 'closed' });
        const httpStatus = httpStatusOf(error);
        if (httpStatus === 410) return resolve({ kind: 'gone' });
        resolve({ kind: 'failed', httpStatus, error });
      };
      new Watch(this.#kube.config)
        .watch(path, query, onEvent, onDone)
        .then((controller) => {
          if (this.#stopper.signal.aborted) controller.abort();
          else this.#connection = controller;
        })
        .catch((error: unknown) => resolve({ kind: 'failed', httpStatus: httpStatusOf(error), error }));
    });
  }
}
