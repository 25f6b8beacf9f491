/** In-cluster placement: not yet wired (see the report); fails with one line rather than silently using the host. */
import type { KubeClients } from '../kube/client.ts';
import { LoadError } from './errors.ts';
import type { LoadRun } from './run.ts';
import type { LoadScenario } from './scenario.ts';

export async function startJobLoad(_kube: KubeClients, _namespace: string, scenario: LoadScenario): Promise<LoadRun> {
  throw new LoadError(`load ${scenario.name}: the in-cluster Job placement is not available yet`);
}
