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
import { joinAnswers, type NewFlow, type OpenedWithin } from '../net/conntrack-text.ts';
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

/** A flow with when it was opened, as the answers around it bound it. */
export interface TimedFlow {
  readonly flow: NewFlow;
  readonly opened: OpenedWithin;
}

/** The client's requests as the flows show them. */
export interface AttributedLoad {
  /** The records, each answered one naming the pod its flow went to (its endpoint's address when no pod has it). */
  readonly records: readonly RequestRecord[];
  /** Every flow, in the order the monitor printed them. */
  readonly flows: readonly TimedFlow[];
  /** Flows no answer came back through: new connections that failed. */
  readonly unanswered: readonly TimedFlow[];
  /** Entries conntrack replaced with another for the same connection (a later entry of its client address and port answered a request already started). */
  readonly replaced: number;
  /** Answers the join read (answered requests naming the address the endpoint saw). */
  readonly answers: number;
  /** Answers whose flow the monitor did not show (0 while it saw every new connection). */
  readonly answersWithoutFlow: number;
}

/**
 * Joins k6's records of netexec /clientip (an answer's body is the ip:port the endpoint saw) with
 * the flows (src/net/conntrack-text.ts joinAnswers): each answer's flow names the endpoint that
 * answered, and every flow no answer claims is a new connection that failed. Exact where a timing
 * match is not: a request that reused a tuple conntrack still held opens no flow, k6 under CPU
 * contention starts requests in bursts, and the monitor prints its events late.
 */
export function attributeAnswers(
  records: readonly RequestRecord[],
  flows: readonly NewFlow[],
  podOf: (ip: string) => string | undefined,
): AttributedLoad {
  const answered = records.filter((r) => !isFailure(r) && r.pod !== undefined);
  const join = joinAnswers(
    answered.map((r) => ({ seenFrom: r.pod ?? '', startMs: r.startMs, endMs: r.startMs + (r.elapsedMs ?? r.latencyMs) })),
    flows,
  );
  const flowOf = new Map(answered.map((r, i) => [r, join.flowOfAnswer[i]]));
  const claimed = new Set(join.flowOfAnswer.filter((f) => f !== undefined));
  const timed = flows.map((flow, i) => ({
    flow,
    opened: join.openedWithin[i] ?? { notBeforeMs: Number.NEGATIVE_INFINITY, notAfterMs: flow.atMs },
  }));
  // Seen on kubelet stop: two NEW entries 10 ms apart for one client address and port, with different masquerade ports, and
  // the answer named the second. An unanswered entry is that connection's, not a failed one, only when a later entry of the
  // same client address and port carried an answer whose request had started by the time the first was opened.
  const startOfAnswerFlow = new Map<NewFlow, number>();
  answered.forEach((r, i) => {
    const flow = join.flowOfAnswer[i];
    if (flow !== undefined) startOfAnswerFlow.set(flow, r.startMs);
  });
  const laterByClient = new Map<string, { index: number; start: number }[]>();
  flows.forEach((flow, index) => {
    const start = startOfAnswerFlow.get(flow);
    if (start === undefined) return;
    const client = `${flow.clientAddress}:${flow.clientPort}`;
    const list = laterByClient.get(client) ?? [];
    list.push({ index, start });
    laterByClient.set(client, list);
  });
  const unclaimedIndexes = timed.flatMap((t, index) => (claimed.has(t.flow) ? [] : [index]));
  const replaced = new Set(
    unclaimedIndexes
      .filter((index) => {
        const t = timed[index];
        if (t === undefined) return false;
        const same = laterByClient.get(`${t.flow.clientAddress}:${t.flow.clientPort}`) ?? [];
        return same.some((b) => b.index > index && b.start <= t.opened.notAfterMs);
      })
      .map((index) => timed[index]),
  );
  const unclaimed = unclaimedIndexes.map((index) => timed[index]).filter((t) => t !== undefined);
  return {
    records: records.map((r) => {
      if (isFailure(r)) return r;
      const flow = flowOf.get(r);
      return { ...r, pod: flow === undefined ? undefined : (podOf(flow.endpoint) ?? flow.endpoint) };
    }),
    flows: timed,
    unanswered: unclaimed.filter((t) => !replaced.has(t)),
    replaced: replaced.size,
    answers: answered.length,
    answersWithoutFlow: join.flowOfAnswer.filter((f) => f === undefined).length,
  };
}

/** One new connection that got no answer, for a report line: "59.20–59.27 s, :41234 → 10.244.1.5 (front-stays-…)". */
export function describeUnanswered(t: TimedFlow, sinceMs: number, podOf: (ip: string) => string | undefined): string {
  const pod = podOf(t.flow.endpoint);
  const seconds = (ms: number): string => (Number.isFinite(ms) ? ((ms - sinceMs) / 1000).toFixed(2) : '?');
  return `opened ${seconds(t.opened.notBeforeMs)}–${seconds(t.opened.notAfterMs)} s, :${t.flow.clientPort} → ${t.flow.endpoint}${pod === undefined ? '' : ` (${pod})`}`;
}
