/**
 * Who may break what. Destructive faults (pausing a node, filling a node's memory)
 * run only on the kind cluster podlaw created itself, or where the operator opted in
 * explicitly (`podlaw run --allow-destructive`, which sets PODLAW_ALLOW_DESTRUCTIVE=1).
 */
import { containerLabel } from './docker.ts';
import { clusterName, kubeContext } from './podlaw-cluster.ts';
export const destructiveOptInEnv = 'PODLAW_ALLOW_DESTRUCTIVE';

export function destructiveOptIn(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[destructiveOptInEnv] === '1';
}

/**
 * The cluster is podlaw's own when the context is the one kind wrote for the podlaw
 * cluster and that cluster's control-plane container, labelled by kind, is on this host.
 */
export async function isPodlawCluster(context: string): Promise<boolean> {
  if (context !== kubeContext) return false;
  return (await containerLabel(`${clusterName}-control-plane`, 'io.x-k8s.kind.cluster')) === clusterName;
}

/** undefined when destructive faults are allowed; otherwise the reason, for a "not applicable" verdict. */
export async function destructiveFaultRefusal(context: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (destructiveOptIn(env) || (await isPodlawCluster(context))) return undefined;
  return `destructive faults are off on a cluster podlaw did not create (context ${context}); opt in with podlaw run --allow-destructive`;
}
