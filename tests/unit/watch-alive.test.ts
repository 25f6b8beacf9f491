import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { lagging } from '../../src/kube/wait.ts';

const pod = (name: string, rv: string): V1Pod => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

describe('lagging: has the watch delivered what a fresh list shows?', () => {
  it('nothing when the store holds every listed object at its version', () => {
    assert.deepEqual(lagging([pod('a', '10')], { items: [pod('a', '10')], resourceVersion: '12' }), []);
  });
  it('nothing when the store is already ahead of the list', () => {
    assert.deepEqual(lagging([pod('a', '15'), pod('b', '14')], { items: [pod('a', '10')], resourceVersion: '12' }), []);
  });
  it('a change the watch missed (stalled or dead watch)', () => {
    assert.deepEqual(lagging([pod('a', '10')], { items: [pod('a', '11')], resourceVersion: '12' }), ['ns/a@11']);
  });
  it('a deletion the watch missed', () => {
    assert.deepEqual(lagging([pod('a', '10')], { items: [], resourceVersion: '12' }), ['ns/a (deleted)']);
  });
});
