/**
 * One-line views of watched objects, small enough to record on every change and to
 * compare: a transition is recorded when the summary changes, not on every status write.
 */
import type { CoreV1Event, V1ContainerStatus, V1EndpointSlice, V1Node, V1Pod } from '@kubernetes/client-node';
import { nodeReadyStatus } from '../kube/node-status.ts';
import { podCondition } from '../kube/pod-status.ts';

function containerState(status: V1ContainerStatus): string {
  const state = status.state;
  if (state?.running !== undefined) return 'running';
  if (state?.terminated !== undefined) {
    return `terminated:${state.terminated.reason ?? 'Unknown'}(${state.terminated.exitCode})`;
  }
  if (state?.waiting !== undefined) return `waiting:${state.waiting.reason ?? 'Unknown'}`;
  return 'unknown';
}

function containerLine(status: V1ContainerStatus): string {
  const ready = status.ready ? 'ready' : 'unready';
  const started = status.started === true ? ',started' : '';
  return `${status.name}=${containerState(status)},${ready}${started},restarts=${status.restartCount}`;
}

export function podSummary(pod: V1Pod): string {
  const ready = podCondition(pod, 'Ready')?.status ?? '-';
  const deleting = pod.metadata?.deletionTimestamp !== undefined ? ' deleting' : '';
  const init = (pod.status?.initContainerStatuses ?? []).map((s) => `init:${containerLine(s)}`);
  const main = (pod.status?.containerStatuses ?? []).map(containerLine);
  const ip = pod.status?.podIP ?? '-';
  return `${pod.status?.phase ?? 'Unknown'} Ready=${ready}${deleting} ip=${ip} node=${pod.spec?.nodeName ?? '-'} [${[...init, ...main].join(' ')}]`;
}

export function endpointSliceSummary(slice: V1EndpointSlice): string {
  const endpoints = (slice.endpoints ?? []).map((endpoint) => {
    const c = endpoint.conditions;
    const flag = (value: boolean | undefined): string => (value === undefined ? '?' : value ? '1' : '0');
    const who = endpoint.targetRef?.name ?? endpoint.addresses.join(',');
    return `${who}(ready=${flag(c?.ready)},serving=${flag(c?.serving)},terminating=${flag(c?.terminating)})`;
  });
  return `service=${slice.metadata?.labels?.['kubernetes.io/service-name'] ?? '-'} [${endpoints.join(' ')}]`;
}

export function nodeSummary(node: V1Node): string {
  const ready = nodeReadyStatus(node) ?? '-';
  const pressure = (node.status?.conditions ?? []).filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type);
  const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
  return `Ready=${ready}${pressure.length > 0 ? ` ${pressure.join(',')}` : ''} taints=[${taints.join(' ')}]${
    node.spec?.unschedulable === true ? ' cordoned' : ''
  }`;
}

export function eventSummary(event: CoreV1Event): string {
  const object = `${event.involvedObject.kind ?? ''}/${event.involvedObject.name ?? ''}`;
  const field = event.involvedObject.fieldPath !== undefined ? `[${event.involvedObject.fieldPath}]` : '';
  const count = (event.count ?? 1) > 1 ? ` ×${event.count}` : '';
  return `${event.type ?? ''} ${event.reason ?? ''} ${object}${field}${count}: ${event.message ?? ''}`;
}
