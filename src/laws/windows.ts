/**
 * Timing windows = documented value + only the jitter the component's code gives, each
 * allowance one-sided when its cause is. Pure. Citations are Kubernetes v1.36.3
 * (table: docs/windows-v1.36.md). The expectation formulas of src/laws/expectations
 * build their ranges here (asExpectation), so a judged range carries no other slack.
 */
import type { Expectation } from './expectation.ts';

/** A cause that can only lengthen ('plus') or only shorten ('minus') the measured interval. */
export interface Allowance {
  readonly name: string;
  readonly ms: number;
  readonly side: 'plus' | 'minus';
  /** file:function of the code that produces it. */
  readonly cite: string;
}

export interface Window {
  readonly what: string;
  /** The documented value for the configuration under test. */
  readonly documentedMs: number;
  /** Bounds of the documented behavior before measurement allowances. */
  readonly lowMs: number;
  readonly highMs: number;
  readonly allowances: readonly Allowance[];
  readonly formula: string;
}

export function bounds(window: Window): { readonly minMs: number; readonly maxMs: number } {
  const minus = window.allowances.filter((a) => a.side === 'minus').reduce((sum, a) => sum + a.ms, 0);
  const plus = window.allowances.filter((a) => a.side === 'plus').reduce((sum, a) => sum + a.ms, 0);
  return { minMs: window.lowMs - minus, maxMs: window.highMs + plus };
}

export function within(measuredMs: number, window: Window): boolean {
  const { minMs, maxMs } = bounds(window);
  return measuredMs >= minMs && measuredMs <= maxMs;
}

/** True when no measurement can fall in both windows: the test can tell the two configurations apart. */
export function separable(a: Window, b: Window): boolean {
  const x = bounds(a);
  const y = bounds(b);
  return x.maxMs < y.minMs || y.maxMs < x.minMs;
}

export const allowances = {
  /** metav1.Time serializes RFC3339 with whole seconds: a stamped END reads up to 1 s early. */
  endStampTruncated: {
    name: 'end timestamp truncated to 1 s',
    ms: 999,
    side: 'minus',
    cite: 'apimachinery pkg/apis/meta/v1/time.go:MarshalJSON (RFC3339, seconds)',
  },
  /** A stamped START reads up to 1 s early, which lengthens the measured interval. */
  startStampTruncated: {
    name: 'start timestamp truncated to 1 s',
    ms: 999,
    side: 'plus',
    cite: 'apimachinery pkg/apis/meta/v1/time.go:MarshalJSON (RFC3339, seconds)',
  },
  /** The kubelet deducts the preStop duration truncated to whole seconds, so SIGKILL comes up to 1 s late. */
  preStopTruncation: {
    name: 'preStop duration truncated before deduction',
    ms: 999,
    side: 'plus',
    cite: 'pkg/kubelet/kuberuntime/kuberuntime_container.go:executePreStopHook',
  },
  /** The generic PLEG relists every second: a container exit is seen up to 1 s late. */
  plegRelist: {
    name: 'PLEG relist period 1 s',
    ms: 1_000,
    side: 'plus',
    cite: 'pkg/kubelet/kubelet.go:genericPlegRelistPeriod',
  },
} as const satisfies Record<string, Allowance>;

/**
 * A server-side stamp taken while a request is in flight: it comes after the host's send time
 * by at most the request's round trip, measured on the host's clock (kind nodes share it).
 */
export function requestRoundTrip(roundTripMs: number): Allowance {
  return {
    name: `request round trip (measured ${Math.round(roundTripMs)} ms)`,
    ms: Math.max(0, roundTripMs),
    side: 'plus',
    cite: 'the API server stamps between the request being sent and its response',
  };
}

/**
 * A graceful delete stamps deletionTimestamp = the server's now + grace period
 * (apiserver registry/rest/delete.go:BeforeDelete), stored in whole seconds: it reads up
 * to 1 s early. Timed from the host's send time, the server's now comes later by up to
 * the request's round trip: a one-sided allowance of exactly that measured time.
 */
export function deletionStamp(graceSeconds: number, roundTripMs: number): Window {
  const ms = graceSeconds * 1000;
  return {
    what: 'delete request → deletionTimestamp',
    documentedMs: ms,
    lowMs: ms,
    highMs: ms,
    allowances: [allowances.endStampTruncated, requestRoundTrip(roundTripMs)],
    formula: `grace period ${graceSeconds} s`,
  };
}

/**
 * The Unhealthy event that marks the first failing probe is recorded when that probe's result
 * is in (prober.go:probe records it after runProbe returns), up to timeoutSeconds after the
 * tick the threshold counts from: a start anchor read late, which shortens the interval.
 */
