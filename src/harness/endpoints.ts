/** Waits on the endpoints of a Service, as its EndpointSlices show them to consumers. */
import type { V1Endpoint, V1EndpointSlice } from '@kubernetes/client-node';
import { namedTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { waitFor } from '../kube/wait.ts';
import type { ClusterWatches } from './watches.ts';

/** The endpoint of a pod in any EndpointSlice of a Service. */
export function endpointOf(slices: readonly V1EndpointSlice[], service: string, pod: string): V1Endpoint | undefined {
  return slices
    .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((s) => s.endpoints ?? [])
    .find((e) => e.targetRef?.name === pod);
}

export function waitForEndpoint(
  watch: ClusterWatches,
  service: string,
  pod: string,
  predicate: (endpoint: V1Endpoint | undefined) => boolean,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Endpoint | undefined> {
  let last: V1Endpoint | undefined;
  return waitFor(
    watch.endpointSlices,
    (slices) => {
      const endpoint = endpointOf(slices, service, pod);
      last = endpoint;
      // Wrapped so that "no endpoint" can itself be the awaited state.
      return predicate(endpoint) ? { endpoint } : undefined;
    },
    {
      description: `endpoint of pod ${pod} in Service ${service}: ${description}`,
      timeout,
      lastSeen: () => last ?? 'no endpoint for the pod',
    },
  ).then((found) => found.endpoint);
}

/** Waits until each deleted pod's endpoint has left the Service: after its preStop, within its grace period (+ 5 s). */
export async function waitForEndpointsGone(
  watch: ClusterWatches,
  service: string,
  pods: Iterable<string>,
  preStopSeconds: number,
  graceSeconds: number,
): Promise<void> {
  const budget = namedTimeout(`preStop ${preStopSeconds} s within grace ${graceSeconds} s`, (graceSeconds + 5) * 1000);
  for (const pod of pods) await waitForEndpoint(watch, service, pod, (e) => e === undefined, 'gone from the EndpointSlice', budget);
}

/** Waits until the namespace's EndpointSlices hold at least `count` ready endpoints. */
export function waitForReadyEndpoints(
  watch: ClusterWatches,
  count: number,
  description: string,
  timeout: NamedTimeout,
): Promise<V1Endpoint[]> {
  return waitFor(
    watch.endpointSlices,
    (slices) => {
      const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true);
      return ready.length >= count ? ready : undefined;
    },
    { description, timeout },
  );
}
