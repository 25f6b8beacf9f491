/**
 * The cluster's timing, read once at a run's start and handed to every worker.
 *
 * Why not read it in each worker: a worker starts whenever Playwright needs one, and by then a loss test may hold a
 * node paused, cut off or without its kubelet. That node's configz and metrics do not answer (the read gives up after
 * 10 s, src/cluster/kubelet.ts), so the worker's first test waited 10 s, and the node's kubelet settings fell back to
 * documented defaults (its 2 s nodeStatusUpdateFrequency read as the default 10 s). At the run's start, after the
 * collection has undone a killed run's faults, no fault of this run holds a node yet.
 *
 * The hand-off is an environment variable: Playwright's workers inherit what its globalSetup sets in process.env.
 */
import type { ClusterTiming } from './cluster-timing.ts';

/** Set by the run's globalSetup (src/harness/global-setup.ts), read by the `cluster` fixture. */
export const runStartTimingEnv = 'PODLAW_RUN_START_TIMING';

interface RunStartTiming {
  /** The kube context it was read from: a worker connected elsewhere reads its own. */
  readonly context: string;
  readonly readAtMs: number;
  readonly timing: ClusterTiming;
}

export function encodeRunStartTiming(context: string, timing: ClusterTiming, readAtMs: number): string {
  const shared: RunStartTiming = { context, readAtMs, timing };
  return JSON.stringify(shared);
}

/**
 * The timing read at the run's start for this context; undefined when none was handed over (a runner without podlaw's
 * globalSetup) or it was read from another context. A value that does not parse is a harness defect, and says so.
 */
export function decodeRunStartTiming(raw: string | undefined, context: string): ClusterTiming | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${runStartTimingEnv} is not JSON (${error instanceof Error ? error.message : String(error)}): unset it or rerun`);
  }
  if (!isRunStartTiming(parsed)) throw new Error(`${runStartTimingEnv} does not hold a context and a cluster timing: unset it or rerun`);
  return parsed.context === context ? parsed.timing : undefined;
}

function isRunStartTiming(value: unknown): value is RunStartTiming {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const timing = record['timing'];
  return (
    typeof record['context'] === 'string' &&
    typeof record['readAtMs'] === 'number' &&
    typeof timing === 'object' &&
    timing !== null &&
    typeof (timing as Record<string, unknown>)['kubelets'] === 'object' &&
    typeof (timing as Record<string, unknown>)['nodeMonitorGracePeriodMs'] === 'object'
  );
}

/** One line for the run's log: what was read, and which kubelets could not be (their settings are the defaults). */
export function describeRunStartTiming(timing: ClusterTiming): string {
  const kubelets = Object.values(timing.kubelets);
  const unread = kubelets.filter((k) => k.nodeStatusUpdateFrequencyMs.source !== 'cluster');
  const unreadText =
    unread.length === 0
      ? ''
      : `; not from configz (documented defaults): ${unread.map((k) => `${k.node} (${k.nodeStatusUpdateFrequencyMs.detail})`).join(', ')}`;
  return `podlaw cluster timing read at run start: ${kubelets.length} kubelet(s), ${kubelets.length - unread.length} from configz${unreadText}`;
}
