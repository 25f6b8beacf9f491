import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { zoneBefore } from '../../src/faults/node-zone-label.ts';

describe('zone label leftover: the value to restore', () => {
  it('is the value recorded before podlaw set its own', () => assert.equal(zoneBefore('"eu-west-1a"'), 'eu-west-1a'));
  it('is none when the node had no zone label', () => assert.equal(zoneBefore('null'), null));
  it('is none without the annotation (nothing better is known)', () => assert.equal(zoneBefore(undefined), null));
  it('is never another podlaw value (a stacked leftover)', () => assert.equal(zoneBefore('"podlaw-resync-abc"'), null));
  it('is none when the annotation is not JSON', () => assert.equal(zoneBefore('{'), null));
});
