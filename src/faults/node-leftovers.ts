/**
 * Everything a node-loss fault can leave on a node when its run is killed, found from
 * the cluster alone and undone: one recover() per fault kind, each built from a spec
 * with only the node, each idempotent. The stale-run collector and the node-loss suite's
 * preflight call this before touching a loss worker.
 *
 * Markers, per kind:
 *   node-pause      the node container paused                          → docker unpause
 *   node-stop       the node container exists and is not running       → docker start, routes re-asserted
 *   node-delete     /var/lib/podlaw-fault/node-delete.json in the node → Node re-created from it, kubelet started
 *   kubelet-stop    kubelet unit not active (marker /run/podlaw-fault/kubelet-stop) → systemctl start kubelet
 *   node-partition  nft table inet podlaw_fault_partition in the node  → table deleted
 *   memory-pressure tmpfs /var/lib/podlaw-fault/memory in the node       → file removed, unmounted
 *   node-taint      taints with key podlaw.dev/fault-*                  → removed
 *   cordon          spec.unschedulable with annotation podlaw.dev/cordoned-by → uncordoned
 */
import type { KubeClients } from '../kube/client.ts';
import { isConflict, unlessNotFound } from '../kube/api-errors.ts';
import type { Fault } from './fault.ts';
import { KubeletStopFault } from './kubelet-stop.ts';
import { NodeDeleteFault } from './node-delete.ts';
import { NodePartitionFault } from './node-partition.ts';
import { MemoryPressureFault } from './memory-pressure.ts';
import { NodePauseFault } from './node-pause.ts';
import { NodeStopFault } from './node-stop.ts';
import { NodeTaintFault } from './node-taint.ts';
import { clusterName } from '../podlaw-cluster.ts';
import { containerState } from '../docker.ts';
import { inNodeStatus } from './node-exec.ts';
import { kubeletStopMarker } from './kubelet-stop.ts';
import { snapshotPath } from './node-delete.ts';
import { partitionTable } from './node-partition.ts';
import { memoryPressureMount } from './memory-pressure.ts';
import { namedTimeout } from '../kube/named-timeout.ts';

/** Kubelet start + node status post + one monitor period: a returning node is Ready within this, with 15 s of slack. */
export const nodeReturnBudget = namedTimeout(
  'node Ready and clean again (kubelet start + status post + node-monitor-period + 15 s slack)',
  60_000,
);

export const cordonAnnotation = 'podlaw.dev/cordoned-by';

/** Uncordons a node that podlaw cordoned (and only such a node). */
export async function uncordonIfPodlaw(kube: KubeClients, node: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const current = await unlessNotFound(() => kube.core.readNode({ name: node }));
    if (current === undefined || current.metadata?.annotations?.[cordonAnnotation] === undefined) return;
    const annotations = { ...current.metadata.annotations };
    delete annotations[cordonAnnotation];
    try {
      await kube.core.replaceNode({
        name: node,
        body: { ...current, metadata: { ...current.metadata, annotations }, spec: { ...current.spec, unschedulable: false } },
      });
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= 10) throw error;
    }
  }
}

/** The recoveries of every node-loss fault kind for one node, in the order they must run. */
export function leftoverRecoveries(kube: KubeClients, node: string): Fault[] {
  return [
    new NodePauseFault(node),
    new NodeStopFault(node, kube),
    new NodeDeleteFault(node, kube),
    new KubeletStopFault(node),
    new NodePartitionFault(node, `${clusterName}-control-plane`),
    new NodeTaintFault(kube, node, 'any', '', 'NoExecute'),
    // Its recovery only looks for the tmpfs; the size is unused.
    new MemoryPressureFault(node, 1024 * 1024),
  ];
}

/**
 * The in-node markers of the recoveries above, each printed by name when present, in one shell line: the test each
 * recovery makes with a docker exec of its own (node-delete's snapshot, kubelet-stop's inactive unit or its marker,
 * node-partition's table, memory-pressure's tmpfs).
 */
export const inNodeMarkerProbe = [
  `test -e ${snapshotPath} && echo node-delete`,
  '[ "$(systemctl is-active kubelet)" = active ] || echo kubelet-stop',
  `test -e ${kubeletStopMarker} && echo kubelet-stop`,
  `nft list table inet ${partitionTable} >/dev/null 2>&1 && echo node-partition`,
  `mountpoint -q ${memoryPressureMount} && echo memory-pressure`,
  'true',
].join('; ');

/** The fault kinds whose markers the probe printed. */
export function markersFound(probeOutput: string): string[] {
  return [...new Set(probeOutput.split('\n').map((line) => line.trim()))].filter((line) => line !== '');
}

/**
 * Whether a node shows none of the recoveries' container-level and in-node traces: running, not paused, and the probe
 * printing nothing. Two docker calls instead of a dozen before every loss test; false (take every recovery in turn)
 * whenever it cannot tell.
 */
export async function showsNoContainerLeftover(node: string): Promise<boolean> {
  const state = await containerState(node);
  if (!state.exists || !state.running || state.paused) return false;
  const probe = await inNodeStatus(node, ['sh', '-c', inNodeMarkerProbe]);
  return probe.exitCode === 0 && markersFound(probe.stdout).length === 0;
}

/** Undoes whatever a killed run left on the node; returns what each recovery did not manage. */
export async function recoverNodeLeftovers(kube: KubeClients, node: string): Promise<string[]> {
  const failures: string[] = [];
  // The API-level ones (taints, cordon) are read from the API either way.
  const recoveries = (await showsNoContainerLeftover(node).catch(() => false))
    ? leftoverRecoveries(kube, node).filter((fault) => fault instanceof NodeTaintFault)
    : leftoverRecoveries(kube, node);
  for (const fault of recoveries) {
    try {
      await fault.recover();
    } catch (error) {
      failures.push(`${fault.spec.kind} on ${node}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    await uncordonIfPodlaw(kube, node);
  } catch (error) {
    failures.push(`uncordon ${node}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return failures;
}
