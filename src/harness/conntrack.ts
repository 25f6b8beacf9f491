/**
 * Where new connections went, seen by the netfilter of the node that load enters through: on
 * podlaw's kind cluster the host's k6 connects to the control-plane node's NodePort, so every
 * request is one conntrack NEW flow there, DNATed to the endpoint kube-proxy chose. This tells a
 * new connection sent to a removed endpoint (kube-proxy's fault) from a request that reused the
 * tuple of an earlier, failed connection (conntrack still holds its SYN_SENT entry and sends it
 * where it sent that one: kube-proxy flushes conntrack entries for UDP only).
 */
import type { ClusterContext } from '../cluster/context.ts';
import { containerRunningUnpaused } from '../docker.ts';
import { clusterName } from '../podlaw-cluster.ts';
import { ConntrackFlows } from '../net/conntrack-flows.ts';
import { startsWithoutFlow, type NewFlow } from '../net/conntrack-text.ts';
import type { RequestRecord } from '../load/records.ts';
import { isFailure } from '../load/records.ts';

export { ConntrackFlows };

/** The control-plane node's flows for a Service's NodePort, or the reason they cannot be read. */
export async function watchNodePortFlows(
  cluster: ClusterContext,
  namespace: string,
  service: string,
  lifetimeSeconds: number,
): Promise<ConntrackFlows | string> {
  if (cluster.settings.context !== `kind-${clusterName}`) return 'not podlaw’s kind cluster: its nodes’ conntrack is not reachable';
  const node = `${clusterName}-control-plane`;
  if (!(await containerRunningUnpaused(node))) return `no running node container ${node} on this host`;
  const svc = await cluster.kube.core.readNamespacedService({ name: service, namespace });
  const port = svc.spec?.ports?.[0]?.nodePort;
  if (port === undefined) return `Service ${namespace}/${service} has no NodePort`;
  return new ConntrackFlows(node, port, lifetimeSeconds);
}

export interface LateFailures {
  /** Failed requests that opened a new flow of their own: a new connection the data path failed. */
  readonly onNewFlows: readonly RequestRecord[];
  /** Failed requests with no flow of their own: sent on a tuple conntrack already tracked. */
  readonly onReusedTuples: readonly RequestRecord[];
}

/** Splits the failures after a moment by whether they opened a flow (within half the request interval). */
export function lateFailures(
  records: readonly RequestRecord[],
  flows: readonly NewFlow[],
  afterMs: number,
  ratePerSecond: number,
): LateFailures {
  const late = records.filter((r) => r.startMs >= afterMs && isFailure(r));
  const all = records.map((r) => r.startMs);
  const orphans = new Set(startsWithoutFlow(all, flows, 1000 / ratePerSecond / 2));
  return { onNewFlows: late.filter((r) => !orphans.has(r.startMs)), onReusedTuples: late.filter((r) => orphans.has(r.startMs)) };
}
