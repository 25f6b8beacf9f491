/** Waits on the Kubernetes Events of the test's namespace. */
import type { CoreV1Event } from '@kubernetes/client-node';
import { eventsAbout, eventTime } from '../kube/events.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { waitFor } from '../kube/wait.ts';
import type { ClusterWatches } from './watches.ts';

export { eventsAbout, eventTime, firstEventTime } from '../kube/events.ts';

/**
 * Event times have whole seconds (truncated), so an event of the same second as `since`
 * counts: the comparison is against `since` truncated to the second.
 */
export function happenedSince(event: CoreV1Event, since: Date | undefined): boolean {
  if (since === undefined) return true;
  const at = eventTime(event);
  return at !== undefined && at.getTime() >= Math.floor(since.getTime() / 1000) * 1000;
}

/** Waits for an event of the given reason about a pod (and container). */
export function waitForEvent(
  watch: ClusterWatches,
  pod: string,
  reason: string,
  timeout: NamedTimeout,
  options: {
    readonly container?: string;
    readonly matching?: (event: CoreV1Event) => boolean;
    /** Only events that last happened at or after this time (the fault's): older ones are not its effect. */
    readonly since?: Date;
  } = {},
): Promise<CoreV1Event> {
  const about = `event ${reason} about pod ${pod}${options.container !== undefined ? ` container ${options.container}` : ''}${
    options.since !== undefined ? ` since ${options.since.toISOString()}` : ''
  }`;
  return waitFor(
    watch.events,
    (events) =>
      eventsAbout(events, pod, reason, options.container).find(
        (e) => happenedSince(e, options.since) && (options.matching === undefined || options.matching(e)),
      ),
    { description: about, timeout },
  );
}
