/**
 * When the taint manager acted on a pod. Its timer fires tolerationSeconds after it processed
 * the taint; then it emits the TaintManagerEviction event, reads the pod, patches the
 * DisruptionTarget condition and deletes it (pkg/controller/tainteviction/taint_eviction.go
 * deletePodHandler, addConditionAndDeletePod). The deletion is three API writes after the
 * countdown ended — under CPU contention more than the half second the countdown's window gives
 * watch delivery — so the countdown ends at the first of these a watch shows.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { waitFor } from '../kube/wait.ts';
import { firstSeen, disruptionReason, type Sighting } from './node-loss.ts';
import type { ClusterWatches } from './watches.ts';

export interface TaintManagerAct {
  /** When the watch delivered the act (epoch ms). */
  readonly at: number;
  /** Which act it was, for the report. */
  readonly what: string;
}

/** The event's own write: once the deletion is seen, the event queued before it is seen within this or was dropped. */
const eventWriteMs = 2_000;

/** Watches one pod for the taint manager's acts: start it before the countdown can end. */
export class TaintManagerActs {
  readonly #onPod: Promise<Sighting<V1Pod>>;
  readonly #event: Promise<Sighting<CoreV1Event>>;
  readonly #deletion: Promise<Sighting<V1Pod>>;

  constructor(watch: ClusterWatches, pod: V1Pod, timeout: NamedTimeout) {
    const uid = pod.metadata?.uid;
    const name = pod.metadata?.name ?? '';
    this.#onPod = firstSeen(
      watch.pods,
      (pods) =>
        pods.find((p) => p.metadata?.uid === uid && (disruptionReason(p) !== undefined || p.metadata?.deletionTimestamp !== undefined)),
      `pod ${name} DisruptionTarget condition or deletion`,
      timeout,
    );
    // The controller's event names the pod by namespace and name only (emitPodDeletionEvent builds the reference without a
    // UID), so only an event delivered after this watcher began counts: a same-named pod's older event is not this one's.
    const namespace = pod.metadata?.namespace ?? '';
    const message = `Marking for deletion Pod ${namespace}/${name}`;
    this.#event = waitFor(
      watch.events,
      (_events, change) => {
        const e = change?.type === 'DELETED' ? undefined : change?.object;
        const about = e?.involvedObject;
        return e !== undefined &&
          about?.kind === 'Pod' &&
          about.namespace === namespace &&
          about.name === name &&
          e.reason === 'TaintManagerEviction' &&
          e.message === message
          ? { at: (change?.receivedAt ?? new Date()).getTime(), object: e }
          : undefined;
      },
      { description: `TaintManagerEviction event about ${name}`, timeout },
    );
    this.#deletion = firstSeen(
      watch.pods,
      (pods) => pods.find((p) => p.metadata?.uid === uid && p.metadata?.deletionTimestamp !== undefined),
      `pod ${name} marked for deletion`,
      timeout,
    );
    // Awaited by first(); a test that ends early must not report them as unhandled.
    this.#onPod.catch(() => undefined);
    this.#event.catch(() => undefined);
    this.#deletion.catch(() => undefined);
  }

  /** The pod's deletion as the watch delivered it: the act that follows the countdown, whenever it comes. */
  deleted(): Promise<Sighting<V1Pod>> {
    return this.#deletion;
  }

  /** The earliest act seen: the event, or the condition or deletion on the pod (events can be dropped: then those alone). */
  async first(): Promise<TaintManagerAct> {
    const onPod = await this.#onPod;
    const event = await settledWithin(this.#event, Math.max(0, onPod.at + eventWriteMs - Date.now()));
    if (event !== undefined && event.at < onPod.at) return { at: event.at, what: 'TaintManagerEviction event seen' };
    return { at: onPod.at, what: disruptionReason(onPod.object) !== undefined ? 'DisruptionTarget condition seen' : 'deletion seen' };
  }
}

/** The promise's value if it settles within `ms`, else undefined (a rejection counts as not settled). */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    const done = (value: T | undefined): void => {
      clearTimeout(timer);
      resolve(value);
    };
    promise.then(done, () => done(undefined));
  });
}
