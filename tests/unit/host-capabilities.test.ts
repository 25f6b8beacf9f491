import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAP_SYS_RESOURCE, hasCapability, hostLacksSysResource, parseCapabilityMask } from '../../src/provision/host/capabilities.ts';

// CapBnd as read on this workplace's VMs: every capability but bit 24 (CAP_SYS_RESOURCE).
const vmStatus = 'Name:\tcat\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\n';
const laptopStatus = 'CapBnd:\t000001ffffffffff\n';

test('parses the bounding set as a bit mask', () => {
  assert.equal(parseCapabilityMask(vmStatus), 0x1fffeffffffn);
});

test('detects the missing CAP_SYS_RESOURCE on the VM and its presence elsewhere', () => {
  assert.equal(hasCapability(parseCapabilityMask(vmStatus), CAP_SYS_RESOURCE), false);
  assert.equal(hostLacksSysResource(vmStatus), true);
  assert.equal(hostLacksSysResource(laptopStatus), false);
});

test('rejects a status text without the field or with a malformed mask', () => {
  assert.throws(() => parseCapabilityMask('Name:\tx\n'), /no CapBnd/);
  assert.throws(() => parseCapabilityMask('CapBnd:\tzz\n'), /not a hex mask/);
});
