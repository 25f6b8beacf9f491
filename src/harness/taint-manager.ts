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
    this.#event = firstSeen(
      watch.events,
      (events) =>
        events.find(
          (e) =>
            e.involvedObject.uid === uid && e.reason === 'TaintManagerEviction' && (e.message ?? '').startsWith('Marking for deletion'),
        ),
      `TaintManagerEviction event about ${name}`,
      timeout,
    );
    // Awaited by first(); a test that ends early must not report them as unhandled.
    this.#onPod.catch(() => undefined);
    this.#event.catch(() => undefined);
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
