import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRuntimeExit } from '../../src/harness/runtime.ts';

describe('parseRuntimeExit: crictl inspect JSON', () => {
  it("reads an exited container's finishedAt with its sub-second part", () => {
    const json = JSON.stringify({ status: { state: 'CONTAINER_EXITED', finishedAt: '2026-11-23T10:18:32.066983515Z' }, info: {} });
    assert.deepEqual(parseRuntimeExit(json), { finishedAt: new Date('2026-11-23T10:18:32.066Z') });
  });
  it('says why when the container is still running (zero finishedAt)', () => {
    const json = JSON.stringify({ status: { state: 'CONTAINER_RUNNING', finishedAt: '0001-01-01T00:00:00Z' } });
    assert.deepEqual(parseRuntimeExit(json), { unavailable: 'runtime reports state CONTAINER_RUNNING, finishedAt 0001-01-01T00:00:00Z' });
  });
});
