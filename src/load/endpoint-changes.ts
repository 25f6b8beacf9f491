/**
 * When each pod's endpoint in a Service left service, as the test's EndpointSlice watch
 * saw it: the first change after which the endpoint is not ready (terminating,
 * readiness failed) or gone. The starting point of endpoint-removal propagation.
 */
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { WatchSource } from '../kube/watch.ts';

export class EndpointChanges {
  readonly #firstOut = new Map<string, number>();
  readonly #wasReady = new Set<string>();
  readonly #unsubscribe: () => void;

  constructor(slices: WatchSource<V1EndpointSlice>, service: string) {
    const check = (at: number): void => {
      const endpoints = slices
        .objects()
        .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service)
        .flatMap((s) => s.endpoints ?? []);
      const ready = new Set(endpoints.filter((e) => e.conditions?.ready === true).map((e) => e.targetRef?.name ?? ''));
      for (const pod of ready) this.#wasReady.add(pod);
      for (const pod of this.#wasReady) if (!ready.has(pod) && !this.#firstOut.has(pod)) this.#firstOut.set(pod, at);
    };
    this.#unsubscribe = slices.subscribe((c) => check(c.receivedAt.getTime()));
    check(Date.now());
  }

  /** Epoch ms when the pod's endpoint first left service, if it has. */
  leftServiceAt(pod: string): number | undefined {
    return this.#firstOut.get(pod);
  }

  stop(): void {
    this.#unsubscribe();
  }
}
