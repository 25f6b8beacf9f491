import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentedOomScoreAdj, documentedQosClass } from '../../src/laws/qos-class.ts';

const equal = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '10m', memory: '32Mi' } };

test('Guaranteed: every container, init included, with cpu and memory limits equal to requests (a limit alone implies its request)', () => {
  assert.equal(documentedQosClass([equal, equal]), 'Guaranteed');
  assert.equal(documentedQosClass([{ limits: { cpu: '10m', memory: '32Mi' } }]), 'Guaranteed');
});

test('one container short of it makes the pod Burstable: an init container without resources, a missing cpu limit, a request below its limit', () => {
  assert.equal(documentedQosClass([equal, {}]), 'Burstable');
  assert.equal(documentedQosClass([{ requests: { memory: '32Mi' }, limits: { memory: '32Mi' } }]), 'Burstable');
  assert.equal(documentedQosClass([{ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '10m', memory: '32Mi' } }]), 'Burstable');
});

test('BestEffort only when no container has any cpu or memory request or limit; other resources do not count', () => {
  assert.equal(documentedQosClass([{}, {}]), 'BestEffort');
  assert.equal(documentedQosClass([{ requests: { 'ephemeral-storage': '1Gi' } }]), 'BestEffort');
  assert.equal(documentedQosClass([{}, { requests: { memory: '1Mi' } }]), 'Burstable');
});

test('oom_score_adj: -997 Guaranteed, 1000 BestEffort, Burstable by its request share of capacity within 3..999', () => {
  const gib = 1024 ** 3;
  assert.equal(documentedOomScoreAdj('Guaranteed', 1, 24 * gib), -997);
  assert.equal(documentedOomScoreAdj('BestEffort', 0, 24 * gib), 1000);
  assert.equal(documentedOomScoreAdj('Burstable', 100 * 1024 ** 2, 24 * gib), 996);
  assert.equal(documentedOomScoreAdj('Burstable', 1, 24 * gib), 999);
  assert.equal(documentedOomScoreAdj('Burstable', 24 * gib, 24 * gib), 3);
});
