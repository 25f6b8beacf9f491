/**
 * The wait helpers' own logic (deadline, last seen, holds-for), driven by an in-memory
 * change feed. This says nothing about cluster behaviour; it checks the harness keeps
 * its promise to name what it awaited and carry the last object seen.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { HoldViolatedError, WaitTimeoutError, holdsFor, waitForObject } from '../../src/kube/wait.ts';
import type { WatchChange, WatchListener, WatchSource } from '../../src/kube/watch.ts';
import { resourceTypes } from '../../src/kube/resources.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';

class Feed implements WatchSource<KubernetesObject> {
  readonly type = resourceTypes.pod;
  readonly #objects = new Map<string, KubernetesObject>();
  readonly #listeners = new Set<WatchListener<KubernetesObject>>();
  objects(): KubernetesObject[] {
    return [...this.#objects.values()];
  }
  subscribe(listener: WatchListener<KubernetesObject>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  put(object: KubernetesObject): void {
    const previous = this.#objects.get(object.metadata?.name ?? '');
    this.#objects.set(object.metadata?.name ?? '', object);
    const change: WatchChange<KubernetesObject> = { type: 'MODIFIED', object, previous, receivedAt: new Date(), origin: 'watch' };
    for (const l of this.#listeners) l(change);
  }
}

const object = (name: string, phase: string): KubernetesObject & { status: { phase: string } } => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  status: { phase },
});

describe('waitForObject', () => {
  it('resolves at once when the predicate already holds', async () => {
    const feed = new Feed();
    feed.put(object('a', 'Running'));
    const found = await waitForObject(feed, 'a', (o) => (o as ReturnType<typeof object>).status.phase === 'Running', {
      description: 'a running',
      timeout: namedTimeout('test budget', 1_000),
    });
    assert.equal(found.metadata?.name, 'a');
  });
  it('resolves on a later change', async () => {
    const feed = new Feed();
    feed.put(object('a', 'Pending'));
    const waiting = waitForObject(feed, 'a', (o) => (o as ReturnType<typeof object>).status.phase === 'Running', {
      description: 'a running',
      timeout: namedTimeout('test budget', 1_000),
    });
    feed.put(object('a', 'Running'));
    assert.equal((await waiting).metadata?.name, 'a');
  });
  it('times out naming what it awaited, the timeout, and the last object seen', async () => {
    const feed = new Feed();
    feed.put(object('a', 'Pending'));
    const error = await waitForObject(feed, 'a', () => false, {
      description: 'pod a running',
      timeout: namedTimeout('liveness 3 × 0.01 s', 30),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof WaitTimeoutError);
    assert.equal(error.awaited, 'pod a running');
    assert.equal(error.timeout.name, 'liveness 3 × 0.01 s');
    assert.deepEqual(error.lastSeen, object('a', 'Pending'));
    assert.match(error.message, /pod a running/);
    assert.match(error.message, /Pending/);
  });
});

describe('holdsFor', () => {
  it('resolves when nothing violates the expectation within the window', async () => {
    const feed = new Feed();
    feed.put(object('a', 'Running'));
    await holdsFor(feed, (objects) => objects.find((o) => (o as ReturnType<typeof object>).status.phase !== 'Running'), {
      expectation: 'a keeps running',
      window: namedTimeout('window', 20),
    });
  });
  it('rejects at the first violation with the violating object', async () => {
    const feed = new Feed();
    feed.put(object('a', 'Running'));
    const holding = holdsFor(feed, (objects) => objects.find((o) => (o as ReturnType<typeof object>).status.phase !== 'Running'), {
      expectation: 'a keeps running',
      window: namedTimeout('window', 1_000),
    });
    feed.put(object('a', 'Failed'));
    await assert.rejects(
      holding,
      (e: unknown) => e instanceof HoldViolatedError && (e.violation as ReturnType<typeof object>).status.phase === 'Failed',
    );
  });
});
