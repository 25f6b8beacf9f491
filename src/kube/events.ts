/**
 * Reading Kubernetes Events: when one happened and which are about a given object.
 * Pure; the harness's event waits and the timeline's summaries use it.
 */
import type { CoreV1Event } from '@kubernetes/client-node';

/** The time an event says it happened: eventTime (µs) when set, else lastTimestamp. */
export function eventTime(event: CoreV1Event): Date | undefined {
  const when = event.eventTime ?? event.lastTimestamp ?? event.firstTimestamp;
  return when === undefined ? undefined : new Date(when);
}

/**
 * When an aggregated event first happened: firstTimestamp (whole seconds, so up to 1 s
 * early), else eventTime. Throws when the event carries neither.
 */
export function firstEventTime(event: CoreV1Event): Date {
  const when = event.firstTimestamp ?? event.eventTime;
  if (when === undefined) throw new Error(`event ${event.metadata?.name ?? '?'} (${event.reason ?? '?'}) has no timestamp`);
  return new Date(when);
}

/** Events of a reason about an object (and, when given, one of its containers or init containers). */
export function eventsAbout(events: readonly CoreV1Event[], object: string, reason: string, container?: string): CoreV1Event[] {
  return events.filter(
    (e) =>
      e.involvedObject.name === object &&
      e.reason === reason &&
      (container === undefined ||
        e.involvedObject.fieldPath === `spec.containers{${container}}` ||
        e.involvedObject.fieldPath === `spec.initContainers{${container}}`),
  );
}
