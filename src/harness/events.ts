/** Waits on the Kubernetes Events of the test's namespace. */
import type { CoreV1Event } from '@kubernetes/client-node';
import { eventsAbout } from '../kube/events.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { waitFor } from '../kube/wait.ts';
import type { ClusterWatches } from './watches.ts';

export { eventsAbout, eventTime, firstEventTime } from '../kube/events.ts';

/** Waits for an event of the given reason about a pod (and container). */
export function waitForEvent(
  watch: ClusterWatches,
  pod: string,
  reason: string,
  timeout: NamedTimeout,
  options: { readonly container?: string; readonly matching?: (event: CoreV1Event) => boolean } = {},
): Promise<CoreV1Event> {
  const about = `event ${reason} about pod ${pod}${options.container !== undefined ? ` container ${options.container}` : ''}`;
  return waitFor(
    watch.events,
    (events) => eventsAbout(events, pod, reason, options.container).find((e) => options.matching === undefined || options.matching(e)),
    { description: about, timeout },
  );
}
