/**
 * Reading pod status the way the laws talk about it. Pure.
 */
import type { V1ContainerStateTerminated, V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';

export function podCondition(pod: V1Pod, type: string): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export function isPodReady(pod: V1Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

export function containerStatus(pod: V1Pod, name: string): V1ContainerStatus | undefined {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((c) => c.name === name);
}

export function restartCount(pod: V1Pod, container: string): number {
  return containerStatus(pod, container)?.restartCount ?? 0;
}

export function isRunning(pod: V1Pod, container: string): boolean {
  return containerStatus(pod, container)?.state?.running !== undefined;
}

/** One run of a container: from its start to its exit, as the kubelet reported them. */
export interface ContainerRun {
  readonly containerID: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | undefined;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;
}

/**
 * Every run of a container seen across successive versions of a pod: the current state
 * and lastState of each version, merged by container ID and sorted by start time.
 */
export function containerRuns(versions: readonly V1Pod[], container: string): ContainerRun[] {
  const runs = new Map<string, ContainerRun>();
  const remember = (run: ContainerRun): void => {
    const known = runs.get(run.containerID);
    if (known === undefined || (known.finishedAt === undefined && run.finishedAt !== undefined)) runs.set(run.containerID, run);
  };
  for (const pod of versions) {
    const status = containerStatus(pod, container);
    if (status === undefined) continue;
    const running = status.state?.running;
    if (running?.startedAt !== undefined && status.containerID !== undefined) {
      remember({
        containerID: status.containerID,
        startedAt: new Date(running.startedAt),
        finishedAt: undefined,
        exitCode: undefined,
        reason: undefined,
      });
    }
    for (const terminated of [status.state?.terminated, status.lastState?.terminated]) {
      if (terminated?.startedAt === undefined || terminated.containerID === undefined) continue;
      const finishedAt = terminated.finishedAt !== undefined ? new Date(terminated.finishedAt) : undefined;
      // A container the runtime failed to start (StartError) never started: it reports
      // startedAt as the epoch. The attempt happened when it failed.
      const reportedStart = new Date(terminated.startedAt);
      remember({
        containerID: terminated.containerID,
        startedAt: reportedStart.getTime() <= 0 && finishedAt !== undefined ? finishedAt : reportedStart,
        finishedAt,
        exitCode: terminated.exitCode,
        reason: terminated.reason,
      });
    }
  }
  // startedAt has 1 s resolution: a container restarted within the second it started ties with its previous run. Runs of
  // one container never overlap, so of two tied runs the one that ended (or ended first) came first.
  const endOf = (run: ContainerRun): number => run.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return [...runs.values()].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || endOf(a) - endOf(b));
}

/** Gaps between one run's exit and the next run's start, in ms. */
export function restartGaps(runs: readonly ContainerRun[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < runs.length; i += 1) {
    const previous = runs[i - 1];
    const next = runs[i];
    if (previous?.finishedAt === undefined || next === undefined) break;
    gaps.push(next.startedAt.getTime() - previous.finishedAt.getTime());
  }
  return gaps;
}

/** How a stopped container's end was reported, and in which field. */
export interface ReportedTermination {
  readonly terminated: V1ContainerStateTerminated;
  readonly field: 'state.terminated' | 'lastState.terminated';
}

/**
 * The end of a container in a terminal pod. The kubelet normally reports it in state.terminated. When the
 * runtime no longer returns a container last seen running (an evicted pod's dead containers are removed at
 * once), convertToAPIContainerStatuses leaves the state waiting with ContainerStatusUnknown (137, no
 * container ID) in lastState.terminated; TerminatePod later writes its own placeholder into state. Any other
 * lastState is an earlier run's end (the kubelet keeps it and adds no placeholder), not this container's.
 */
export function reportedTermination(pod: V1Pod, container: string): ReportedTermination | undefined {
  const status = containerStatus(pod, container);
  if (status?.state?.terminated !== undefined) return { terminated: status.state.terminated, field: 'state.terminated' };
  const terminal = pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
  const last = status?.lastState?.terminated;
  const placeholder = last?.reason === 'ContainerStatusUnknown' && last.containerID === undefined;
  if (terminal && status?.state?.running === undefined && last !== undefined && placeholder) {
    return { terminated: last, field: 'lastState.terminated' };
  }
  return undefined;
}

/**
 * Whether a field manager has written the pod's status (managedFields, subresource status). The node
 * lifecycle controller writes as kube-controller-manager; before a node is lost nothing of it writes a
 * pod's status, so this tells its MarkPodsNotReady from the kubelet's own readiness. Pure.
 */
export function statusWrittenBy(pod: V1Pod, manager: string): boolean {
  return (pod.metadata?.managedFields ?? []).some((m) => m.manager === manager && m.subresource === 'status');
}
