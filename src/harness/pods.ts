/**
 * Waits on pods, endpoints and events phrased the way the suites need them. Every
 * wait is a watch with a named budget; none sleeps.
 */
import type { CoreV1Event, V1Endpoint, V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { isPodReady, isRunning } from '../kube/pod-status.ts';
import { waitFor, waitForObject } from '../kube/wait.ts';
import { upstreamTimeouts } from '../laws/timing.ts';
import type { Observer } from './observer.ts';

export function waitForPod(
  observe: Observer,
  name: string,
  predicate: (pod: V1Pod) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Pod> {
  return waitForObject(observe.pods, name, predicate, { description: `pod ${name}: ${description}`, timeout });
}

/** Running (and Ready, when asked) within the upstream e2e pod-start budget. */
export function waitForPodRunning(observe: Observer, name: string, container = 'app', options: { readonly ready?: boolean } = {}): Promise<V1Pod> {
  const ready = options.ready ?? false;
  return waitForPod(
    observe,
    name,
    (pod) => isRunning(pod, container) && (!ready || isPodReady(pod)),
    ready ? `container ${container} running and pod Ready` : `container ${container} running`,
    upstreamTimeouts.podStart,
  );
}

/** The endpoint of a pod in any EndpointSlice of a Service. */
export function endpointOf(slices: readonly V1EndpointSlice[], service: string, pod: string): V1Endpoint | undefined {
  return slices
    .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((s) => s.endpoints ?? [])
    .find((e) => e.targetRef?.name === pod);
}

export function waitForEndpoint(
  observe: Observer,
  service: string,
  pod: string,
  predicate: (endpoint: V1Endpoint | undefined) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Endpoint | undefined> {
  let last: V1Endpoint | undefined;
  return waitFor(
    observe.endpointSlices,
    (slices) => {
      const endpoint = endpointOf(slices, service, pod);
      last = endpoint;
      // Wrapped so that "no endpoint" can itself be the awaited state.
      return predicate(endpoint) ? { endpoint } : undefined;
    },
    { description: `endpoint of pod ${pod} in Service ${service}: ${description}`, timeout, lastSeen: () => last ?? 'no endpoint for the pod' },
  ).then((found) => found.endpoint);
}

export function eventsAbout(events: readonly CoreV1Event[], object: string, reason: string, container?: string): CoreV1Event[] {
  return events.filter(
    (e) =>
      e.involvedObject.name === object &&
      e.reason === reason &&
      (container === undefined || e.involvedObject.fieldPath === `spec.containers{${container}}` || e.involvedObject.fieldPath === `spec.initContainers{${container}}`),
  );
}

/** Waits for an event of the given reason about a pod (and container). */
export function waitForEvent(
  observe: Observer,
  pod: string,
  reason: string,
  timeout: NamedTimeout,
  options: { readonly container?: string; readonly matching?: (event: CoreV1Event) => boolean } = {},
): Promise<CoreV1Event> {
  return waitFor(
    observe.events,
    (events) => eventsAbout(events, pod, reason, options.container).find((e) => options.matching === undefined || options.matching(e)),
    { description: `event ${reason} about pod ${pod}${options.container !== undefined ? ` container ${options.container}` : ''}`, timeout },
  );
}

/**
 * Waits for a version of a pod — including the last one, delivered with its deletion —
 * to satisfy a predicate. For states a pod may pass through just before it disappears.
 */
export function waitForPodVersion(
  observe: Observer,
  name: string,
  uid: string | undefined,
  predicate: (pod: V1Pod) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Pod> {
  return waitFor(observe.pods, () => observe.historyOf(name, uid).find(predicate), {
    description: `pod ${name}: ${description}`,
    timeout,
    lastSeen: () => observe.historyOf(name, uid).at(-1),
  });
}
