/** Expected timings of the probe and restart laws (PRB-*, RST-*), from the pod spec under test and the kubelet. Pure. */
import type { KubeletTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import { formatSeconds } from '../../kube/named-timeout.ts';
import type { Expectation } from '../expectation.ts';

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
export function probeKill(probe: 'liveness' | 'startup', input: ProbeTimingInput, failingFromContainerStart: boolean): Expectation {
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

/** Before initialDelaySeconds a readiness probe does not run, so the pod cannot be Ready: Ready comes with the first result. */
export function readinessInitialDelay(initialDelaySeconds: number, periodSeconds: number): Expectation {
  return {
    ...firstProbeResult(initialDelaySeconds, periodSeconds),
    what: 'container start → Ready=True',
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
