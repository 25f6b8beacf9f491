/**
 * Node loss by network partition: an nftables table inside the node container drops
 * every packet between the node's own processes (kubelet, kube-proxy, containerd) and
 * the control plane's address, in both directions. Pods' forwarded traffic does not
 * cross the input/output hooks of the node, so pods keep serving each other.
 *
 * The whole filter is one table named `podlaw_fault_partition` (family inet): recovery
 * deletes exactly that table and nothing else, and finds it by name alone, so a run
 * killed mid-fault is undone by the next run from the spec.
 */
import { execa } from 'execa';
import { containerState } from '../docker.ts';
import type { Fault } from './fault.ts';
import type { FaultSpec } from './fault-spec.ts';
import { inNode, inNodeStatus } from './node-exec.ts';

export const partitionTable = 'podlaw_fault_partition';

/**
 * The nft script that installs the partition. Pure. Every address of the control plane is cut,
 * IPv6 included: with only IPv4 dropped the kubelet re-dialled over the kind network's IPv6
 * address about 30 s later and the node came back (seen here).
 */
export function partitionRules(controlPlaneAddresses: readonly string[]): string {
  const v4 = controlPlaneAddresses.filter((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a));
  const v6 = controlPlaneAddresses.filter((a) => /^[0-9a-fA-F:]+$/.test(a) && a.includes(':'));
  if (v4.length + v6.length !== controlPlaneAddresses.length || controlPlaneAddresses.length === 0) {
    throw new Error(`not a list of IP addresses: ${JSON.stringify(controlPlaneAddresses)}`);
  }
  const drops = (direction: 'daddr' | 'saddr'): string[] => [
    ...v4.map((a) => `    ip ${direction} ${a} drop`),
    ...v6.map((a) => `    ip6 ${direction} ${a} drop`),
  ];
  return [
    `table inet ${partitionTable} {`,
    `  comment "podlaw node-partition fault: node cut from the control plane ${controlPlaneAddresses.join(' ')}"`,
    '  chain output {',
    '    type filter hook output priority -300; policy accept;',
    ...drops('daddr'),
    '  }',
    '  chain input {',
    '    type filter hook input priority -300; policy accept;',
    ...drops('saddr'),
    '  }',
    '}',
    '',
  ].join('\n');
}

export class NodePartitionFault implements Fault {
  readonly kind = 'node-partition';
  readonly spec: FaultSpec;
  readonly description: string;
  readonly #node: string;
  readonly #controlPlane: string;

  constructor(node: string, controlPlaneContainer: string) {
    this.#node = node;
    this.#controlPlane = controlPlaneContainer;
    this.spec = { kind: this.kind, target: { node }, params: { from: controlPlaneContainer, table: `inet ${partitionTable}` } };
    this.description = `nft table inet ${partitionTable} in ${node} drops all traffic to and from ${controlPlaneContainer}`;
  }

  async inject(): Promise<void> {
    // The control plane's address as the node resolves it (Docker's DNS on the kind network).
    const resolved = await this.#controlPlaneAddresses();
    await execa('docker', ['exec', '-i', this.#node, 'nft', '-f', '-'], { input: partitionRules(resolved) });
  }

  /** Every address the node resolves the control plane to (IPv4 and IPv6: Docker's DNS on the kind network answers both). */
  async #controlPlaneAddresses(): Promise<string[]> {
    const lines = (await inNode(this.#node, ['getent', 'ahosts', this.#controlPlane])).split('\n');
    return [...new Set(lines.map((l) => l.trim().split(/\s+/)[0] ?? '').filter((a) => a !== ''))];
  }

  /** Idempotent: deletes the table when present; a stopped or gone container needs nothing. */
  async recover(): Promise<void> {
    const state = await containerState(this.#node);
    if (!state.running || state.paused) return;
    const listed = await inNodeStatus(this.#node, ['nft', 'list', 'table', 'inet', partitionTable]);
    if (listed.exitCode === 0) await inNode(this.#node, ['nft', 'delete', 'table', 'inet', partitionTable]);
  }
}
