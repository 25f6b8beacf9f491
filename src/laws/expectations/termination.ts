/** Expected timings of the termination laws (TRM-*), from the pod as stored. Pure. Ranges are windows of ../windows.ts. */
import type { Expectation } from '../expectation.ts';
import { abandonedHookToSigterm, allowances, asExpectation, deletionToKill } from '../windows.ts';

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

/**
 * A graceful delete stamps deletionTimestamp = request time + grace period
 * (apiserver registry/rest/delete.go:BeforeDelete), stored in whole seconds: it reads up
 * to 1 s early; the client's request time is taken before the request is sent, which
 * can only lengthen the measurement by the request's latency (not bounded by code).
 */
export function deletionTimestampOffset(graceSeconds: number, source: string): Expectation {
  const ms = graceSeconds * 1000;
  return asExpectation(
    {
      what: 'delete request → deletionTimestamp',
      documentedMs: ms,
      lowMs: ms,
      highMs: ms,
      allowances: [allowances.endStampTruncated],
      formula: `grace period ${graceSeconds} s`,
    },
    source,
  );
}
