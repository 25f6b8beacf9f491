/**
 * What the node-loss bodies (src/harness/lost-node.ts, src/harness/deleted-node.ts) share: the tolerances of a
 * controller's write seen through a watch, and the pod network read back as a fact.
 */
import type { KubeClients } from '../kube/client.ts';
import { checkPodNetwork } from '../faults/pod-network-repair.ts';
import type { Tolerance } from '../laws/expectation.ts';
import type { LawCheck } from './law-check.ts';

/** The controller's API write and the watch delivering it to podlaw, on each end of a measured step. */
export const controllerWrite: Tolerance = { name: 'controller write + watch delivery 2 s', ms: 2_000 };
/**
 * Both ends of a toleration countdown are watch deliveries of the same kind (the taint on the node, the deletionTimestamp on
 * the pod), so their latencies mostly cancel: half a second, less than the 1 s step of tolerationSeconds.
 */
export const countdownEnds: Tolerance = { name: 'watch delivery at both ends 0.5 s', ms: 500 };

/** Records, as a fact of the check's law, that the pod network around the node is whole (routes and CNI config, src/net/pod-network.ts). */
export async function checkPodNetworkFact(check: LawCheck, kube: KubeClients, node: string, name: string): Promise<void> {
  const network = await checkPodNetwork(kube, node);
  check.fact(name, 'whole', network.whole ? 'whole' : network.problems.join('; '), 'podlaw pod network (src/net/pod-network.ts)');
}
