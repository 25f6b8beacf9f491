import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultSession } from '../../src/faults/active-faults.ts';
import type { Fault } from '../../src/faults/fault.ts';
import { Timeline } from '../../src/timeline/timeline.ts';

function fakeFault(inject: () => Promise<void> = async () => {}): Fault {
  return {
    spec: { kind: 'node-pause', target: { node: 'podlaw-worker3' }, durationMs: 30_000 },
    description: 'pause kind node container podlaw-worker3',
    inject,
    recover: async () => {},
  };
}

test('a fault goes on the timeline as data: its spec, injection and recovery', async () => {
  const timeline = new Timeline();
  const session = new FaultSession(timeline);
  const fault = fakeFault();
  const injectedAt = await session.inject(fault);
  const recoveredAt = await session.recover(fault);
  const entries = JSON.parse(JSON.stringify(timeline)).entries as unknown[];
  assert.deepEqual(entries, [
    {
      at: injectedAt.toISOString(),
      kind: 'fault',
      spec: { kind: 'node-pause', target: { node: 'podlaw-worker3' }, durationMs: 30_000 },
      description: 'pause kind node container podlaw-worker3',
      injectedAt: injectedAt.toISOString(),
      injectMs: (entries[0] as { injectMs: number }).injectMs,
      recoveredAt: recoveredAt.toISOString(),
    },
  ]);
  assert.deepEqual(session.active, []);
});

test('a fault whose inject() failed is still recovered, and its recovery recorded', async () => {
  const timeline = new Timeline();
  const session = new FaultSession(timeline);
  await assert.rejects(session.inject(fakeFault(() => Promise.reject(new Error('docker pause failed')))), /docker pause failed/);
  assert.equal(session.active.length, 1);
  await session.recoverAll();
  assert.deepEqual(
    timeline.entries.map((e) => (e.kind === 'action' ? `${e.action}: ${e.description}` : e.kind)),
    ['recover: node-pause: pause kind node container podlaw-worker3'],
  );
});
