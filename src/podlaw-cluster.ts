/**
 * The identity of the cluster podlaw creates: its kind name, the kube context kind
 * writes for it, its node containers and the host port its NodePort is mapped to.
 * The scripts create it under these names; the harness recognizes it by them.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const clusterName = 'podlaw';
export const kubeContext = `kind-${clusterName}`;
export const nodeContainers = [
  `${clusterName}-control-plane`,
  `${clusterName}-worker`,
  `${clusterName}-worker2`,
  `${clusterName}-worker3`,
  `${clusterName}-worker4`,
] as const;
/** Host port mapped to NodePort 30080 on the control plane (kind-config.yaml). */
export const hostNodePort = 30080;

/** The kubeconfig kind writes the cluster's context into: the first file of KUBECONFIG, else ~/.kube/config (as kubectl reads it). */
export function ownKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env['KUBECONFIG']?.split(':').find((part) => part !== '');
  return first ?? join(homedir(), '.kube', 'config');
}
