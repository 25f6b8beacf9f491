import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectStore } from '../../src/kube/object-store.ts';
import { isGoneStatus, nextWatchAction, reconnectDelayMs } from '../../src/kube/watch-policy.ts';
import { collectionPath, resourceTypes } from '../../src/kube/resources.ts';

function pod(name: string, uid: string, rv: string): KubernetesObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid, resourceVersion: rv } };
}

describe('ObjectStore', () => {
  it('turns watch events into changes with the previous version', () => {
    const store = new ObjectStore<KubernetesObject>();
    assert.equal(store.apply('ADDED', pod('a', 'u1', '1'))[0]?.type, 'ADDED');
    const [modified] = store.apply('MODIFIED', pod('a', 'u1', '2'));
    assert.equal(modified?.type, 'MODIFIED');
    assert.equal(modified?.previous?.metadata?.resourceVersion, '1');
    assert.equal(store.apply('DELETED', pod('a', 'u1', '3'))[0]?.type, 'DELETED');
    assert.equal(store.size, 0);
  });
  it('ignores a replayed version', () => {
    const store = new ObjectStore<KubernetesObject>();
    store.apply('ADDED', pod('a', 'u1', '1'));
    assert.deepEqual(store.apply('MODIFIED', pod('a', 'u1', '1')), []);
  });
  it('reports a same-name object with a new uid as a delete then an add', () => {
    const store = new ObjectStore<KubernetesObject>();
    store.apply('ADDED', pod('web-0', 'u1', '1'));
    const changes = store.apply('ADDED', pod('web-0', 'u2', '5'));
    assert.deepEqual(
      changes.map((c) => [c.type, c.object.metadata?.uid]),
      [
        ['DELETED', 'u1'],
        ['ADDED', 'u2'],
      ],
    );
  });
  it('reconciles a re-list: deletions, modifications, additions, nothing for unchanged', () => {
    const store = new ObjectStore<KubernetesObject>();
    store.replace([pod('keep', 'k', '1'), pod('change', 'c', '1'), pod('gone', 'g', '1'), pod('swap', 's1', '1')]);
    const changes = store.replace([pod('keep', 'k', '1'), pod('change', 'c', '7'), pod('new', 'n', '8'), pod('swap', 's2', '9')]);
    const seen = changes.map((c) => `${c.type} ${c.object.metadata?.name}/${c.object.metadata?.uid}`).sort();
    assert.deepEqual(seen, ['ADDED new/n', 'ADDED swap/s2', 'DELETED gone/g', 'DELETED swap/s1', 'MODIFIED change/c']);
    assert.equal(store.size, 4);
  });
});

describe('watch policy', () => {
  it('re-lists on 410 Gone, from a status or an ERROR event', () => {
    assert.deepEqual(nextWatchAction({ kind: 'gone' }, 0), { action: 'relist' });
    assert.deepEqual(nextWatchAction({ kind: 'failed', httpStatus: 410, error: new Error('gone') }, 1), { action: 'relist' });
    assert.equal(isGoneStatus({ kind: 'Status', code: 410, reason: 'Expired' }), true);
    assert.equal(isGoneStatus({ kind: 'Status', code: 500 }), false);
  });
  it('resumes at once after a clean close or idle timeout', () => {
    assert.deepEqual(nextWatchAction({ kind: 'closed' }, 0), { action: 'resume', delayMs: 0 });
  });
  it('resumes after a growing, capped delay when the connection drops', () => {
    const dropped = { kind: 'failed', httpStatus: undefined, error: new Error('ECONNRESET') } as const;
    assert.deepEqual(nextWatchAction(dropped, 1), { action: 'resume', delayMs: 250 });
    assert.deepEqual(nextWatchAction(dropped, 3), { action: 'resume', delayMs: 1_000 });
    assert.equal(reconnectDelayMs(20), 5_000);
  });
  it('stops on refusal and when stopped', () => {
    assert.equal(nextWatchAction({ kind: 'failed', httpStatus: 403, error: new Error('forbidden') }, 1).action, 'fatal');
    assert.equal(nextWatchAction({ kind: 'stopped' }, 0).action, 'stop');
  });
});

describe('collectionPath', () => {
  it('builds core, grouped and cluster-scoped paths', () => {
    assert.equal(collectionPath(resourceTypes.pod, 'ns'), '/api/v1/namespaces/ns/pods');
    assert.equal(collectionPath(resourceTypes.endpointSlice, 'ns'), '/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices');
    assert.equal(collectionPath(resourceTypes.node), '/api/v1/nodes');
    assert.equal(collectionPath(resourceTypes.pod), '/api/v1/pods');
  });
});