export function firstProbeExecAtStart(timeoutSeconds: number): Allowance {
  return {
    name: `first failing probe's exec ≤ timeoutSeconds ${timeoutSeconds} s before its event`,
    ms: timeoutSeconds * 1000,
    side: 'minus',
    cite: 'pkg/kubelet/prober/prober.go:probe (event after runProbe)',
  };
}

export function probeExec(timeoutSeconds: number): Allowance {
  return {
    name: `probe exec ≤ timeoutSeconds ${timeoutSeconds} s`,
    ms: timeoutSeconds * 1000,
    side: 'plus',
    cite: 'pkg/kubelet/prober/prober.go:runProbe (timeout)',
  };
}

/**
 * First failing probe → the probe result that acts (kill for liveness/startup, Ready flip
 * for readiness). The worker counts consecutive results and acts on the threshold-th
 * (pkg/kubelet/prober/worker.go:doProbe), one tick of the period apart (worker.go:run), so
 * the interval is exactly (threshold − 1) periods; timed from the onset of the failure
 * instead, the tick phase adds up to one period and threshold N+1 could not be excluded.
 */
export function thresholdFromFirstFailure(what: string, periodSeconds: number, threshold: number, extra: readonly Allowance[]): Window {
  const ms = (threshold - 1) * periodSeconds * 1000;
  return {
    what,
    documentedMs: ms,
    lowMs: ms,
    highMs: ms,
    allowances: extra,
    formula: `(threshold ${threshold} − 1) × period ${periodSeconds} s from the first failing probe`,
  };
}

/**
 * preStop start → SIGKILL for a container whose preStop hook takes `hookSeconds` and which
 * ignores SIGTERM. The kubelet deducts ⌊hook⌋ from the grace period and never gives less
 * than 2 s (kuberuntime_container.go:killContainer, minimumGracePeriodInSeconds in
 * kuberuntime_manager.go); a hook still running at the end of the grace period is
 * abandoned there, leaving the 2 s minimum. Timed from the hook's own first stamp, which
 * comes after the grace timer started (executePreStopHook), to the exit: the runtime's
 * (ns) where the node is reachable, else the API's finishedAt (whole seconds). Bench
 * flakes read 4.973 s for the 6 s case against the old window, which lacked the hook's
 * exec start.
 */
export function deletionToKill(graceSeconds: number, hookSeconds: number, exitFrom: 'runtime' | 'api' = 'api'): Window {
  const minimum = 2;
  const hookWait = Math.min(hookSeconds, graceSeconds);
  const deducted = Math.floor(hookWait);
  const remaining = Math.max(graceSeconds - deducted, minimum);
  // SIGKILL at hook end + remaining grace; the fraction of the hook is the truncation allowance.
  const ms = (deducted + remaining) * 1000;
  const ends = exitFrom === 'runtime' ? [] : [allowances.endStampTruncated];
  return {
    what: 'preStop start → SIGKILL (SIGTERM ignored)',
    documentedMs: ms,
    lowMs: ms,
    highMs: ms,
    allowances: [allowances.preStopTruncation, runtimeLatency.hookStart, runtimeLatency.killToExit, ...ends],
    formula:
      (remaining === minimum && graceSeconds - deducted < minimum
        ? `⌊preStop ${hookWait} s⌋ + kubelet minimum 2 s`
        : `grace ${graceSeconds} s (preStop ⌊${hookWait} s⌋ deducted)`) +
      `; exit time from the ${exitFrom === 'runtime' ? 'runtime (ns)' : 'API (whole seconds)'}`,
  };
}

/**
 * Between the pod worker's decision to start and the container's startedAt lie the
 * runtime's CreateContainer and StartContainer (kuberuntime_container.go:startContainer;
 * containerd starts the shim and runc in StartContainer). No code bounds them. Seen in
 * bench flakes run 2 (containerd log, podlaw-worker4 under a full run): StartContainer
 * took 1.03 s and a first restart read 3 s in whole-second stamps. Only lengthens; 2 s
 * keeps restart 3 apart from the step one doubling early (unit-tested).
 */
const containerCreateStart: Allowance = {
  name: 'runtime create + start ≤ 2 s',
  ms: 2_000,
  side: 'plus',
  cite: 'pkg/kubelet/kuberuntime/kuberuntime_container.go:startContainer (CreateContainer, StartContainer)',
};

