/**
 * What the node's container runtime knows more precisely than the API: a container's
 * exit time in nanoseconds (the pod status serializes finishedAt in whole seconds).
 * Read with crictl inside the kind node; the kubelet keeps the last dead container of
 * each name until garbage collection, so a restarted container's previous run is there.
 */
import type { V1ContainerStateTerminated } from '@kubernetes/client-node';
import { inNodeStatus } from '../faults/node-exec.ts';

/** The runtime's exit time of a container (containerStatus id "containerd://<id>"), or why it could not be read. */
export type RuntimeExit = { readonly finishedAt: Date } | { readonly unavailable: string };

export async function runtimeFinishedAt(node: string, containerId: string): Promise<RuntimeExit> {
  const id = containerId.replace(/^[a-z]+:\/\//, '');
  const result = await inNodeStatus(node, ['crictl', 'inspect', '-o', 'json', id]).catch((error: unknown) => ({
    exitCode: -1,
    stdout: '',
    stderr: error instanceof Error ? error.message : String(error),
  }));
  if (result.exitCode !== 0) return { unavailable: `crictl inspect in node ${node}: ${result.stderr.trim().split('\n')[0] ?? ''}` };
  return parseRuntimeExit(result.stdout);
}

/** crictl's `.status.finishedAt` (RFC 3339 with ns) → a Date (ms), or why not. Pure. */
export function parseRuntimeExit(json: string): RuntimeExit {
  const status = (JSON.parse(json) as { status?: { finishedAt?: string; state?: string } }).status;
  const at = status?.finishedAt === undefined ? Number.NaN : Date.parse(status.finishedAt);
  if (status?.state !== 'CONTAINER_EXITED' || Number.isNaN(at) || at <= 0)
    return { unavailable: `runtime reports state ${status?.state ?? 'none'}, finishedAt ${status?.finishedAt ?? 'none'}` };
  return { finishedAt: new Date(at) };
}

/** The most precise exit time at hand, and where it came from: the runtime's, else the API's whole-second finishedAt. */
export interface ExitTime {
  readonly ms: number;
  readonly from: 'runtime' | 'api';
  /** Empty, or "; <why the runtime's time was unavailable>" to append to a source. */
  readonly note: string;
}

export async function containerExitTime(node: string, terminated: V1ContainerStateTerminated | undefined): Promise<ExitTime> {
  const exit = await runtimeFinishedAt(node, terminated?.containerID ?? '');
  if ('finishedAt' in exit) return { ms: exit.finishedAt.getTime(), from: 'runtime', note: '' };
  return { ms: new Date(terminated?.finishedAt ?? 0).getTime(), from: 'api', note: `; ${exit.unavailable}` };
}
