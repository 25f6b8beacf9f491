/**
 * Reading a Node's status: its Ready condition and role. The one place this is parsed;
 * the harness, the cluster's health check and the timeline summaries use it.
 */
import type { V1Node } from '@kubernetes/client-node';

/** The status of the node's Ready condition ("True", "False", "Unknown"), undefined when it has none yet. */
export function nodeReadyStatus(node: V1Node): string | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** The reason of the node's Ready condition ("KubeletReady", "NodeStatusUnknown", …). */
export function nodeReadyReason(node: V1Node): string | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.reason;
}

export function isNodeReady(node: V1Node): boolean {
  return nodeReadyStatus(node) === 'True';
}

/** podlaw's role label on its own cluster's nodes: pressure, loss, general. */
export const nodeRoleLabel = 'podlaw.dev/role';

export function nodeRole(node: V1Node): string | undefined {
  return node.metadata?.labels?.[nodeRoleLabel];
}
