/** Expected timings of the termination laws (TRM-*), from the pod as stored. Pure. Ranges are windows of ../windows.ts. */
import type { Expectation } from '../expectation.ts';
import { abandonedHookToSigterm, asExpectation, deletionStamp, deletionToKill } from '../windows.ts';

/**
 * Deletion → SIGKILL for a container that ignores SIGTERM, timed from the preStop hook's
 * start. The hook's run time, truncated to whole seconds, is deducted from the grace
 * period; when less than 2 s remain the kubelet gives 2 s (its documented "one-off
 * extension", minimumGracePeriodInSeconds).
 */
export function deletionKill(graceSeconds: number, hookSeconds: number, source: string, exitFrom: 'runtime' | 'api' = 'api'): Expectation {
  return asExpectation(deletionToKill(graceSeconds, hookSeconds, exitFrom), source);
}

/** preStop start → SIGTERM for a hook that outlives the grace period (µs in-pod stamps on both ends). */
export function abandonedHookSigterm(graceSeconds: number, source: string): Expectation {
  return asExpectation(abandonedHookToSigterm(graceSeconds), source);
}

/** Delete request → deletionTimestamp: the grace period, read through a whole-second stamp and the request's round trip. */
export function deletionTimestampOffset(graceSeconds: number, roundTripMs: number, source: string): Expectation {
  return asExpectation(deletionStamp(graceSeconds, roundTripMs), source);
}
