/** Expected timings of the termination laws (TRM-*), from the pod spec and the cluster. Pure. */
import type { ClusterTiming } from '../../cluster/cluster-timing.ts';
import { describeSource } from '../../cluster/sourced-setting.ts';
import type { Expectation } from '../expectation.ts';

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
