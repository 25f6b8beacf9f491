/**
 * Commands inside a kind node container (the node's own network and PID namespace),
 * for faults that act on a node's processes or filters rather than on the container.
 */
import { execa } from 'execa';

/** Runs a command in the node container; rejects with its stderr when it fails. */
export async function inNode(node: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execa('docker', ['exec', node, ...args]);
  return stdout;
}

/** Runs a command in the node container and returns its exit code (never rejects on a non-zero exit). */
export async function inNodeStatus(node: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa('docker', ['exec', node, ...args], { reject: false });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** systemd's view of the kubelet unit: "active", "inactive", "activating", "failed"… */
export async function kubeletUnitState(node: string): Promise<string> {
  return (await inNodeStatus(node, ['systemctl', 'is-active', 'kubelet'])).stdout.trim();
}
