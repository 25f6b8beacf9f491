/**
 * The cluster's host lock (src/provision/lib/host-lock.ts): one `cluster up`, `cluster down` or `bench cluster` at a time.
 */
import { join } from 'node:path';
import { namedTimeout } from '../../kube/named-timeout.ts';
import { clusterName } from '../../podlaw-cluster.ts';
import { acquireHostLock } from '../lib/host-lock.ts';
import type { Progress } from '../lib/progress.ts';

/** Where one `cluster up` or `cluster down` at a time holds the host (src/provision/lib/host-lock.ts). */
export function clusterLockPath(): string {
  // Not under the cache: sessions with another PODLAW_CACHE or HOME drive the same Docker engine and cluster.
  return join('/tmp', 'podlaw-locks', `cluster-${clusterName}.lock`);
}

/** A cold build (about 13 min; 22 min 35 s measured at nice 19 beside the suites) and the cluster after it. */
const clusterLockBound = namedTimeout('a cold build of the cluster, 22 min 35 s measured, + 7 min', 30 * 60_000);

/** Runs `work` holding the cluster lock; another up or down on this host waits for it, saying who it waits for. */
export async function withClusterLock<T>(progress: Progress, command: string, work: () => Promise<T>): Promise<T> {
  const release = await acquireHostLock(clusterLockPath(), command, clusterLockBound, (holder) =>
    progress.log(`waiting for ${holder.command} (pid ${holder.pid}, since ${holder.since}) to finish with cluster ${clusterName}`),
  );
  try {
    return await work();
  } finally {
    release();
  }
}
