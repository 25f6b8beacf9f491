/**
 * Pod anatomy: the effective request of a pod with init containers (INI-1).
 *
 * "The highest of any particular resource request or limit defined on all init containers is the effective
 * init request/limit. … The Pod's effective request/limit for a resource is the higher of: the sum of all app
 * containers request/limit for a resource, the effective init request/limit for a resource."
 * https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * Sidecars (restartable init containers) keep running: their requests add to every init container started
 * after them and to the app containers (the scheduler's code: pkg/api/v1/resource/helpers.go, PodRequests).
 */

export interface InitRequest {
  /** The init container's request of one resource, in its base unit (bytes, millicores). */
  readonly request: number;
  /** restartPolicy: Always (a sidecar). */
  readonly restartable: boolean;
}

export interface EffectiveRequest {
  readonly effectiveInit: number;
  readonly appSum: number;
  readonly effective: number;
}

/** The documented max(largest init request, sum of app requests), sidecars counted as they run alongside. */
export function effectiveRequest(init: readonly InitRequest[], app: readonly number[]): EffectiveRequest {
  let sidecars = 0;
  let effectiveInit = 0;
  for (const container of init) {
    effectiveInit = Math.max(effectiveInit, sidecars + container.request);
    if (container.restartable) sidecars += container.request;
  }
  const appSum = app.reduce((sum, r) => sum + r, 0) + sidecars;
  return { effectiveInit, appSum, effective: Math.max(effectiveInit, appSum) };
}
