/**
 * `cluster up`'s recovery of the in-node traces a killed run left (src/faults/node-leftovers.ts): a stopped kubelet, a
 * deleted Node's snapshot, a partition's nft table, a memory-pressure tmpfs. Without it, a run killed while a node was
 * lost this way left a node Ready=Unknown or missing, and the next `cluster up` recreated the whole cluster (seen: a
 * SIGKILL while NOD-10 had deleted podlaw-worker3's Node gave "4 nodes registered, 5 expected", then a new cluster).
 * Each node that shows a trace is recovered in its faults' order (the Node re-created before its kubelet starts), then
 * waited for until Ready, so the state read next judges the cluster rather than a node on its way back.
 */
import { execa } from 'execa';
import { nodeReturnBudget, recoverNodeLeftovers, showsNoContainerLeftover } from '../../faults/node-leftovers.ts';
import { connect } from '../../kube/client.ts';
import { kubeContext, nodeContainers, ownKubeconfigPath } from '../../podlaw-cluster.ts';
import type { Progress } from '../lib/progress.ts';

/** Recovers every node container showing an in-node trace; what could not be undone is logged, and the state read decides. */
export async function recoverInNodeLeftovers(progress: Progress, kubectl: string): Promise<void> {
  const traced = (
    await Promise.all(nodeContainers.map(async (node) => ((await showsNoContainerLeftover(node).catch(() => false)) ? [] : [node])))
  ).flat();
  if (traced.length === 0) return;
  const kube = connect(ownKubeconfigPath(), kubeContext);
  for (const node of traced) {
    const failures = await recoverNodeLeftovers(kube, node).catch((error: unknown) => [String(error)]);
    progress.log(
      failures.length === 0
        ? `  recovered the in-node leftovers of ${node}`
        : `  in-node leftovers of ${node} not all undone: ${failures.join('; ')}`,
    );
    const ready = await execa(
      kubectl,
      ['--context', kubeContext, 'wait', '--for=condition=Ready', `node/${node}`, `--timeout=${nodeReturnBudget.ms / 1000}s`],
      {
        reject: false,
      },
    );
    if (ready.exitCode !== 0)
      progress.log(
        `  ${node} not Ready within ${nodeReturnBudget.ms / 1000} s (${nodeReturnBudget.name}) after its recovery: ${ready.stderr.split('\n')[0] ?? ''}`,
      );
  }
}
