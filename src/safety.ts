/**
 * Who may break what. Destructive faults (pausing a node, filling a node's memory)
 * run only on the cluster podlaw created itself, or where the operator opted in
 * explicitly (`podlaw run --allow-destructive`). The CLI decides once and passes the
 * decision to the test workers through the environment.
 */
export interface SafetySettings {
  /** The cluster is the kind cluster podlaw created (its node containers are podlaw's). */
  readonly clusterOwned: boolean;
  readonly destructiveOptIn: boolean;
}

export const safetyEnv = {
  clusterOwned: 'PODLAW_CLUSTER_OWNED',
  destructiveOptIn: 'PODLAW_ALLOW_DESTRUCTIVE',
} as const;

export function safetySettings(env: NodeJS.ProcessEnv = process.env): SafetySettings {
  return { clusterOwned: env[safetyEnv.clusterOwned] === '1', destructiveOptIn: env[safetyEnv.destructiveOptIn] === '1' };
}

/** undefined when allowed; otherwise the reason, for a "not applicable" verdict. */
export function destructiveFaultRefusal(settings: SafetySettings = safetySettings()): string | undefined {
  if (settings.clusterOwned || settings.destructiveOptIn) return undefined;
  return 'destructive faults are off on a cluster podlaw did not create (opt in with podlaw run --allow-destructive)';
}
