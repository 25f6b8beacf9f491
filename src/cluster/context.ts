/** What a test (or a load session) knows of the cluster it runs against: clients, version, settings with their sources. */
import type { HarnessSettings } from '../run-settings.ts';
import type { KubeClients } from '../kube/client.ts';
import type { ServerVersion } from './version.ts';
import type { ClusterTiming } from './cluster-timing.ts';

export interface ClusterContext {
  readonly settings: HarnessSettings;
  readonly kube: KubeClients;
  readonly version: ServerVersion;
  readonly timing: ClusterTiming;
}
