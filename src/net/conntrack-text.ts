/**
 * Parsing `conntrack -E -e NEW -o timestamp` (conntrack-tools) and attributing client requests
 * to the flows it shows. Pure.
 *
 * A line looks like
 *   [1795419946.902985]  [NEW] tcp 6 120 SYN_SENT src=172.18.0.1 dst=172.18.0.5 sport=37010 dport=31173 [UNREPLIED]
 *   src=10.244.2.13 dst=172.18.0.5 sport=8080 dport=58715
 * (one line): the original tuple (client → NodePort), then the reply tuple, whose source is the
 * endpoint kube-proxy's DNAT chose.
 */
export interface NewFlow {
  readonly atMs: number;
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly servicePort: number;
  /** The endpoint the flow was sent to (the reply tuple's source). */
  readonly endpoint: string;
  /** The address the endpoint saw the connection come from (the reply tuple's destination, after masquerade). */
  readonly seenFrom: string;
}

const newLine =
  /^\[(\d+\.\d+)\]\s+\[NEW\] tcp\s+\d+ \d+ \S+ src=(\S+) dst=\S+ sport=(\d+) dport=(\d+) (?:\[UNREPLIED\] )?src=(\S+) dst=(\S+) sport=\d+ dport=(\d+)/;

export function parseNewFlow(line: string): NewFlow | undefined {
  const m = newLine.exec(line.trim());
  if (m === null) return undefined;
  const [, at = '', client = '', sport = '', dport = '', endpoint = '', replyDst = '', replyPort = ''] = m;
  return {
    atMs: Math.round(Number(at) * 1000),
    clientAddress: client,
    clientPort: Number(sport),
    servicePort: Number(dport),
    endpoint,
    seenFrom: `${replyDst}:${replyPort}`,
  };
}

/** An answered request: the address the endpoint saw (netexec /clientip), and when it started and ended. */
export interface Answer {
  readonly seenFrom: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** When a flow was opened, as far as the answers around it bound it. */
export interface OpenedWithin {
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export interface FlowJoin {
  /** Aligned with the answers: each one's flow, or undefined when the monitor did not show it. */
  readonly flowOfAnswer: readonly (NewFlow | undefined)[];
  /** Aligned with the flows: when each was opened. */
  readonly openedWithin: readonly OpenedWithin[];
}

/**
 * Joins answered requests with the flows the monitor printed, by the address each answer names:
 * netexec /clientip answers the ip:port the endpoint saw, the flow's `seenFrom`, which no other
 * open connection has.
 *
 * A flow's printed time is when conntrack's userspace read the event, not when the kernel made it:
 * it lags, by seconds when the host's 2 cores are saturated (measured: a tenth of the answers had
 * their flow printed after the answer came back). So the join is one-sided: an answer takes the first
 * unclaimed flow with its address printed at or after its start (1 ms of clock granularity). The
 * events themselves come in the kernel's order, which the lag keeps, so each flow's opening is
 * bounded by the answered flows around it: not before the start of the last answered request printed
 * at or before it, not after the end of the first answered request printed at or after it, nor after
 * its own printing. `flows` must be in the order the monitor printed them.
 */
export function joinAnswers(answers: readonly Answer[], flows: readonly NewFlow[]): FlowJoin {
  const indexesByAddress = new Map<string, number[]>();
  flows.forEach((flow, i) => indexesByAddress.set(flow.seenFrom, [...(indexesByAddress.get(flow.seenFrom) ?? []), i]));
  const answerOfFlow = new Map<number, Answer>();
  const order = answers.map((answer, index) => ({ answer, index })).sort((a, b) => a.answer.startMs - b.answer.startMs);
  const flowIndexOfAnswer: (number | undefined)[] = answers.map(() => undefined);
  for (const { answer, index } of order) {
    const candidates = indexesByAddress.get(answer.seenFrom) ?? [];
    const found = candidates.find((i) => !answerOfFlow.has(i) && (flows[i]?.atMs ?? 0) >= answer.startMs - 1);
    if (found === undefined) continue;
    answerOfFlow.set(found, answer);
    flowIndexOfAnswer[index] = found;
  }
  // Kernel order: an answer that started after another ended had its flow made after that one's, so printed after it. A match
  // that breaks this took a flow that was not its own (its own was never printed): undone, the answer counts as without flow.
  const byStart = order.filter(({ index }) => flowIndexOfAnswer[index] !== undefined);
  const laterFlowMin: number[] = byStart.map(() => Number.POSITIVE_INFINITY);
  for (let k = byStart.length - 1; k >= 0; k -= 1) {
    const own = flowIndexOfAnswer[byStart[k]?.index ?? -1] ?? Number.POSITIVE_INFINITY;
    laterFlowMin[k] = Math.min(own, laterFlowMin[k + 1] ?? Number.POSITIVE_INFINITY);
  }
  for (const { answer, index } of byStart) {
    const own = flowIndexOfAnswer[index];
    if (own === undefined) continue;
    const firstLater = firstIndexAfter(byStart, answer.endMs);
    if (own > (laterFlowMin[firstLater] ?? Number.POSITIVE_INFINITY)) {
      flowIndexOfAnswer[index] = undefined;
      answerOfFlow.delete(own);
    }
  }
  const notBefore: number[] = [];
  let latestStart = Number.NEGATIVE_INFINITY;
  flows.forEach((_, i) => {
    latestStart = Math.max(latestStart, (answerOfFlow.get(i)?.startMs ?? Number.NEGATIVE_INFINITY) - 1);
    notBefore.push(latestStart);
  });
  const notAfter: number[] = flows.map(() => Number.POSITIVE_INFINITY);
  let earliestEnd = Number.POSITIVE_INFINITY;
  for (let i = flows.length - 1; i >= 0; i -= 1) {
    earliestEnd = Math.min(earliestEnd, (answerOfFlow.get(i)?.endMs ?? Number.POSITIVE_INFINITY) + 1);
    notAfter[i] = Math.min(earliestEnd, flows[i]?.atMs ?? Number.POSITIVE_INFINITY);
  }
  return {
    flowOfAnswer: flowIndexOfAnswer.map((i) => (i === undefined ? undefined : flows[i])),
    openedWithin: flows.map((_, i) => ({
      notBeforeMs: notBefore[i] ?? Number.NEGATIVE_INFINITY,
      notAfterMs: notAfter[i] ?? Number.POSITIVE_INFINITY,
    })),
  };
}

/** The first position in start-ordered answers whose start is after `ms` (binary search). */
function firstIndexAfter(byStart: readonly { readonly answer: Answer }[], ms: number): number {
  let low = 0;
  let high = byStart.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((byStart[mid]?.answer.startMs ?? Number.POSITIVE_INFINITY) > ms) high = mid;
    else low = mid + 1;
  }
  return low;
}
