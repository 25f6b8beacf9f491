/**
 * Pod GC canaries: unscheduled pods, deleted, that a finalizer of podlaw's keeps. The PodGC controller
 * (pkg/controller/podgc/gc_controller.go, v1.36.3) handles such a pod in every pass, after gcOrphaned:
 * gcUnscheduledTerminating marks it Failed (once) and deletes it again (each pass), an API round trip each
 * (the registry reads the pod and finds nothing to change: no write, no watch event).
 *
 * Why NOD-10 places them: gcOrphaned quarantines a missing node with AddAfter(40 s) and deletes its pods
 * in the first pass whose check of the queue finds the quarantine over. Passes run every 20 s from the end
 * of the one before (wait.Until, sliding), so the third pass after the Node's deletion checks only as long
 * after the quarantine's end as passes one and two spent after the AddAfter: with nothing else to do, well
 * under a millisecond, a race between goroutines (the pods went 40–80 s after the Node's deletion in
 * earlier runs, with no pattern). The canaries' calls add a few milliseconds to each pass after the
 * AddAfter, so the third pass finds the quarantine over all but surely. The window NOD-10 judges stays the
 * code's 40–80 s.
 *
 * They are created before the Node's deletion and deleted right after it (arm): the first pass that marks
 * them Failed is then, all but surely, the first after the Node's deletion, the one the quarantine runs
 * from. The timeline names it, which tells how much of the wait was the pass period. */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import type { ClusterWatches } from './watches.ts';
import { podGcCanaryFinalizer, podGcCanaryLabel, podGcCanaryNames, releasePodGcCanaries } from '../lifecycle/podgc-canary-release.ts';

/** A scheduler no cluster runs: the canaries stay unscheduled. */
const noScheduler = 'podlaw.dev/no-scheduler';

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

  /** Creates the canaries (unscheduled; arm() deletes them). */
  static async place(kube: KubeClients, watch: ClusterWatches, namespace: string): Promise<PodGcCanaries> {
    const names: readonly string[] = podGcCanaryNames;
    let canaries: PodGcCanaries | undefined;
    const stop = watch.pods.subscribe((change) => {
      const name = change.object.metadata?.name ?? '';
      if (canaries === undefined || canaries.#firstPassAt !== undefined || change.origin === 'list' || !names.includes(name)) return;
      if (change.object.status?.phase === 'Failed') canaries.#firstPassAt = change.receivedAt.getTime();
    });
    canaries = new PodGcCanaries(kube, namespace, stop);
    try {
      await Promise.all(names.map((name) => kube.core.createNamespacedPod({ namespace, body: canary(name) })));
    } catch (error) {
      await canaries.release();
      throw error;
    }
    return canaries;
  }

  /** Deletes the canaries: they stay, terminating and unscheduled, and every PodGC pass from now on handles them. */
  async arm(): Promise<void> {
    await Promise.all(podGcCanaryNames.map((name) => this.#kube.core.deleteNamespacedPod({ name, namespace: this.#namespace })));
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
