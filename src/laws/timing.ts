/**
 * Expected timings of the laws, computed from the cluster's settings and the spec of
 * the workload under test. Pure. Each formula returns an Expectation: the documented
 * nominal value, the range the documentation allows, the formula in words, and where
 * its inputs came from — which is what the report prints next to the measurement.
 */
import type { ClusterTiming, KubeletTiming } from '../cluster/timing.ts';
import { describeSource } from '../cluster/setting.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { formatSeconds, namedTimeout } from '../kube/named-timeout.ts';
import type { LawId } from './registry.ts';

export interface Expectation {
  /** What is timed: "liveness failure → container killed". */
  readonly what: string;
  readonly nominalMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** The formula with its values: "initialDelay 0 s + 3 × 2 s, + up to 1 period (2 s) of probe phase". */
  readonly formula: string;
  /** Where the inputs came from: "probe fields of the pod spec", "cluster (kubelet … configz …)". */
  readonly source: string;
}

/** An allowance the harness adds on top of a documented range, with its reason. */
export interface Tolerance {
  readonly name: string;
  readonly ms: number;
}

export const tolerances = {
  /** Kubernetes timestamps (startedAt, finishedAt, deletionTimestamp, events) have 1 s resolution. */
  timestampResolution: { name: '1 s timestamp resolution', ms: 1_000 },
  /** kubelet pod sync, status manager write and watch delivery. */
  statusPropagation: { name: 'status propagation slack 5 s', ms: 5_000 },
  /** A container exec (probe or hook) plus a runtime start. */
  containerRestart: { name: 'container restart slack 3 s', ms: 3_000 },
} as const satisfies Record<string, Tolerance>;

/** Budgets taken from upstream e2e framework defaults (test/e2e/framework/timeouts.go). */
export const upstreamTimeouts = {
  podStart: namedTimeout('pod start (e2e framework PodStart 5 min)', 300_000),
  podDelete: namedTimeout('pod delete (e2e framework PodDelete 5 min)', 300_000),
  serviceAccount: namedTimeout('default ServiceAccount provisioned (e2e framework ServiceAccountProvisionTimeout 2 min)', 120_000),
} as const;

export function withinExpectation(measuredMs: number, expectation: Expectation, tolerance: Tolerance): boolean {
  return measuredMs >= expectation.minMs - tolerance.ms && measuredMs <= expectation.maxMs + tolerance.ms;
}

/** The wait budget for an expected event: its documented maximum plus a named allowance. */
export function budgetFor(expectation: Expectation, ...allowances: readonly Tolerance[]): NamedTimeout {
  const extra = allowances.reduce((sum, a) => sum + a.ms, 0);
  const names = allowances.map((a) => a.name).join(' + ');
  return namedTimeout(
    `${expectation.what}: ≤ ${formatSeconds(expectation.maxMs)} (${expectation.formula})${names === '' ? '' : ` + ${names}`}`,
    expectation.maxMs + extra,
  );
}

