/**
 * STA-1's helpers: where a node's kubelet reads static pod manifests and how often, each with
 * its source (configz, else the documented default), the static pod manifest itself, and how a
 * mirror pod is recognized. https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { readKubelet } from '../cluster/kubelet.ts';
import { parseGoDuration } from '../cluster/go-duration.ts';
import { fromCluster, fromDefault } from '../cluster/sourced-setting.ts';
import type { Setting } from '../cluster/sourced-setting.ts';
import { namedTimeout, formatSeconds } from '../kube/named-timeout.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { documentedStaticPodPath, staticPodFileName, StaticPodManifestFault } from '../faults/static-pod-manifest.ts';
import { inNodeStatus } from '../faults/node-exec.ts';

export { documentedStaticPodPath, staticPodFileName, StaticPodManifestFault } from '../faults/static-pod-manifest.ts';

/** The mirror pod annotation the kubelet sets (pkg/kubelet/types ConfigMirrorAnnotationKey). */
export const mirrorAnnotation = 'kubernetes.io/config.mirror';
/** Where the kubelet says a pod came from (ConfigSourceAnnotationKey): "file" for a manifest in staticPodPath. */
export const configSourceAnnotation = 'kubernetes.io/config.source';

/** KubeletConfiguration defaults (kubelet.config.k8s.io/v1beta1 reference). */
const defaultFileCheckFrequencyMs = 20_000;
const defaultSyncFrequencyMs = 60_000;
/** The pod workers resync a pod after wait.Jitter(resyncInterval, 0.5) (pkg/kubelet/pod_workers.go, workerResyncIntervalJitterFactor). */
const podWorkerResyncJitter = 0.5;

export interface StaticPodSettings {
  readonly node: string;
  readonly staticPodPath: Setting<string>;
  readonly fileCheckFrequencyMs: Setting<number>;
  readonly syncFrequencyMs: Setting<number>;
}

/** The node kubelet's static pod settings, from its configz, else the documented defaults. */
export async function staticPodSettings(kube: KubeClients, node: string): Promise<StaticPodSettings> {
  const view = await readKubelet(kube, node);
  const config = view.configz;
  const why = view.configzError ?? 'not in configz';
  const path = config?.staticPodPath;
  const fileCheck = config?.fileCheckFrequency;
  const sync = config?.syncFrequency;
  return {
    node,
    staticPodPath:
      path !== undefined && path !== ''
        ? fromCluster(path, `kubelet ${node} configz staticPodPath`)
        : fromDefault(documentedStaticPodPath, `kubeadm's staticPodPath; ${why}`),
    fileCheckFrequencyMs:
      fileCheck !== undefined
        ? fromCluster(parseGoDuration(fileCheck), `kubelet ${node} configz fileCheckFrequency ${fileCheck}`)
        : fromDefault(defaultFileCheckFrequencyMs, `KubeletConfiguration fileCheckFrequency 20s; ${why}`),
    syncFrequencyMs:
      sync !== undefined
        ? fromCluster(parseGoDuration(sync), `kubelet ${node} configz syncFrequency ${sync}`)
        : fromDefault(defaultSyncFrequencyMs, `KubeletConfiguration syncFrequency 1m; ${why}`),
  };
}

/** The kubelet sees a new or removed manifest within fileCheckFrequency (inotify usually at once), then starts it. */
export function staticPodStartTimeout(settings: StaticPodSettings, podStart: NamedTimeout): NamedTimeout {
  const check = settings.fileCheckFrequencyMs.value;
  return namedTimeout(`kubelet file check (fileCheckFrequency ${formatSeconds(check)}) + ${podStart.name}`, check + podStart.ms);
}

/**
 * A deleted mirror pod is recreated in the static pod's next sync: at once on the API's delete event, at the latest at
 * the pod worker's resync, syncFrequency × (1 + 0.5 jitter).
 */
export function mirrorRecreateTimeout(settings: StaticPodSettings): NamedTimeout {
  const sync = settings.syncFrequencyMs.value;
  const ms = Math.ceil(sync * (1 + podWorkerResyncJitter));
  return namedTimeout(`mirror recreated by the pod's next sync (syncFrequency ${formatSeconds(sync)} × 1.5 resync jitter)`, ms);
}

/** A removed manifest is seen within fileCheckFrequency, then the pod is killed (its grace) and its mirror deleted. */
export function staticPodRemoveTimeout(settings: StaticPodSettings, podDelete: NamedTimeout): NamedTimeout {
  const check = settings.fileCheckFrequencyMs.value;
  return namedTimeout(`kubelet file check (fileCheckFrequency ${formatSeconds(check)}) + ${podDelete.name}`, check + podDelete.ms);
}

/** The mirror pod's name: the static pod's name suffixed with "-<node name>" (kubelet's config.generatePodName). */
export function mirrorPodName(pod: string, node: string): string {
  return `${pod}-${node}`;
}

export function isMirrorPod(pod: V1Pod): boolean {
  return pod.metadata?.annotations?.[mirrorAnnotation] !== undefined;
}

/** A static pod of the shell image in the test's namespace, pinned (as every static pod) to the node whose file it is. */
export function staticPodManifest(name: string, namespace: string, image: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'podlaw.dev/law': 'sta-1' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'app',
          image,
          imagePullPolicy: 'Never',
          command: ['/bin/sh', '-c', "trap 'exit 143' TERM; while true; do sleep 3600 & wait $!; done"],
        },
      ],
    },
  });
}

/** The fault writing that manifest, named with the run id so a sweeper finds and owns a killed run's file. */
export function staticPodFault(settings: StaticPodSettings, runId: string, name: string, manifest: string): StaticPodManifestFault {
  return new StaticPodManifestFault(settings.node, settings.staticPodPath.value, staticPodFileName(runId, name), manifest);
}

const readySandboxes = (namespace: string, pod: string): string[] => [
  'crictl',
  'pods',
  '--namespace',
  namespace,
  '--name',
  `^${pod}$`,
  '--state',
  'Ready',
  '-q',
];

/** How many Ready CRI sandboxes the node holds for the pod (the static pod runs under its mirror's name). */
export async function readySandboxCount(node: string, namespace: string, pod: string): Promise<number> {
  const result = await inNodeStatus(node, readySandboxes(namespace, pod));
  if (result.exitCode !== 0) throw new Error(`crictl pods in ${node}: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line.trim() !== '').length;
}

/**
 * Waits until the node's runtime holds no Ready sandbox for the static pod (it was stopped, not only unmirrored: the
 * kubelet deletes an orphaned mirror in housekeeping, which may come before the kill ends). The CRI has no watch here,
 * so the wait polls crictl inside the node, bounded by `timeout`; returns when the sandbox was last seen Ready or not.
 */
export async function waitForNoReadySandbox(node: string, namespace: string, pod: string, timeout: NamedTimeout): Promise<Date> {
  const seconds = String(Math.ceil(timeout.ms / 1000));
  const poll = 'while [ -n "$(crictl pods --namespace "$1" --name "^$2$" --state Ready -q)" ]; do sleep 0.2; done';
  const result = await inNodeStatus(node, ['timeout', seconds, 'sh', '-c', poll, 'sh', namespace, pod]);
  if (result.exitCode !== 0) {
    throw new Error(
      `${node}: a Ready sandbox of ${namespace}/${pod} still there after ${timeout.name} (exit ${result.exitCode}) ${result.stderr}`,
    );
  }
  return new Date();
}
