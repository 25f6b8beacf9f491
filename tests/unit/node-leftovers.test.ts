import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inNodeMarkerProbe, markersFound } from '../../src/faults/node-leftovers.ts';
import { snapshotPath } from '../../src/faults/node-delete.ts';
import { kubeletStopMarker } from '../../src/faults/kubelet-stop.ts';
import { partitionTable } from '../../src/faults/node-partition.ts';
import { memoryPressureMount } from '../../src/faults/memory-pressure.ts';

describe('the one-exec probe for in-node leftovers', () => {
  it('tests every marker the recoveries test one by one', () => {
    for (const marker of [snapshotPath, kubeletStopMarker, `inet ${partitionTable}`, memoryPressureMount, 'systemctl is-active kubelet']) {
      assert.ok(inNodeMarkerProbe.includes(marker), `probe lacks ${marker}`);
    }
  });
  it('ends true, so a node without leftovers exits 0 with nothing printed', () => assert.match(inNodeMarkerProbe, /; true$/));
  it('reads nothing found from empty output', () => assert.deepEqual(markersFound(''), []));
  it('reads each kind once (the kubelet stopped and its marker both name kubelet-stop)', () =>
    assert.deepEqual(markersFound('kubelet-stop\nnode-partition\nkubelet-stop\n'), ['kubelet-stop', 'node-partition']));
});
