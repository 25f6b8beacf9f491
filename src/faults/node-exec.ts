/**
 * Commands inside a kind node container (the node's own network and PID namespace),
 * for faults that act on a node's processes or filters rather than on the container.
 */
import { dockerExec, dockerExecStatus } from '../docker.ts';

/** Runs a command in the node container; rejects with its stderr when it fails. */
export async function inNode(node: string, args: readonly string[]): Promise<string> {
  return dockerExec(node, args);
}

/** Runs a command in the node container and returns its exit code (never rejects on a non-zero exit). */
export async function inNodeStatus(node: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await dockerExecStatus(node, args);
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** systemd's view of the kubelet unit: "active", "inactive", "activating", "failed"… */
export async function kubeletUnitState(node: string): Promise<string> {
  return (await inNodeStatus(node, ['systemctl', 'is-active', 'kubelet'])).stdout.trim();
}
