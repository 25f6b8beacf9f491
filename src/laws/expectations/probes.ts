/**
 * Expected timings of the probe and restart laws (PRB-*, RST-*), from the probe fields of
 * the pod and the kubelet. Pure. Every range is a window of ../windows.ts: the documented
 * value plus only the one-sided allowances the kubelet code gives.
 */
import type { KubeletTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import type { Expectation } from '../expectation.ts';
import {
  allowances,
  asExpectation,
  crashLoopGap,
  firstResultAfterDelay,
  probeExec,
  firstProbeExecAtStart,
  thresholdFromFirstFailure,
  sigtermToExit,
  startupSuccessToReady,
  thresholdFromOnset,
} from '../windows.ts';

export interface ProbeTimingInput {
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds: number;
}

/**
 * Liveness or startup: first failing probe (its Unhealthy event's firstTimestamp, whole
 * seconds: reads early, lengthens) → the container's finishedAt (whole seconds: shortens).
 * The kill is at the threshold-th failure, (N − 1) periods after the first; the N-th
 * probe's own run adds up to timeoutSeconds.
 */
export function probeKill(probe: 'liveness' | 'startup', input: ProbeTimingInput, source: string): Expectation {
  const window = thresholdFromFirstFailure(
    `${probe}: first failing probe → container killed`,
    input.periodSeconds,
    input.failureThreshold,
    [
      probeExec(input.timeoutSeconds),
      firstProbeExecAtStart(input.timeoutSeconds),
      allowances.startStampTruncated,
      allowances.endStampTruncated,
    ],
  );
  return asExpectation(window, source);
}

/**
 * Liveness or startup: onset of the failure (or the container start when it fails from the
 * start: add initialDelay) → kill, N × P with up to one period of tick phase. Used for
 * wait budgets and "would have killed by then" windows, not to judge the threshold.
 */
export function probeKillFromOnset(probe: 'liveness' | 'startup', input: ProbeTimingInput, source: string): Expectation {
  const window = thresholdFromOnset(`${probe} failure → container killed`, input.periodSeconds, input.failureThreshold, [
    probeExec(input.timeoutSeconds),
    allowances.endStampTruncated,
  ]);
  return asExpectation(window, source);
}

/** Readiness: first failing probe (Unhealthy firstTimestamp) → Ready=False (lastTransitionTime). */
export function readinessUnreadyFromFirstFailure(input: ProbeTimingInput, source: string): Expectation {
  const window = thresholdFromFirstFailure('readiness: first failing probe → Ready=False', input.periodSeconds, input.failureThreshold, [
    probeExec(input.timeoutSeconds),
    firstProbeExecAtStart(input.timeoutSeconds),
    allowances.startStampTruncated,
    allowances.endStampTruncated,
  ]);
  return asExpectation(window, source);
}

/**
 * Readiness flips after `threshold` consecutive results of the other kind, timed from the
 * onset of the change (a client clock reading, exact) to the Ready condition's
 * lastTransitionTime (whole seconds). Used for recoveries (no event marks the first
 * passing probe) and for wait budgets.
 */
export function readinessFlip(direction: 'unready' | 'ready', periodSeconds: number, threshold: number, timeoutSeconds = 1): Expectation {
  const what = direction === 'unready' ? 'readiness failure → Ready=False' : 'readiness recovery → Ready=True';
  const window = thresholdFromOnset(what, periodSeconds, threshold, [probeExec(timeoutSeconds), allowances.endStampTruncated]);
  return asExpectation(window, 'readiness probe fields of the pod');
}

/** Container start (startedAt) → first probe result (Ready lastTransitionTime): [D, D + P). */
export function firstProbeResult(initialDelaySeconds: number, periodSeconds: number, timeoutSeconds = 1): Expectation {
  const window = firstResultAfterDelay('container start → first probe result', initialDelaySeconds, periodSeconds, [
    probeExec(timeoutSeconds),
    allowances.startStampTruncated,
    allowances.endStampTruncated,
  ]);
  return asExpectation(window, 'probe fields of the pod');
}

/** Before initialDelaySeconds a readiness probe does not run, so the pod cannot be Ready: Ready comes with the first result. */
export function readinessInitialDelay(initialDelaySeconds: number, periodSeconds: number, source: string, timeoutSeconds = 1): Expectation {
  return { ...firstProbeResult(initialDelaySeconds, periodSeconds, timeoutSeconds), what: 'container start → Ready=True', source };
}

/**
 * The change that makes a startup probe pass (requested at the anchor) → Ready=True
 * (lastTransitionTime), from the startup and readiness probes of the pod as stored.
 */
export function startupReady(
  startup: { readonly periodSeconds: number; readonly timeoutSeconds: number },
  readinessTimeoutSeconds: number,
  changeRoundTripMs: number,
  source: string,
): Expectation {
  const window = startupSuccessToReady(startup.periodSeconds, startup.timeoutSeconds, readinessTimeoutSeconds, changeRoundTripMs);
  return asExpectation(window, source);
}

/** A probe-triggered kill whose SIGTERM is ignored: in-pod SIGTERM stamp → exit, from the grace period that applies. */
export function sigtermToKill(graceSeconds: number, exitFrom: 'runtime' | 'api', source: string): Expectation {
  return asExpectation(sigtermToExit(graceSeconds, exitFrom), source);
}

/**
 * Gaps between a crash (finishedAt) and the next start (startedAt): immediate, then the
 * back-off doubling from the initial delay to the maximum (no jitter in the back-off);
 * the pod worker requeues up to 50 % later (pod_workers.go:completeWork).
 */
export function crashLoopGaps(kubelet: KubeletTiming, count: number): Expectation[] {
  const initial = kubelet.crashLoopBackOffInitialMs.value;
  const max = kubelet.crashLoopBackOffMaxMs.value;
  const source = `initial: ${describeSource(kubelet.crashLoopBackOffInitialMs)}; max: ${describeSource(kubelet.crashLoopBackOffMaxMs)}`;
  return Array.from({ length: count }, (_, i) => asExpectation(crashLoopGap(i, initial, max), source));
}
