/**
 * A scenario's fault step as a podlaw Fault: the kinds a game day can inject, each built
 * from the existing fault classes (src/faults). A kind not listed here is refused before
 * anything is touched (the plan says so).
 */
import type { KubeClients } from '../kube/client.ts';
import type { Fault } from '../faults/fault.ts';
import { KubeletStopFault } from '../faults/kubelet-stop.ts';
import { MemoryPressureFault } from '../faults/memory-pressure.ts';
import { NodePartitionFault } from '../faults/node-partition.ts';
import { NodePauseFault } from '../faults/node-pause.ts';
import { NodeStopFault } from '../faults/node-stop.ts';
import { PodDeletion } from '../faults/pod-delete.ts';
import { clusterName } from '../podlaw-cluster.ts';
import type { FaultStep } from './scenario.ts';

export const gameDayFaultKinds = ['node-pause', 'node-stop', 'kubelet-stop', 'node-partition', 'pod-delete', 'memory-pressure'] as const;

/** Kinds that need podlaw's own cluster or --allow-destructive (src/safety.ts). */
export const destructiveKinds: readonly string[] = ['node-pause', 'node-stop', 'kubelet-stop', 'node-partition', 'memory-pressure'];

export function faultFor(step: FaultStep, kube: KubeClients, namespace: string): Fault {
  const node = step.target.node;
  const needNode = (): string => {
    if (node === undefined) throw new Error(`${step.at}: ${step.faultKind} needs target.node`);
    return node;
  };
  switch (step.faultKind) {
    case 'node-pause':
      return new NodePauseFault(needNode());
    case 'node-stop':
      return new NodeStopFault(needNode(), kube);
    case 'kubelet-stop':
      return new KubeletStopFault(needNode());
    case 'node-partition':
      return new NodePartitionFault(needNode(), `${clusterName}-control-plane`);
    case 'memory-pressure': {
      const bytes = Number(step.params['bytes']);
      return new MemoryPressureFault(needNode(), bytes);
    }
    case 'pod-delete':
      return new PodDeletion(
        kube,
        {
          namespace: step.target.namespace ?? namespace,
          ...(step.target.selector === undefined ? {} : { labelSelector: step.target.selector }),
        },
        { kind: 'graceful' },
        { kind: step.mode },
      );
    default:
      throw new Error(`${step.at}: fault kind "${step.faultKind}" is not available in this podlaw`);
  }
}