export interface ProbeTimingInput {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

/**
 * Liveness or startup failures → kill. The probe worker runs every period from an
 * arbitrary phase, skipping probes before initialDelay: the first failing probe comes
 * within one period of the failure starting, the kill at the failureThreshold-th.
 */
export function probeKill(
  probe: 'liveness' | 'startup',
  input: ProbeTimingInput,
  failingFromContainerStart: boolean,
): Expectation {
  const delay = failingFromContainerStart ? input.initialDelaySeconds : 0;
  const period = input.periodSeconds;
  const n = input.failureThreshold;
  return {
    what: failingFromContainerStart ? `${probe} failing from start → container killed` : `${probe} failure → container killed`,
    nominalMs: (delay + n * period) * 1000,
    minMs: (delay + (n - 1) * period) * 1000,
    maxMs: (delay + n * period + period) * 1000,
    formula: `${failingFromContainerStart ? `initialDelay ${delay} s + ` : ''}${n} × ${period} s, + up to 1 period (${period} s) of probe phase`,
    source: `${probe} probe fields of the pod spec`,
  };
}

/** Readiness flips after `threshold` consecutive results of the other kind. */
export function readinessFlip(direction: 'unready' | 'ready', periodSeconds: number, threshold: number): Expectation {
  return {
    what: direction === 'unready' ? 'readiness failure → Ready=False' : 'readiness recovery → Ready=True',
    nominalMs: threshold * periodSeconds * 1000,
    minMs: (threshold - 1) * periodSeconds * 1000,
    maxMs: (threshold + 1) * periodSeconds * 1000,
    formula: `${direction === 'unready' ? 'failureThreshold' : 'successThreshold'} ${threshold} × ${periodSeconds} s, + up to 1 period of probe phase`,
    source: 'readiness probe fields of the pod spec',
  };
}

/** The first result of a probe: after initialDelay, at the next tick of its period. */
export function firstProbeResult(initialDelaySeconds: number, periodSeconds: number): Expectation {
  return {
    what: 'container start → first probe result',
    nominalMs: initialDelaySeconds * 1000,
    minMs: initialDelaySeconds * 1000,
    maxMs: (initialDelaySeconds + periodSeconds) * 1000,
    formula: `initialDelay ${initialDelaySeconds} s + up to 1 period (${periodSeconds} s)`,
    source: 'probe fields of the pod spec',
  };
}

/** Before initialDelaySeconds a readiness probe does not run, so the pod cannot be Ready. */
export function readinessInitialDelay(initialDelaySeconds: number, periodSeconds: number): Expectation {
  return {
    what: 'container start → Ready=True',
    nominalMs: initialDelaySeconds * 1000,
    minMs: initialDelaySeconds * 1000,
    maxMs: (initialDelaySeconds + periodSeconds) * 1000,
    formula: `initialDelay ${initialDelaySeconds} s, + up to 1 period (${periodSeconds} s) of probe phase`,
    source: 'readiness probe fields of the pod spec',
  };
}

/** A kill whose SIGTERM is ignored ends in SIGKILL after the grace period that applies. */
export function killAfterGrace(graceSeconds: number, whose: string): Expectation {
  return {
    what: 'kill → container exit (SIGTERM ignored)',
    nominalMs: graceSeconds * 1000,
    minMs: graceSeconds * 1000,
    maxMs: graceSeconds * 1000,
    formula: `${whose} terminationGracePeriodSeconds ${graceSeconds} s`,
    source: 'pod spec',
  };
}

/**
 * Deletion → SIGKILL. The preStop hook's duration is deducted from the grace period
 * (whole seconds); if nothing is left the kubelet still gives a 2 s minimum.
 */
export function deletionKill(graceSeconds: number, preStopOutlivesGrace: boolean, timing: ClusterTiming): Expectation {
  const extension = timing.preStopGraceExtensionSeconds;
  const total = graceSeconds + (preStopOutlivesGrace ? extension.value : 0);
  return {
    what: preStopOutlivesGrace ? 'delete → SIGKILL (preStop outlives grace)' : 'delete → SIGKILL',
    nominalMs: total * 1000,
    minMs: total * 1000,
    // The kubelet truncates the hook's duration to whole seconds before deducting it.
    maxMs: (total + 1) * 1000,
    formula: preStopOutlivesGrace
      ? `grace ${graceSeconds} s + one-off extension ${extension.value} s`
      : `grace ${graceSeconds} s (preStop included)`,
    source: `pod spec; extension: ${describeSource(extension)}`,
  };
}

/** A graceful delete stamps deletionTimestamp = request time + grace period. */
export function deletionTimestampOffset(graceSeconds: number, source: string): Expectation {
  return {
    what: 'delete request → deletionTimestamp',
    nominalMs: graceSeconds * 1000,
    minMs: graceSeconds * 1000,
    maxMs: graceSeconds * 1000,
    formula: `grace period ${graceSeconds} s`,
    source,
  };
}

/**
 * The kubelet does not restart a container the instant its back-off expires: its pod
 * worker requeues the pod for the remaining back-off stretched by a random jitter of
 * up to 50 % (workerBackOffPeriodJitterFactor, pkg/kubelet/pod_workers.go). The
 * documented delays are therefore lower bounds, and a restart can come up to half a
 * delay later.
 */
export const kubeletRequeueJitter = 0.5;

/** Gaps between a crash and the next start: immediate, then initial doubling to max. */
export function crashLoopGaps(kubelet: KubeletTiming, count: number): Expectation[] {
  const initial = kubelet.crashLoopBackOffInitialMs.value;
  const max = kubelet.crashLoopBackOffMaxMs.value;
  const gaps: Expectation[] = [];
  for (let i = 0; i < count; i += 1) {
    const nominal = i === 0 ? 0 : Math.min(initial * 2 ** (i - 1), max);
    gaps.push({
      what: `restart ${i + 1}: crash → next start`,
      nominalMs: nominal,
      minMs: nominal,
      maxMs: nominal * (1 + kubeletRequeueJitter),
      formula:
        i === 0
          ? 'first restart immediate'
          : `min(${formatSeconds(initial)} × 2^${i - 1}, ${formatSeconds(max)}), + up to ${kubeletRequeueJitter * 100} % kubelet requeue jitter`,
      source: describeSource(kubelet.crashLoopBackOffInitialMs),
    });
  }
  return gaps;
}

/** A node without heartbeats turns Ready=Unknown after the grace period, checked every monitor period. */
export function nodeNotReady(timing: ClusterTiming): Expectation {
  const grace = timing.nodeMonitorGracePeriodMs;
  const period = timing.nodeMonitorPeriodMs;
  return {
    what: 'last heartbeat → Ready=Unknown',
    nominalMs: grace.value,
    minMs: grace.value,
    maxMs: grace.value + period.value,
    formula: `node-monitor-grace-period ${formatSeconds(grace.value)} + up to node-monitor-period ${formatSeconds(period.value)}`,
    source: `${describeSource(grace)}; ${describeSource(period)}`,
  };
}

/** Pods on a lost node are marked for deletion after their unreachable toleration. */
export function lostNodePodDeletion(timing: ClusterTiming): Expectation {
  const notReady = nodeNotReady(timing);
  const toleration = timing.defaultUnreachableTolerationSeconds;
  return {
    what: 'last heartbeat → pod deletionTimestamp',
    nominalMs: notReady.nominalMs + toleration.value * 1000,
    minMs: notReady.minMs + toleration.value * 1000,
    maxMs: notReady.maxMs + toleration.value * 1000,
    formula: `${notReady.formula} + tolerationSeconds ${toleration.value} s`,
    source: `${notReady.source}; ${describeSource(toleration)}`,
  };
}

export function pressureTransition(kubelet: KubeletTiming): Expectation {
  const period = kubelet.evictionPressureTransitionPeriodMs;
  return {
    what: 'relief → MemoryPressure=False',
    nominalMs: period.value,
    minMs: period.value,
    maxMs: period.value + kubelet.nodeStatusUpdateFrequencyMs.value,
    formula: `evictionPressureTransitionPeriod ${formatSeconds(period.value)} + up to nodeStatusUpdateFrequency`,
    source: describeSource(period),
  };
}

/** The formula of every law whose registry entry names a timing. */
export const lawTimings = {
  'PRB-2': probeKill,
  'PRB-3': readinessFlip,
  'PRB-4': probeKill,
  'PRB-5': killAfterGrace,
  'RST-1': crashLoopGaps,
  'TRM-1': deletionTimestampOffset,
  'TRM-2': deletionKill,
  'NPE-2': () => ({
    what: 'memory.available sample interval',
    nominalMs: 10_000,
    minMs: 0,
    maxMs: 10_000,
    formula: 'housekeeping interval 10 s',
    source: 'documented (cAdvisor housekeeping)',
  }),
  'NPE-3': pressureTransition,
  'NOD-1': nodeNotReady,
  'NOD-4': lostNodePodDeletion,
} as const satisfies Partial<Record<LawId, (...args: never[]) => Expectation | Expectation[]>>;
