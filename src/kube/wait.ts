/**
 * Waiting is watching: a wait subscribes to a watch and evaluates its predicate on
 * every change until it holds, or fails after a named timeout with the last object
 * it saw. `holdsFor` is the converse: a named window during which something must not
 * happen, ended early by the first violation.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { NamedTimeout } from './named-timeout.ts';
import { describeTimeout, namedTimeout } from './named-timeout.ts';
import type { FreshList, WatchChange, WatchSource } from './watch.ts';

export class WaitTimeoutError extends Error {
  /** What was awaited, in words. */
  readonly awaited: string;
  readonly timeout: NamedTimeout;
  /** The last object the wait saw (the object of interest, or the last change), if any. */
  readonly lastSeen: unknown;

  constructor(awaited: string, timeout: NamedTimeout, lastSeen: unknown) {
    super(`timed out after ${describeTimeout(timeout)} waiting for ${awaited}; last seen: ${renderLastSeen(lastSeen)}`);
    this.name = 'WaitTimeoutError';
    this.awaited = awaited;
    this.timeout = timeout;
    this.lastSeen = lastSeen;
  }
}

export class HoldViolatedError extends Error {
  readonly expectation: string;
  readonly window: NamedTimeout;
  readonly violation: unknown;

  constructor(expectation: string, window: NamedTimeout, violation: unknown, afterMs: number) {
    super(
      `expected ${expectation} for ${describeTimeout(window)}, but it was violated after ${(afterMs / 1000).toFixed(1)} s by: ${renderLastSeen(violation)}`,
    );
    this.name = 'HoldViolatedError';
    this.expectation = expectation;
    this.window = window;
    this.violation = violation;
  }
}

const lastSeenLimit = 3_000;

/** Compact rendering of an object for an error line: metadata essentials and status. */
export function renderLastSeen(value: unknown): string {
  if (value === undefined) return 'nothing (no matching object was ever seen)';
  let text: string;
  if (typeof value === 'object' && value !== null && 'metadata' in value) {
    const object = value as KubernetesObject & { status?: unknown };
    text = JSON.stringify({
      kind: object.kind,
      name: object.metadata?.name,
      uid: object.metadata?.uid,
      deletionTimestamp: object.metadata?.deletionTimestamp,
      status: object.status,
    });
  } else {
    text = JSON.stringify(value) ?? String(value);
  }
  return text.length > lastSeenLimit ? `${text.slice(0, lastSeenLimit)}…` : text;
}

export interface WaitOptions {
  /** What is awaited, in words: "pod web-0 restarted once". */
  readonly description: string;
  readonly timeout: NamedTimeout;
  /** What to report as last seen on timeout; defaults to the object of the last change. */
  readonly lastSeen?: () => unknown;
  /** Other watches whose changes also affect the predicate (e.g. events next to pods). */
  readonly alsoOn?: readonly Pick<WatchSource<KubernetesObject>, 'subscribe'>[];
}

/**
 * Resolves with the first non-undefined result of `evaluate`, which is called on the
 * current objects at once and again after each change.
 */
export function waitFor<T extends KubernetesObject, R>(
  source: WatchSource<T>,
  evaluate: (objects: readonly T[], change: WatchChange<T> | undefined) => R | undefined,
  options: WaitOptions,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let lastChange: WatchChange<T> | undefined;
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      unsubscribe();
      outcome();
    };
    const check = (change: WatchChange<T> | undefined): void => {
      let result: R | undefined;
      try {
        result = evaluate(source.objects(), change);
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (result !== undefined) {
        const value = result;
        finish(() => resolve(value));
      }
    };
    const unsubscribers = [
      source.subscribe((change) => {
        lastChange = change;
        check(change);
      }),
      ...(options.alsoOn ?? []).map((other) => other.subscribe(() => check(undefined))),
    ];
    const unsubscribe = (): void => unsubscribers.forEach((u) => u());
    const deadline = setTimeout(() => {
      const lastSeen = options.lastSeen !== undefined ? options.lastSeen() : lastChange?.object;
      finish(() => reject(new WaitTimeoutError(options.description, options.timeout, lastSeen)));
    }, options.timeout.ms);
    check(undefined);
  });
}

/** Waits for one named object to satisfy a predicate; reports that object as last seen. */
export function waitForObject<T extends KubernetesObject>(
  source: WatchSource<T>,
  name: string,
  predicate: (object: T) => boolean,
  options: Omit<WaitOptions, 'lastSeen'>,
): Promise<T> {
  let last: T | undefined;
  return waitFor(
    source,
    (objects) => {
      const object = objects.find((o) => o.metadata?.name === name);
      if (object === undefined) return undefined;
      last = object;
      return predicate(object) ? object : undefined;
    },
    { ...options, lastSeen: () => last },
  );
}

