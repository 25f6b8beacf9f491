/**
 * A load scenario as podlaw writes it, and the k6 script it becomes. Every scenario is
 * constant-arrival-rate and bounded three ways (rate, duration, request count), so k6
 * stops by itself whatever the test does. Each request is logged as one JSON line
 * (start time, status, latency, the pod that answered: agnhost netexec /hostname).
 * Connections are not reused: every request is a new connection that kube-proxy
 * balances afresh, so what the client sees follows the Service's endpoints rather
 * than the pod a kept-alive connection was pinned to.
 */
import { LoadError } from './errors.ts';

export interface LoadScenario {
  /** k6 scenario name; also the name of its SLO verdicts. */
  readonly name: string;
  /** http://127.0.0.1:…, a kind node address or an in-cluster address: never anything else. */
  readonly url: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Per-request timeout: a request to a vanished pod ends here, not at k6's 60 s default. */
  readonly requestTimeoutMs: number;
  /**
   * k6's setup() waits (bounded by this) for a steady answer — 20 consecutive answers —
   * before the scenario starts: a new Service takes a kube-proxy sync or two to be
   * programmed, and its refusals are not the fault's doing. A target that never
   * answers ends k6 with a one-line error. The answers come 50 ms apart, so the 20 span a
   * second (10 ms apart was tried: in one bench flakes run of three the gate passed 0.65 s
   * before 15 s of intermittent 2 s timeouts to the new Service, 49 of 330 requests).
   */
  readonly answerTimeoutSeconds?: number;
  /** SLO thresholds in k6's own syntax: { http_req_failed: ['rate<0.01'] }. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
}

export const requestLinePrefix = 'podlaw-req ';
export const summaryLinePrefix = 'podlaw-summary ';

/** Hard ceilings, whatever a scenario asks: the load must not distort what it measures on 2 cores. */
export const loadLimits = { maxRatePerSecond: 200, maxDurationSeconds: 300, maxRequests: 30_000 } as const;

function allowedHost(host: string): boolean {
  if (host === '127.0.0.1' || host === 'localhost') return true;
  // Kind node addresses (docker bridge) and cluster addresses are private IPv4; Service DNS names end in .svc.
  return /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)(\.\d+){2,3}$/.test(host) || host.endsWith('.svc') || host.endsWith('.svc.cluster.local');
}

export function validateScenario(s: LoadScenario): LoadScenario {
  const host = new URL(s.url).hostname;
  const problems = [
    allowedHost(host) ? undefined : `target host ${host} is neither loopback, a private (kind node / cluster) address nor a Service name`,
    s.ratePerSecond > 0 && s.ratePerSecond <= loadLimits.maxRatePerSecond
      ? undefined
      : `rate ${s.ratePerSecond}/s outside 1–${loadLimits.maxRatePerSecond}`,
    s.durationSeconds > 0 && s.durationSeconds <= loadLimits.maxDurationSeconds
      ? undefined
      : `duration ${s.durationSeconds} s outside 1–${loadLimits.maxDurationSeconds}`,
    maxRequests(s) <= loadLimits.maxRequests ? undefined : `${maxRequests(s)} requests exceed ${loadLimits.maxRequests}`,
    /^[a-z][a-z0-9_]*$/.test(s.name) ? undefined : `scenario name "${s.name}" is not a k6 identifier`,
  ].filter((p) => p !== undefined);
  if (problems.length > 0) throw new LoadError(`load scenario ${s.name}: ${problems.join('; ')}`);
  return s;
}

export function maxRequests(s: LoadScenario): number {
  return s.ratePerSecond * s.durationSeconds;
}

/** VUs needed to hold the rate when every request may take the whole timeout (Little's law). */
export function vusFor(s: LoadScenario): { readonly preAllocated: number; readonly max: number } {
  const busy = Math.ceil((s.ratePerSecond * s.requestTimeoutMs) / 1000);
  return { preAllocated: Math.min(Math.max(2, Math.ceil(busy / 4)), 50), max: Math.min(Math.max(4, busy + 2), 400) };
}

/** The k6 script. `summaryFile` undefined: the summary goes to stdout after its prefix (the Job's log). */
export const steadyAnswers = 20;

export function k6Script(s: LoadScenario, summaryFile: string | undefined): string {
  validateScenario(s);
  const vus = vusFor(s);
  const answerTimeout = s.answerTimeoutSeconds ?? 30;
  const options = {
    setupTimeout: `${answerTimeout + 10}s`,
    noConnectionReuse: true,
    discardResponseBodies: false,
    summaryTrendStats: ['min', 'med', 'p(90)', 'p(99)', 'max', 'count'],
    scenarios: {
      [s.name]: {
        executor: 'constant-arrival-rate',
        rate: s.ratePerSecond,
        timeUnit: '1s',
        duration: `${s.durationSeconds}s`,
        preAllocatedVUs: vus.preAllocated,
        maxVUs: vus.max,
        gracefulStop: `${Math.ceil(s.requestTimeoutMs / 1000)}s`,
      },
    },
    thresholds: Object.fromEntries(Object.entries(s.thresholds).map(([metric, exprs]) => [`${metric}{scenario:${s.name}}`, [...exprs]])),
  };
  const summaryTarget =
    summaryFile === undefined
      ? `stdout: ${JSON.stringify(summaryLinePrefix)} + JSON.stringify(data) + '\\n'`
      : `${JSON.stringify(summaryFile)}: JSON.stringify(data)`;
  return `import http from 'k6/http';
import { sleep } from 'k6';
export const options = ${JSON.stringify(options)};
const url = ${JSON.stringify(s.url)};
export function setup() {
  const deadline = Date.now() + ${answerTimeout * 1000};
  let steady = 0;
  let last = 'no request';
  while (Date.now() < deadline) {
    const r = http.get(url, { timeout: '1s', tags: { name: 'podlaw-setup' } });
    steady = r.status === 200 ? steady + 1 : 0;
    last = r.status === 200 ? 'answered' : \`status \${r.status} \${r.error || ''}\`;
    if (steady >= ${steadyAnswers}) return;
    sleep(0.05);
  }
  throw new Error(\`podlaw: target \${url} never answered steadily within ${answerTimeout} s (last: \${last})\`);
}
export default function () {
  const start = Date.now();
  const r = http.get(url, { timeout: '${s.requestTimeoutMs}ms' });
  const pod = r.status === 200 && typeof r.body === 'string' ? r.body.trim() : null;
  const line = { t: start, s: r.status, d: r.timings.duration, w: Date.now() - start, p: pod, e: r.error_code || 0 };
  console.log(${JSON.stringify(requestLinePrefix)} + JSON.stringify(line));
}
export function handleSummary(data) {
  return { ${summaryTarget} };
}
`;
}
