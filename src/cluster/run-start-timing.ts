/**
 * The cluster's timing, read once at a run's start and handed to every worker.
 *
 * Why not read it in each worker: a worker starts whenever Playwright needs one, and by then a loss test may hold a
 * node paused, cut off or without its kubelet. That node's configz and metrics do not answer (the read gives up after
 * 10 s, src/cluster/kubelet.ts), so the worker's first test waited 10 s, and the node's kubelet settings fell back to
 * documented defaults (its 2 s nodeStatusUpdateFrequency read as the default 10 s). At the run's start, after the
 * collection has undone a killed run's faults, no fault of this run holds a node yet.
 *
 * The hand-off is a file of the run (runFilePath: a killed run's is swept with its directory) whose path goes into
 * process.env, which Playwright's workers inherit from its globalSetup. A file, not the value itself: one variable
 * may hold 128 KiB, about 90 kubelets' settings.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { runFilePath } from '../smoke-verdict.ts';
import type { ClusterTiming } from './cluster-timing.ts';

/** The path of the run's timing file: set by the run's globalSetup (src/harness/global-setup.ts), read by workers. */
export const runStartTimingEnv = 'PODLAW_RUN_START_TIMING';

interface RunStartTiming {
  /** The kube context it was read from: a worker connected elsewhere reads its own. */
  readonly context: string;
  readonly timing: ClusterTiming;
}

/** Written whole or not at all (a rename); returns the path for runStartTimingEnv. */
export function writeRunStartTiming(runId: string, context: string, timing: ClusterTiming): string {
  const path = runFilePath(runId, 'cluster-timing.json');
  const shared: RunStartTiming = { context, timing };
  writeFileSync(`${path}.partial`, JSON.stringify(shared));
  renameSync(`${path}.partial`, path);
  return path;
}

export function removeRunStartTiming(path: string): void {
  rmSync(path, { force: true });
}

/**
 * The timing read at the run's start for this context; undefined when none was handed over (a runner without podlaw's
 * globalSetup) or it was read from another context. A file that is gone or does not parse is a harness defect, and
 * says so.
 */
export function readRunStartTiming(path: string | undefined, context: string): ClusterTiming | undefined {
  if (path === undefined || path === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${runStartTimingEnv}=${path} cannot be read (${why}): unset it or rerun`);
  }
  if (!isRunStartTiming(parsed)) throw new Error(`${runStartTimingEnv}=${path} holds no context and cluster timing: unset it or rerun`);
  return parsed.context === context ? parsed.timing : undefined;
}

/** Its own file, written by its own globalSetup: the two fields a reader branches on are checked, not the whole shape. */
function isRunStartTiming(value: unknown): value is RunStartTiming {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const timing = record['timing'];
  return typeof record['context'] === 'string' && typeof timing === 'object' && timing !== null && 'kubelets' in timing;
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
