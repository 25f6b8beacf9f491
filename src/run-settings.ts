/**
 * Harness settings that come from the environment. Every default here is only the
 * default of a setting: an operator points podlaw at another cluster with
 * PODLAW_KUBECONFIG / PODLAW_CONTEXT without touching code.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { kubeContext } from './podlaw-cluster.ts';

export interface HarnessSettings {
  /** Path of the kubeconfig file the harness reads. */
  readonly kubeconfigPath: string;
  /** Context inside that kubeconfig. */
  readonly context: string;
  /** Identifier shared by every namespace and object of one run, for cleanup and reports. */
  readonly runId: string;
  /**
   * PODLAW_AS: act as this user through impersonation (the kubeconfig's user needs the
   * impersonate verb), to check that a role such as deploy/rbac/podlaw.yaml is enough.
   */
  readonly impersonate?: string;
}

/** podlaw's own cluster, unless PODLAW_CONTEXT says otherwise. */
export const defaultContext = kubeContext;

export function kubeconfigPathFrom(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const explicit = env['PODLAW_KUBECONFIG'];
  if (explicit !== undefined && explicit !== '') return explicit;
  // KUBECONFIG may list several files; kubectl merges them, podlaw reads the first.
  const kubectlStyle = env['KUBECONFIG'];
  if (kubectlStyle !== undefined && kubectlStyle !== '') {
    const first = kubectlStyle.split(':').find((part) => part !== '');
    if (first !== undefined) return first;
  }
  return join(home, '.kube', 'config');
}

/** A short, DNS-label-safe id: base-36 time plus randomness. */
export function newRunId(now: number = Date.now(), random: () => number = Math.random): string {
  const time = Math.floor(now / 1000)
    .toString(36)
    .slice(-5);
  const noise = Math.floor(random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0');
  return `${time}${noise}`;
}

export function harnessSettings(env: NodeJS.ProcessEnv = process.env): HarnessSettings {
  const context = env['PODLAW_CONTEXT'];
  const runId = env['PODLAW_RUN_ID'];
  const impersonate = env['PODLAW_AS'];
  return {
    kubeconfigPath: kubeconfigPathFrom(env),
    context: context !== undefined && context !== '' ? context : defaultContext,
    runId: runId !== undefined && runId !== '' ? runId : newRunId(),
    ...(impersonate !== undefined && impersonate !== '' ? { impersonate } : {}),
  };
}