/**
 * Crash → next start for the n-th restart (0-based). The back-off has no jitter
 * (kubelet.go: flowcontrol.NewBackOff); the pod worker requeues for the remaining back-off
 * stretched by up to 50 % (pod_workers.go:completeWork, workerBackOffPeriodJitterFactor).
 */
export function crashLoopGap(index: number, initialMs: number, maxMs: number): Window {
  const step = index === 0 ? 0 : Math.min(initialMs * 2 ** (index - 1), maxMs);
  const requeue: Allowance = {
    name: 'pod worker requeue jitter ≤ 50 % of the back-off',
    ms: step * 0.5,
    side: 'plus',
    cite: 'pkg/kubelet/pod_workers.go:completeWork (workerBackOffPeriodJitterFactor 0.5)',
  };
  return {
    what: `restart ${index + 1}: crash → next start`,
    documentedMs: step,
    lowMs: step,
    highMs: step,
    allowances: [requeue, allowances.plegRelist, containerCreateStart, allowances.startStampTruncated, allowances.endStampTruncated],
    formula: index === 0 ? 'first restart immediate' : `min(${initialMs / 1000} s × 2^${index - 1}, ${maxMs / 1000} s)`,
  };
}

/** Milliseconds as seconds with up to 3 decimals: 5.999 s, 4 s. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The allowances in words: "+ probe exec ≤ 1 s; − end timestamp truncated to 1 s (0.999 s)". */
export function describeAllowances(list: readonly Allowance[]): string {
  return list.map((a) => `${a.side === 'plus' ? '+' : '−'} ${a.name} (${seconds(a.ms)})`).join('; ');
}

/** A window as the Expectation the observations judge: min/max already include the one-sided allowances. */
export function asExpectation(window: Window, source: string): Expectation {
  const { minMs, maxMs } = bounds(window);
  const range = window.lowMs === window.highMs ? seconds(window.lowMs) : `${seconds(window.lowMs)}–${seconds(window.highMs)}`;
  const extra = describeAllowances(window.allowances);
  return {
    what: window.what,
    nominalMs: window.documentedMs,
    minMs,
    maxMs,
    formula: `${window.formula} = ${range}${extra === '' ? '' : `; ${extra}`}`,
    source,
  };
}

/**
 * Container start → first probe result: probes are skipped while the container has run
 * less than initialDelay whole seconds (prober/worker.go:doProbe), and the worker ticks
 * from its own phase (worker.go:run), so the first counted probe comes in [D, D + P).
 */
export function firstResultAfterDelay(
  what: string,
  initialDelaySeconds: number,
  periodSeconds: number,
  extra: readonly Allowance[],
): Window {
  return {
    what,
    documentedMs: initialDelaySeconds * 1000,
    lowMs: initialDelaySeconds * 1000,
    highMs: (initialDelaySeconds + periodSeconds) * 1000,
    allowances: extra,
    formula: `initialDelay ${initialDelaySeconds} s, first tick within 1 period (${periodSeconds} s)`,
  };
}

/**
 * Onset of a change (file removed or restored) → the threshold-th result of the new kind:
 * the first new result comes within one period of the onset (worker.go:run tick phase),
 * the threshold-th (threshold − 1) periods later. One onset cannot separate threshold N
 * from N + 1 (their windows meet at N × P): laws that must, time from the first result.
 */
export function thresholdFromOnset(what: string, periodSeconds: number, threshold: number, extra: readonly Allowance[]): Window {
  return {
    what,
    documentedMs: threshold * periodSeconds * 1000,
    lowMs: (threshold - 1) * periodSeconds * 1000,
    highMs: threshold * periodSeconds * 1000,
    allowances: extra,
    formula: `(threshold ${threshold} − 1) × period ${periodSeconds} s + up to 1 period of tick phase`,
  };
}

/**
 * The runtime's side of a hook abandoned at the end of the grace period, both measured
 * with µs in-pod stamps. No code bounds these latencies (they are CRI exec and signal
 * delivery on the node), so each is a named measurement allowance, sized so that grace
 * G ± 1 s stays separable; measured net (SIGTERM latency − hook-start latency) on podlaw's
 * cluster: −17…−116 ms in 8 runs.
 */
