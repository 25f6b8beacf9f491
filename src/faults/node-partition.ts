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

/** The nft script that installs the partition. Pure. */
export function partitionRules(controlPlaneIP: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(controlPlaneIP)) throw new Error(`not an IPv4 address: ${JSON.stringify(controlPlaneIP)}`);
  return [
    `table inet ${partitionTable} {`,
    `  comment "podlaw node-partition fault: node cut from the control plane ${controlPlaneIP}"`,
    '  chain output {',
    '    type filter hook output priority -300; policy accept;',
    `    ip daddr ${controlPlaneIP} drop`,
    '  }',
    '  chain input {',
    '    type filter hook input priority -300; policy accept;',
    `    ip saddr ${controlPlaneIP} drop`,
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
    const resolved = (await inNode(this.#node, ['getent', 'ahostsv4', this.#controlPlane])).split(/\s+/)[0] ?? '';
    await execa('docker', ['exec', '-i', this.#node, 'nft', '-f', '-'], { input: partitionRules(resolved) });
  }

  /** Idempotent: deletes the table when present; a stopped or gone container needs nothing. */
  async recover(): Promise<void> {
    const state = await containerState(this.#node);
    if (!state.running || state.paused) return;
    const listed = await inNodeStatus(this.#node, ['nft', 'list', 'table', 'inet', partitionTable]);
    if (listed.exitCode === 0) await inNode(this.#node, ['nft', 'delete', 'table', 'inet', partitionTable]);
  }
}
