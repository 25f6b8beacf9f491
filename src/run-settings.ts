/**
 * Harness settings that come from the environment. Every default here is only the
 * default of a setting: an operator points podlaw at another cluster with
 * PODLAW_KUBECONFIG / PODLAW_CONTEXT without touching code.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { kubeContext } from './podlaw-cluster.ts';
import { PodlawError } from './errors.ts';

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

/**
 * The run id a caller chose (PODLAW_RUN_ID, e.g. a bench that must know its runs), or a new one.
 * It goes into namespace names and label values, so only short lowercase alphanumerics pass.
 */
export function runIdFor(env: NodeJS.ProcessEnv = process.env): string {
  const given = env['PODLAW_RUN_ID'];
  if (given === undefined || given === '') return newRunId();
  if (!/^[a-z0-9]{4,12}$/.test(given)) {
    throw new PodlawError('usage', `PODLAW_RUN_ID "${given}" is not 4–12 lowercase letters or digits`, 'unset it, or choose such an id');
  }
  return given;
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