export const runtimeLatency = {
  /** The grace timer starts before the hook's exec (executePreStopHook: start, then runner.Run): the hook's first stamp reads late. */
  hookStart: {
    name: 'hook exec start → its first stamp ≤ 400 ms',
    ms: 400,
    side: 'minus',
    cite: 'pkg/kubelet/kuberuntime/kuberuntime_container.go:executePreStopHook (timer before runner.Run)',
  },
  /** After the timer, killContainer calls StopContainer; the runtime signals PID 1, whose trap stamps. */
  /** containerd sends SIGKILL when the stop timeout runs out and records the exit when the task is reaped. */
  killToExit: {
    name: 'SIGKILL → exit recorded ≤ 400 ms',
    ms: 400,
    side: 'plus',
    cite: 'containerd CRI stopContainer (SIGKILL at the timeout, then the task exit event)',
  },
  sigtermDelivery: {
    name: 'StopContainer → SIGTERM trap stamp ≤ 400 ms',
    ms: 400,
    side: 'plus',
    cite: 'pkg/kubelet/kuberuntime/kuberuntime_container.go:killContainer (StopContainer after the hook)',
  },
} as const satisfies Record<string, Allowance>;

/**
 * preStop start → SIGTERM when the hook outlives the grace period: the kubelet waits for
 * the hook at most `grace` whole seconds (executePreStopHook: time.After(gracePeriod)),
 * then stops the container at once. With µs stamps on both ends this separates grace G
 * from G ± 1, which deletion → SIGKILL (1 s finishedAt) cannot.
 */
export function abandonedHookToSigterm(graceSeconds: number): Window {
  const ms = graceSeconds * 1000;
  return {
    what: 'preStop start → SIGTERM (hook outlives the grace period)',
    documentedMs: ms,
    lowMs: ms,
    highMs: ms,
    allowances: [runtimeLatency.hookStart, runtimeLatency.sigtermDelivery],
    formula: `grace ${graceSeconds} s spent waiting for the hook`,
  };
}

/**
 * A startup probe's first success → Ready=True. The startup worker ticks every period from
 * its own phase (worker.go:run), so the change is seen within one period plus that probe's
 * run; the success makes the kubelet sync the pod, and UpdatePodStatus triggers the
 * readiness worker at once (prober_manager.go: manualTriggerCh), adding that probe's run;
 * lastTransitionTime is written in whole seconds. `changeRoundTripMs` is the measured
 * exec that made the probe pass: timed from its request, the change lands up to that late.
 */
export function startupSuccessToReady(
  startupPeriodSeconds: number,
  startupTimeoutSeconds: number,
  readinessTimeoutSeconds: number,
  changeRoundTripMs: number,
): Window {
  const change: Allowance = {
    name: `the change's exec round trip (measured ${Math.round(changeRoundTripMs)} ms)`,
    ms: changeRoundTripMs,
    side: 'plus',
    cite: 'measured: request → response of the exec that made the probe pass',
  };
  const readinessRun: Allowance = {
    ...probeExec(readinessTimeoutSeconds),
    name: `immediate readiness run ≤ timeoutSeconds ${readinessTimeoutSeconds} s`,
    cite: 'pkg/kubelet/prober/prober_manager.go:UpdatePodStatus (manualTriggerCh)',
  };
  return {
    what: 'startup success → Ready',
    documentedMs: 0,
    lowMs: 0,
    highMs: startupPeriodSeconds * 1000,
    allowances: [probeExec(startupTimeoutSeconds), readinessRun, change, allowances.endStampTruncated],
    formula: `next startup tick within 1 period (${startupPeriodSeconds} s), then readiness run at once`,
  };
}

/**
 * SIGTERM (the container's trap, µs in-pod stamp) → exit (the runtime's finishedAt, ns) for
 * a container that ignores SIGTERM: the runtime sends SIGKILL when the grace period given
 * to StopContainer runs out (containerd CRI stopContainer: kill, wait timeout, SIGKILL).
 * The trap stamps after the signal (reads late: shortens); the exit is recorded after the
 * SIGKILL is reaped (lengthens). With the API's whole-second finishedAt instead, grace G
 * and G + 1 cannot be told apart in one kill; the formula says which end was used.
 */
export function sigtermToExit(graceSeconds: number, exitFrom: 'runtime' | 'api'): Window {
  const ms = graceSeconds * 1000;
  const trap: Allowance = {
    name: "SIGTERM → the trap's stamp ≤ 400 ms",
    ms: 400,
    side: 'minus',
    cite: 'measurement: the trap runs after `wait` returns and forks the clock reader',
  };
  return {
    what: 'SIGTERM → container exit (SIGTERM ignored)',
    documentedMs: ms,
    lowMs: ms,
    highMs: ms,
    allowances:
      exitFrom === 'runtime' ? [trap, runtimeLatency.killToExit] : [trap, runtimeLatency.killToExit, allowances.endStampTruncated],
    formula: `grace ${graceSeconds} s given to StopContainer; exit time from the ${exitFrom === 'runtime' ? 'runtime (ns)' : 'API (whole seconds)'}`,
  };
}
