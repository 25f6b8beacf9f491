/**
 * Waits on pods, phrased the way the suites need them, and the pod-status readers they
 * use. Every wait is a watch (the test's `watch` fixture) with a named budget; none sleeps.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { containerStatus, isPodReady, isRunning, restartCount } from '../kube/pod-status.ts';
import { waitFor, waitForObject } from '../kube/wait.ts';
import { timeouts } from './timeouts.ts';
import type { ClusterWatches } from './watches.ts';

export {
  containerRuns,
  containerStatus,
  isPodReady,
  isRunning,
  podCondition,
  reportedTermination,
  restartCount,
  restartGaps,
} from '../kube/pod-status.ts';
export type { ContainerRun, ReportedTermination } from '../kube/pod-status.ts';

export function waitForPod(
  watch: ClusterWatches,
  name: string,
  predicate: (pod: V1Pod) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Pod> {
  return waitForObject(watch.pods, name, predicate, { description: `pod ${name}: ${description}`, timeout });
}

/**
 * Waits until the pod's container has been restarted at least `count` times (its restartCount) and the
 * previous run's end is reported (lastState.terminated): the kubelet can post the new restartCount in a
 * status without lastState (seen in bench flakes: PRB-5 read no exit code and no termination message).
 */
export function waitForRestart(
  watch: ClusterWatches,
  name: string,
  description: string,
  timeout: NamedTimeout,
  options: { readonly container?: string; readonly count?: number } = {},
): Promise<V1Pod> {
  const container = options.container ?? 'app';
  const count = options.count ?? 1;
  return waitForPod(
    watch,
    name,
    (pod) => restartCount(pod, container) >= count && containerStatus(pod, container)?.lastState?.terminated !== undefined,
    `${description} (restartCount ≥ ${count}, previous run's end in lastState)`,
    timeout,
  );
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

/** The pods Ready and not being deleted. */
export function readyServing(pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter((p) => p.metadata?.deletionTimestamp === undefined && isPodReady(p));
}

export interface ReadyPodsOptions {
  /** Which pods count (all by default). */
  readonly matching?: (pod: V1Pod) => boolean;
  /** Names that do not count (pods on their way out). */
  readonly except?: readonly string[];
  readonly description?: string;
}

/** Waits until `count` pods (matching, not excepted) are Ready and not terminating; returns them. */
export function waitForReadyPods(
  watch: ClusterWatches,
  count: number,
  timeout: NamedTimeout,
  options: ReadyPodsOptions = {},
): Promise<V1Pod[]> {
  const except = options.except ?? [];
  const counted = (p: V1Pod): boolean =>
    (options.matching === undefined || options.matching(p)) && !except.includes(p.metadata?.name ?? '');
  return waitFor(
    watch.pods,
    (pods) => {
      const ready = readyServing(pods).filter(counted);
      return ready.length >= count ? ready : undefined;
    },
    {
      description: options.description ?? `${count} Ready pods not terminating${except.length > 0 ? ` besides ${except.join(', ')}` : ''}`,
      timeout,
      lastSeen: () =>
        watch.pods
          .objects()
          .map(
            (p) => `${p.metadata?.name}: ready=${String(isPodReady(p))} deleting=${String(p.metadata?.deletionTimestamp !== undefined)}`,
          ),
    },
  );
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
