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
}

const newLine =
  /^\[(\d+\.\d+)\]\s+\[NEW\] tcp\s+\d+ \d+ \S+ src=(\S+) dst=\S+ sport=(\d+) dport=(\d+) (?:\[UNREPLIED\] )?src=(\S+) dst=\S+ sport=\d+ dport=\d+/;

export function parseNewFlow(line: string): NewFlow | undefined {
  const m = newLine.exec(line.trim());
  if (m === null) return undefined;
  const [, at = '', client = '', sport = '', dport = '', endpoint = ''] = m;
  return { atMs: Math.round(Number(at) * 1000), clientAddress: client, clientPort: Number(sport), servicePort: Number(dport), endpoint };
}

/**
 * Which request starts had no conntrack flow of their own. A request's SYN leaves within a few
 * milliseconds of k6 starting it (measured here: 0.4–11 ms, p99 3.7 ms); a request with no NEW
 * flow within `maxLagMs` after its start was sent on a tuple conntrack already tracked — the
 * client reused the source port of an earlier connection whose entry had not expired, and
 * conntrack sent it where it sent that connection. Each flow serves one request, in order.
 * `maxLagMs` must stay below the interval between requests, so a neighbour's flow is never taken.
 */
export function startsWithoutFlow(starts: readonly number[], flows: readonly NewFlow[], maxLagMs: number): number[] {
  const times = flows.map((f) => f.atMs).sort((a, b) => a - b);
  const sorted = [...starts].sort((a, b) => a - b);
  const orphans: number[] = [];
  let next = 0;
  for (const start of sorted) {
    // Flows before this start (minus clock granularity) belong to earlier requests or to nothing we sent.
    while (next < times.length && (times[next] ?? 0) < start - 1) next += 1;
    const flow = times[next];
    if (flow !== undefined && flow <= start + maxLagMs) next += 1;
    else orphans.push(start);
  }
  return orphans;
}