/** Waits until no object of that name (or of that uid, when given) exists. */
export function waitForGone<T extends KubernetesObject>(
  source: WatchSource<T>,
  name: string,
  options: Omit<WaitOptions, 'lastSeen'> & { readonly uid?: string },
): Promise<Date> {
  let last: T | undefined;
  return waitFor(
    source,
    (objects) => {
      const object = objects.find((o) => o.metadata?.name === name && (options.uid === undefined || o.metadata?.uid === options.uid));
      if (object !== undefined) {
        last = object;
        return undefined;
      }
      return new Date();
    },
    { description: options.description, timeout: options.timeout, lastSeen: () => last },
  );
}

/** How long a live watch may take to deliver a change a fresh list already shows (apiserver watch cache → client). */
export const watchCatchUp = namedTimeout('watch delivers what a fresh list shows (watch delivery 5 s)', 5_000);

/**
 * Resolves after `window` if `violation` never returns a value meanwhile; rejects at
 * the first violation with what violated it. A quiet window proves nothing by itself, so
 * when the source can list afresh (a ResumableWatch) the end of the window is verified:
 * the objects are re-read from the API and checked again, and the watch must have
 * delivered every version that list shows (within watchCatchUp): a dead or stalled watch
 * that missed a change — even one that went away again — fails instead of passing.
 */
export function holdsFor<T extends KubernetesObject, V>(
  source: WatchSource<T>,
  violation: (objects: readonly T[]) => V | undefined,
  options: { readonly expectation: string; readonly window: NamedTimeout },
): Promise<void> {
  return quietFor(source, violation, options).then(async () => {
    if (source.listNow === undefined) return;
    const fresh = await source.listNow();
    const found = violation(fresh.items);
    if (found !== undefined) throw new HoldViolatedError(options.expectation, options.window, found, options.window.ms);
    await waitFor(source, (objects) => (lagging(objects, fresh).length === 0 ? true : undefined), {
      description: `the watch of ${source.type.plural} to show the versions a fresh list shows (watch alive over the window)`,
      timeout: watchCatchUp,
      lastSeen: () => lagging(source.objects(), fresh),
    });
  });
}

/**
 * What the watch's store has not caught up with, compared with a fresh list: objects the
 * list shows at a version the store does not hold yet, and objects the store still holds
 * that the list (read after them) no longer shows: a missed deletion. resourceVersions are
 * compared as integers when both are (etcd revisions, which is what kube-apiserver
 * serves), so a store already ahead of the list counts as caught up.
 */
export function lagging<T extends KubernetesObject>(store: readonly T[], fresh: FreshList<T>): string[] {
  const key = (o: T): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  const held = new Map(store.map((o) => [key(o), o]));
  const listed = new Set(fresh.items.map(key));
  const behind = fresh.items.filter((o) => !atLeast(held.get(key(o))?.metadata?.resourceVersion, o.metadata?.resourceVersion));
  const gone = store.filter((o) => !listed.has(key(o)) && !atLeast(o.metadata?.resourceVersion, increment(fresh.resourceVersion)));
  return [...behind.map((o) => `${key(o)}@${o.metadata?.resourceVersion ?? '?'}`), ...gone.map((o) => `${key(o)} (deleted)`)];
}

function increment(version: string | undefined): string | undefined {
  return version !== undefined && /^\d+$/.test(version) ? String(BigInt(version) + 1n) : undefined;
}

function atLeast(mine: string | undefined, listed: string | undefined): boolean {
  if (mine === listed) return true;
  if (mine === undefined || listed === undefined || !/^\d+$/.test(mine) || !/^\d+$/.test(listed)) return false;
  return BigInt(mine) >= BigInt(listed);
}

function quietFor<T extends KubernetesObject, V>(
  source: WatchSource<T>,
  violation: (objects: readonly T[]) => V | undefined,
  options: { readonly expectation: string; readonly window: NamedTimeout },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const startedAt = Date.now();
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(windowEnd);
      unsubscribe();
      outcome();
    };
    const check = (): void => {
      const found = violation(source.objects());
      if (found !== undefined) {
        finish(() => reject(new HoldViolatedError(options.expectation, options.window, found, Date.now() - startedAt)));
      }
    };
    const unsubscribe = source.subscribe(() => check());
    const windowEnd = setTimeout(() => finish(resolve), options.window.ms);
    check();
  });
}
