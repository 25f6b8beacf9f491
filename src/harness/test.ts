/**
 * The Playwright fixtures every law suite uses:
 * - cluster (worker): API clients, server version, timing settings with their sources;
 * - namespace (test): a fresh namespace labelled with the run id, deleted on teardown;
 * - timeline (test): what the test watched and did, attached as JSON;
 * - observe (test): watches on the namespace's pods, EndpointSlices, events and the nodes;
 * - objects (test): applies fixture manifests, deletes what it created;
 * - faults (test): injects faults and always recovers them on teardown;
 * - failureArtifacts (auto): events, pod YAML and logs attached when a test fails.
 */
import { test as base, expect } from '@playwright/test';
import type { V1ServiceAccount } from '@kubernetes/client-node';
import { PodlawError } from '../errors.ts';
import { harnessSettings } from '../settings.ts';
import type { HarnessSettings } from '../settings.ts';
import { connect } from '../kube/client.ts';
import type { KubeClients } from '../kube/client.ts';
import { resourceTypes } from '../kube/resources.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { waitForObject } from '../kube/wait.ts';
import { readServerVersion } from '../cluster/version.ts';
import type { ServerVersion } from '../cluster/version.ts';
import { readClusterTiming } from '../cluster/timing.ts';
import type { ClusterTiming } from '../cluster/timing.ts';
import { upstreamTimeouts } from '../laws/timing.ts';
import { Timeline } from '../timeline/timeline.ts';
import { FaultRegistry } from '../faults/registry.ts';
import { observationsAttachmentName, timelineAttachmentName } from '../report/conventions.ts';
import { Observer } from './observer.ts';
import { ObjectFactory } from './objects.ts';
import { collectFailureArtifacts } from './artifacts.ts';
import { NamespaceOwner } from '../lifecycle/namespace-owner.ts';
import { namespaceName, randomSuffix, runLabels } from './naming.ts';

export interface ClusterContext {
  readonly settings: HarnessSettings;
  readonly kube: KubeClients;
  readonly version: ServerVersion;
  readonly timing: ClusterTiming;
}

interface WorkerFixtures {
  cluster: ClusterContext;
}

interface TestFixtures {
  /** Creates the test's namespace, keeps its owner heartbeat and holds its fault claims. */
  owner: NamespaceOwner;
  namespace: string;
  timeline: Timeline;
  observe: Observer;
  objects: ObjectFactory;
  faults: FaultRegistry;
  failureArtifacts: void;
}

async function connectToCluster(settings: HarnessSettings): Promise<ClusterContext> {
  const kube = connect(settings.kubeconfigPath, settings.context);
  let version: ServerVersion;
  try {
    version = await readServerVersion(kube);
  } catch (error) {
    throw new PodlawError(
      'cluster',
      `the API server of context ${settings.context} does not answer`,
      'start the cluster (npm run cluster:up) or point PODLAW_KUBECONFIG / PODLAW_CONTEXT at a running one',
      { cause: error },
    );
  }
  return { settings, kube, version, timing: await readClusterTiming(kube, version) };
}

async function waitForDefaultServiceAccount(kube: KubeClients, namespace: string): Promise<void> {
  // The ServiceAccount admission plugin rejects pods until the controller has created "default".
  const accounts = new ResumableWatch<V1ServiceAccount>(kube, resourceTypes.serviceAccount, {
    namespace,
    fieldSelector: 'metadata.name=default',
  });
  await accounts.start();
  try {
    await waitForObject(accounts, 'default', () => true, {
      description: `ServiceAccount ${namespace}/default`,
      timeout: upstreamTimeouts.serviceAccount,
    });
  } finally {
    await accounts.stop();
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  cluster: [
    async ({}, use) => {
      await use(await connectToCluster(harnessSettings()));
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  owner: async ({ cluster }, use, testInfo) => {
    const owner = await NamespaceOwner.create(cluster.kube, {
      name: namespaceName(cluster.settings.runId, testInfo.title, randomSuffix()),
      runId: cluster.settings.runId,
      labels: { [runLabels.testId]: testInfo.testId },
    });
    try {
      await use(owner);
    } finally {
      await owner.close();
    }
  },

  namespace: async ({ cluster, owner }, use) => {
    await waitForDefaultServiceAccount(cluster.kube, owner.name);
    await use(owner.name);
  },

  timeline: async ({}, use, testInfo) => {
    const timeline = new Timeline(testInfo);
    await use(timeline);
    await testInfo.attach(timelineAttachmentName, { body: JSON.stringify(timeline, null, 2), contentType: 'application/json' });
    await testInfo.attach(observationsAttachmentName, {
      body: JSON.stringify(timeline.observations),
      contentType: 'application/json',
    });
  },

  observe: async ({ cluster, namespace, timeline }, use) => {
    const observer = await Observer.start(cluster.kube, namespace, timeline);
    try {
      await use(observer);
    } finally {
      // Evidence that the watches survived their reconnections (idle timeouts, drops, 410 re-lists).
      const stats = Object.entries(observer.stats()).map(([name, s]) => `${name}: ${s.reconnects} reconnects, ${s.relists} re-lists`);
      timeline.action('watch-stats', stats.join('; '));
      await observer.stop();
    }
  },

  objects: async ({ cluster, namespace, timeline }, use) => {
    const factory = new ObjectFactory(cluster.kube, namespace, timeline);
    try {
      await use(factory);
    } finally {
      await factory.deleteAll();
    }
  },

  faults: async ({ timeline, owner }, use) => {
    // Claims on the owner's Lease let a collection tell this run's faults from a dead run's.
    const registry = new FaultRegistry(timeline, owner);
    try {
      await use(registry);
    } finally {
      // Runs whether the test passed, failed or timed out.
      await registry.recoverAll();
    }
  },

  failureArtifacts: [
    async ({ cluster, namespace, objects }, use, testInfo) => {
      void objects; // depending on objects makes this teardown run before the objects are deleted
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      for (const artifact of await collectFailureArtifacts(cluster.kube, namespace)) {
        await testInfo.attach(artifact.name, { body: artifact.body, contentType: artifact.contentType });
      }
    },
    { auto: true },
  ],
});

export { expect };
export { expectKnownDeviation, law, notApplicable } from './laws.ts';
