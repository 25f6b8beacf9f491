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

/** A probe's own run time: at most its timeoutSeconds, only lengthening. */
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
 * Deletion → SIGKILL for a container whose preStop hook takes `hookSeconds` and which
 * ignores SIGTERM. The kubelet deducts ⌊hook⌋ from the grace period and never gives less
 * than 2 s (kuberuntime_container.go:killContainer, minimumGracePeriodInSeconds in
 * kuberuntime_manager.go); a hook still running at the end of the grace period is
 * abandoned there, leaving the 2 s minimum.
 */
export function deletionToKill(graceSeconds: number, hookSeconds: number): Window {
  const minimum = 2;
  const hookWait = Math.min(hookSeconds, graceSeconds);
  const deducted = Math.floor(hookWait);
  const remaining = Math.max(graceSeconds - deducted, minimum);
  // SIGKILL at hook end + remaining grace; the fraction of the hook is the truncation allowance.
  const ms = (deducted + remaining) * 1000;
  return {
    what: 'delete → SIGKILL (SIGTERM ignored)',
    documentedMs: ms,
    lowMs: ms,
    highMs: ms,
    allowances: [allowances.preStopTruncation, allowances.endStampTruncated],
    formula:
      remaining === minimum && graceSeconds - deducted < minimum
        ? `⌊preStop ${hookWait} s⌋ + kubelet minimum 2 s`
        : `grace ${graceSeconds} s (preStop ⌊${hookWait} s⌋ deducted)`,
  };
}

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
    allowances: [requeue, allowances.plegRelist, allowances.startStampTruncated, allowances.endStampTruncated],
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
