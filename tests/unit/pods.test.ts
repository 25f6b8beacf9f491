import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { containerRuns, isPodReady, reportedTermination, restartGaps, statusWrittenBy } from '../../src/kube/pod-status.ts';
import { choosePods } from '../../src/faults/selection.ts';
import { podSummary, endpointSliceSummary } from '../../src/timeline/summaries.ts';

const t = (s: number): string => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();

function version(current: object, last?: object, restartCount = 0, containerID?: string): V1Pod {
  return {
    metadata: { name: 'crash' },
    status: {
      containerStatuses: [
        {
          name: 'app',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount,
          ...(containerID !== undefined ? { containerID } : {}),
          state: current,
          ...(last !== undefined ? { lastState: last } : {}),
        },
      ],
    },
  } as unknown as V1Pod;
}

describe('containerRuns and restartGaps', () => {
  it('merges runs seen in state and lastState across versions, by container id', () => {
    const versions = [
      version({ running: { startedAt: t(0) } }),
      version({ terminated: { containerID: 'c1', startedAt: t(0), finishedAt: t(1), exitCode: 1, reason: 'Error' } }),
      // The first restart is immediate: the running run carries the first one in lastState.
      version({ running: { startedAt: t(1) } }, { terminated: { containerID: 'c1', startedAt: t(0), finishedAt: t(1), exitCode: 1 } }, 1),
      version(
        { waiting: { reason: 'CrashLoopBackOff' } },
        { terminated: { containerID: 'c2', startedAt: t(1), finishedAt: t(2), exitCode: 1 } },
        1,
      ),
      version(
        { terminated: { containerID: 'c3', startedAt: t(12), finishedAt: t(13), exitCode: 1 } },
        { terminated: { containerID: 'c2', startedAt: t(1), finishedAt: t(2), exitCode: 1 } },
        2,
      ),
    ];
    // The running states above lack containerID in this fixture, so only terminated runs count.
    const runs = containerRuns(versions, 'app');
    assert.deepEqual(
      runs.map((r) => r.containerID),
      ['c1', 'c2', 'c3'],
    );
    assert.deepEqual(restartGaps(runs), [0, 10_000]);
  });
  it('places a run the runtime failed to start at the time it failed', () => {
    const versions = [
      version({ terminated: { containerID: 'c1', startedAt: t(0), finishedAt: t(1), exitCode: 1, reason: 'Error' } }),
      version(
        { terminated: { containerID: 'c2', startedAt: new Date(0).toISOString(), finishedAt: t(3), exitCode: 128, reason: 'StartError' } },
        { terminated: { containerID: 'c1', startedAt: t(0), finishedAt: t(1), exitCode: 1 } },
        1,
      ),
    ];
    const runs = containerRuns(versions, 'app');
    assert.deepEqual(
      runs.map((r) => r.containerID),
      ['c1', 'c2'],
    );
    assert.deepEqual(restartGaps(runs), [2_000]);
  });
  it('orders two runs that started within one second by their end: the one that ended came first', () => {
    // Seen first with the second run already running (the first restart is immediate) and the first in lastState.
    const pod = version(
      { running: { startedAt: t(5) } },
      { terminated: { containerID: 'c1', startedAt: t(5), finishedAt: t(5), exitCode: 1, reason: 'Error' } },
      1,
      'c2',
    );
    const runs = containerRuns([pod], 'app');
    assert.deepEqual(
      runs.map((r) => [r.containerID, r.exitCode]),
      [
        ['c1', 1],
        ['c2', undefined],
      ],
    );
    assert.deepEqual(restartGaps(runs), [0]);
  });
  it('stops at a run that has not finished', () => {
    const runs = [
      { containerID: 'a', startedAt: new Date(0), finishedAt: new Date(1_000), exitCode: 1, reason: 'Error' },
      { containerID: 'b', startedAt: new Date(2_000), finishedAt: undefined, exitCode: undefined, reason: undefined },
      { containerID: 'c', startedAt: new Date(9_000), finishedAt: new Date(9_500), exitCode: 1, reason: 'Error' },
    ];
    assert.deepEqual(restartGaps(runs), [1_000]);
  });
});

