/**
 * Pod GC canaries: unscheduled pods, deleted, that a finalizer of podlaw's keeps. The PodGC controller
 * (pkg/controller/podgc/gc_controller.go, v1.36.3) handles such a pod in every pass, after gcOrphaned:
 * gcUnscheduledTerminating marks it Failed (once) and deletes it again (each pass), one API call each.
 *
 * Why NOD-10 places them: gcOrphaned quarantines a missing node with AddAfter(40 s) and deletes its pods
 * in the first pass that finds the quarantine over. Passes run every 20 s from the end of the one before
 * (wait.Until, sliding), so the third pass after the Node's deletion starts only as long after the
 * quarantine's end as passes one and two took after the AddAfter: without anything to do, well under a
 * millisecond, and which timer fires first is a coin flip (the pods went 40–80 s after the Node's
 * deletion in earlier runs, with no pattern). The canaries' calls add milliseconds to each pass after the AddAfter, so
 * the quarantine is over when the third pass looks. The window NOD-10 judges stays the code's 40–80 s.
 *
 * The first pass after their deletion also shows on the watch (their phase turns Failed): the timeline
 * names it, which tells how much of the wait was the pass period.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import type { ClusterWatches } from './watches.ts';
import { podGcCanaryFinalizer, podGcCanaryLabel, releasePodGcCanaries } from '../lifecycle/podgc-canary-release.ts';

/** A scheduler no cluster runs: the canaries stay unscheduled. */
const noScheduler = 'podlaw.dev/no-scheduler';
/** Enough calls to put milliseconds between a pass's AddAfter and its end (each a round trip to the API server). */
const defaultCount = 3;

function canary(name: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { [podGcCanaryLabel]: 'true' }, finalizers: [podGcCanaryFinalizer] },
    spec: {
      schedulerName: noScheduler,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'never-runs', image: 'podlaw.local/shell:1' }],
    },
  };
}

export class PodGcCanaries {
  readonly #kube: KubeClients;
  readonly #namespace: string;
  readonly #stopWatching: () => void;
  #firstPassAt: number | undefined;

  private constructor(kube: KubeClients, namespace: string, stopWatching: () => void) {
    this.#kube = kube;
    this.#namespace = namespace;
    this.#stopWatching = stopWatching;
  }

  /** Creates the canaries and deletes them (they stay, terminating and unscheduled, until release). */
  static async place(kube: KubeClients, watch: ClusterWatches, namespace: string, count = defaultCount): Promise<PodGcCanaries> {
    const names = Array.from({ length: count }, (_, i) => `podgc-canary-${i}`);
    let canaries: PodGcCanaries | undefined;
    const stop = watch.pods.subscribe((change) => {
      const name = change.object.metadata?.name ?? '';
      if (canaries === undefined || canaries.#firstPassAt !== undefined || change.origin === 'list' || !names.includes(name)) return;
      if (change.object.status?.phase === 'Failed') canaries.#firstPassAt = change.receivedAt.getTime();
    });
    canaries = new PodGcCanaries(kube, namespace, stop);
    try {
      for (const name of names) await kube.core.createNamespacedPod({ namespace, body: canary(name) });
      for (const name of names) await kube.core.deleteNamespacedPod({ name, namespace });
    } catch (error) {
      await canaries.release();
      throw error;
    }
    return canaries;
  }

  /** When the first PodGC pass after their deletion was seen (their phase turned Failed); undefined before it. */
  get firstPassAt(): number | undefined {
    return this.#firstPassAt;
  }

  /** Removes the finalizer: the canaries go. Idempotent; the namespace's teardown does it too. */
  async release(): Promise<void> {
    this.#stopWatching();
    await releasePodGcCanaries(this.#kube, this.#namespace);
  }
}
