/**
 * Linux capability bits as /proc/<pid>/status reports them. Used to detect VMs whose
 * bounding set lacks CAP_SYS_RESOURCE, where every privileged container fails unless
 * dockerd's runtime strips that capability (see tools/runc-capstrip).
 */
import { readFileSync } from 'node:fs';

export const CAP_SYS_RESOURCE = 24;

/** Parses a capability mask line such as `CapBnd:\t000001fffeffffff`. */
export function parseCapabilityMask(status: string, field: 'CapBnd' | 'CapEff' | 'CapPrm' = 'CapBnd'): bigint {
  const line = status.split('\n').find((l) => l.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`no ${field} line in process status`);
  const hex = line.slice(field.length + 1).trim();
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new Error(`${field} is not a hex mask: ${hex}`);
  return BigInt(`0x${hex}`);
}

export function hasCapability(mask: bigint, capability: number): boolean {
  return ((mask >> BigInt(capability)) & 1n) === 1n;
}

export function hostLacksSysResource(statusText: string = readFileSync('/proc/self/status', 'utf8')): boolean {
  return !hasCapability(parseCapabilityMask(statusText, 'CapBnd'), CAP_SYS_RESOURCE);
}