describe('pod helpers', () => {
  it('reads the Ready condition', () => {
    assert.equal(isPodReady({ status: { conditions: [{ type: 'Ready', status: 'True' }] } } as V1Pod), true);
    assert.equal(isPodReady({ status: { conditions: [{ type: 'Ready', status: 'False' }] } } as V1Pod), false);
    assert.equal(isPodReady({} as V1Pod), false);
  });
  it('summarises pods and endpoint slices on one line', () => {
    const pod = version({ running: { startedAt: t(0) } }, undefined, 2);
    assert.match(podSummary(pod), /app=running,unready,restarts=2/);
    const slice = {
      addressType: 'IPv4',
      metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'web' } },
      endpoints: [
        { addresses: ['10.0.0.1'], targetRef: { name: 'web-0' }, conditions: { ready: false, serving: true, terminating: true } },
      ],
    };
    assert.equal(endpointSliceSummary(slice), 'service=web [web-0(ready=0,serving=1,terminating=1)]');
  });
});

describe('reportedTermination', () => {
  const unknown = { reason: 'ContainerStatusUnknown', exitCode: 137 };
  const pod = (phase: string, state: object, lastState: object = {}): V1Pod =>
    ({ status: { phase, containerStatuses: [{ name: 'app', state, lastState }] } }) as V1Pod;
  it('reads state.terminated whatever the phase', () => {
    const terminated = { reason: 'Error', exitCode: 137 };
    assert.deepEqual(reportedTermination(pod('Running', { terminated }), 'app'), { terminated, field: 'state.terminated' });
  });
  it('reads lastState.terminated of a waiting container in a Failed pod (removed before the terminal status)', () => {
    const found = reportedTermination(pod('Failed', { waiting: { reason: 'ContainerCreating' } }, { terminated: unknown }), 'app');
    assert.deepEqual(found, { terminated: unknown, field: 'lastState.terminated' });
  });
  it('does not take lastState as the end while the pod can still restart the container, or while it runs', () => {
    assert.equal(
      reportedTermination(pod('Running', { waiting: { reason: 'CrashLoopBackOff' } }, { terminated: unknown }), 'app'),
      undefined,
    );
    assert.equal(reportedTermination(pod('Failed', { running: {} }, { terminated: unknown }), 'app'), undefined);
    assert.equal(reportedTermination(pod('Failed', { waiting: {} }), 'app'), undefined);
    assert.equal(reportedTermination(pod('Failed', { waiting: {} }, { terminated: unknown }), 'other'), undefined);
  });
  it("does not take an earlier run's end in lastState for this container's (a restarted container's crash)", () => {
    const earlier = { reason: 'Error', exitCode: 1, containerID: 'containerd://earlier' };
    assert.equal(reportedTermination(pod('Failed', { waiting: {} }, { terminated: earlier }), 'app'), undefined);
    const withId = { ...unknown, containerID: 'containerd://x' };
    assert.equal(reportedTermination(pod('Failed', { waiting: {} }, { terminated: withId }), 'app'), undefined);
  });
});

describe('choosePods', () => {
  const pods = ['c', 'a', 'b', 'gone'].map(
    (name) =>
      ({
        metadata: { name, ...(name === 'gone' ? { deletionTimestamp: new Date() } : {}) },
        status: { phase: 'Running' },
      }) as V1Pod,
  );
  it('skips pods being deleted and chooses deterministically', () => {
    assert.deepEqual(
      choosePods(pods, { namespace: 'ns' }, { kind: 'all' }).map((p) => p.metadata?.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      choosePods(pods, { namespace: 'ns' }, { kind: 'one' }).map((p) => p.metadata?.name),
      ['a'],
    );
    assert.deepEqual(
      choosePods(pods, { namespace: 'ns', names: ['c', 'gone'] }, { kind: 'fixed', count: 2 }).map((p) => p.metadata?.name),
      ['c'],
    );
  });
});

describe('statusWrittenBy', () => {
  const pod = (fields: { manager: string; subresource?: string }[]): V1Pod => ({
    metadata: { managedFields: fields.map((f) => ({ ...f, operation: 'Update' })) },
  });
  it("tells the node lifecycle controller's status write from the kubelet's", () => {
    const kubeletOnly = pod([{ manager: 'kubelet', subresource: 'status' }, { manager: 'kube-controller-manager' }]);
    assert.equal(statusWrittenBy(kubeletOnly, 'kube-controller-manager'), false);
    const marked = pod([
      { manager: 'kubelet', subresource: 'status' },
      { manager: 'kube-controller-manager', subresource: 'status' },
    ]);
    assert.equal(statusWrittenBy(marked, 'kube-controller-manager'), true);
  });
  it('is false without managedFields', () => assert.equal(statusWrittenBy({}, 'kubelet'), false));
});
