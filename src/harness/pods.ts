/**
 * Waits on pods, phrased the way the suites need them, and the pod-status readers they
 * use. Every wait is a watch (the test's `watch` fixture) with a named budget; none sleeps.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { isPodReady, isRunning } from '../kube/pod-status.ts';
import { waitFor, waitForObject } from '../kube/wait.ts';
import { timeouts } from './timeouts.ts';
import type { ClusterWatches } from './watches.ts';

export { containerRuns, containerStatus, isPodReady, isRunning, podCondition, restartCount, restartGaps } from '../kube/pod-status.ts';
export type { ContainerRun } from '../kube/pod-status.ts';

export function waitForPod(
  watch: ClusterWatches,
  name: string,
  predicate: (pod: V1Pod) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Pod> {
  return waitForObject(watch.pods, name, predicate, { description: `pod ${name}: ${description}`, timeout });
}

/** Running (and Ready, when asked) within the upstream e2e pod-start budget. */
export function waitForPodRunning(
  watch: ClusterWatches,
  name: string,
  container = 'app',
  options: { readonly ready?: boolean } = {},
): Promise<V1Pod> {
  const ready = options.ready ?? false;
  return waitForPod(
    watch,
    name,
    (pod) => isRunning(pod, container) && (!ready || isPodReady(pod)),
    ready ? `container ${container} running and pod Ready` : `container ${container} running`,
    timeouts.podStart,
  );
}

/** At least `count` pods matching the selector, not being deleted, and Ready. */
export function readyPods(pods: readonly V1Pod[], count: number, selector: (p: V1Pod) => boolean): V1Pod[] | undefined {
  const ready = pods.filter((p) => selector(p) && p.metadata?.deletionTimestamp === undefined && isPodReady(p));
  return ready.length >= count ? ready : undefined;
}

/** Waits until `count` pods matching the selector are Ready (pod-start budget). */
export function waitForReadyPods(watch: ClusterWatches, count: number, selector: (p: V1Pod) => boolean, description: string): Promise<V1Pod[]> {
  return waitFor(watch.pods, (pods) => readyPods(pods, count, selector), { description, timeout: timeouts.podStart });
}

/**
 * Waits for a version of a pod — including the last one, delivered with its deletion —
 * to satisfy a predicate. For states a pod may pass through just before it disappears.
 */
export function waitForPodVersion(
  watch: ClusterWatches,
  name: string,
  uid: string | undefined,
  predicate: (pod: V1Pod) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Pod> {
  return waitFor(watch.pods, () => watch.historyOf(name, uid).find(predicate), {
    description: `pod ${name}: ${description}`,
    timeout,
    lastSeen: () => watch.historyOf(name, uid).at(-1),
  });
}
