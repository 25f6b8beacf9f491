/**
 * The Playwright fixtures every law suite uses:
 * - cluster (worker): API clients, server version, timing settings with their sources (read at the run's start);
 * - namespace (test): a fresh namespace labelled with the run id, deleted on teardown;
 * - timeline (test): what the test watched and did, attached as JSON; after the body, it fails the
 *   test if any observation fell outside its expectation;
 * - watch (test): watches on the namespace's pods, EndpointSlices, events and the nodes;
 * - objects (test): applies fixture manifests, deletes what it created;
 * - faults (test): the test's FaultSession, which injects faults and always recovers them on teardown;
 * - check (test): records observations for the law the test names (law(…));
 * - failureArtifacts (auto): events, pod YAML and logs attached when a test fails (on podlaw's own cluster also each
 *   node's state, routes, neighbours and nftables tables);
 * - smokeFirst (auto): waits for the smoke checks' verdict where the project says (smokeGateAt: a law test's start,
 *   or a loss test's first fault) and skips the test, unjudged, when they failed or none ran (src/harness/smoke-gate.ts).
 */
import { test as base, expect } from '@playwright/test';
import type { V1ServiceAccount } from '@kubernetes/client-node';
import { harnessSettings } from '../run-settings.ts';
import type { KubeClients } from '../kube/client.ts';
import { resourceTypes } from '../kube/resources.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { waitForObject } from '../kube/wait.ts';
import type { ClusterContext } from '../cluster/context.ts';
import { connectToCluster } from './cluster-connect.ts';
import { Timeline } from '../timeline/timeline.ts';
import { FaultSession } from '../faults/active-faults.ts';
import { deviationSignatureAnnotationType, observationsAttachmentName, timelineAttachmentName } from '../report/conventions.ts';
import { ClusterWatches } from './watches.ts';
import { LawCheck, lawsOfTest } from './law-check.ts';
import { timeouts } from './timeouts.ts';
import { ObjectFactory } from './objects.ts';
import { collectFailureArtifacts } from './artifacts.ts';
import { collectNodeNetworkArtifact } from './node-network-artifact.ts';
import { isPodlawCluster } from '../safety.ts';
import { NamespaceOwner } from '../lifecycle/namespace-owner.ts';
import { namespaceName, randomSuffix, runLabels } from '../run-naming.ts';
import type { SmokeGatePoint } from '../smoke-verdict.ts';
import { SmokeGate } from './smoke-gate.ts';

export type { ClusterContext } from '../cluster/context.ts';

interface WorkerFixtures {
  cluster: ClusterContext;
  smokeGate: SmokeGate;
  /** Where this project's tests wait for the smoke verdict (set per project in playwright.config.ts). */
  smokeGateAt: SmokeGatePoint;
}

interface TestFixtures {
  /** Creates the test's namespace, keeps its owner heartbeat and holds its fault claims. */
  owner: NamespaceOwner;
  namespace: string;
  timeline: Timeline;
  watch: ClusterWatches;
  objects: ObjectFactory;
  faults: FaultSession;
  check: LawCheck;
  failureArtifacts: void;
  smokeFirst: void;
}

export async function waitForDefaultServiceAccount(kube: KubeClients, namespace: string): Promise<void> {
  // The ServiceAccount admission plugin rejects pods until the controller has created "default".
  const accounts = new ResumableWatch<V1ServiceAccount>(kube, resourceTypes.serviceAccount, {
    namespace,
    fieldSelector: 'metadata.name=default',
  });
  await accounts.start();
  try {
    await waitForObject(accounts, 'default', () => true, {
      description: `ServiceAccount ${namespace}/default`,
      timeout: timeouts.serviceAccount,
    });
  } finally {
    await accounts.stop();
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  cluster: [
    async ({}, use) => {
      await use(await connectToCluster(harnessSettings(), 'run start'));
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  smokeGate: [
    async ({}, use) => {
      await use(new SmokeGate(harnessSettings().runId));
    },
    { scope: 'worker' },
  ],

  smokeGateAt: ['test start', { scope: 'worker', option: true }],

  smokeFirst: [
    // Depends on cluster: a worker connects while the smoke checks still run, not after their verdict.
    async ({ cluster, smokeGate, smokeGateAt }, use, testInfo) => {
      void cluster;
      if (smokeGateAt === 'test start') await smokeGate.require(testInfo);
      await use();
      if (smokeGateAt === 'first fault') await smokeGate.requireAfter(testInfo);
    },
    // Its own time: the wait is not the test's.
    { auto: true, timeout: timeouts.smokeVerdict.ms + 30_000 },
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
    // The test's closing verdict, once its body has passed (a body that failed already says why): every
    // observation recorded for its laws (through check, or a load session) within its expectation.
    // A known deviation's signature (declared by check.declareKnownDeviation) is judged by the report, not here.
    if (testInfo.status === 'passed') {
      const signature = testInfo.annotations.find((a) => a.type === deviationSignatureAnnotationType)?.description;
      const declared = signature === undefined ? [] : (JSON.parse(signature) as string[]);
      expect(
        timeline.observations.filter((o) => !o.ok && !declared.includes(o.name)),
        'observations outside the documented expectation',
      ).toEqual([]);
    }
  },

  watch: async ({ cluster, namespace, timeline }, use) => {
    const watches = await ClusterWatches.start(cluster.kube, namespace, timeline);
    try {
      await use(watches);
    } finally {
      // Evidence that the watches survived their reconnections (idle timeouts, drops, 410 re-lists).
      const stats = Object.entries(watches.stats()).map(([name, s]) => `${name}: ${s.reconnects} reconnects, ${s.relists} re-lists`);
      timeline.action('watch-stats', stats.join('; '));
      await watches.stop();
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

  faults: async ({ timeline, owner, smokeGate, smokeGateAt }, use, testInfo) => {
    // Claims on the owner's Lease let a collection tell this run's faults from a dead run's.
    // No fault reaches a cluster that failed its smoke checks (the smoke checks' own faults excepted).
    const beforeInject = smokeGateAt === 'none' ? undefined : (): Promise<void> => smokeGate.require(testInfo);
    const session = new FaultSession(timeline, owner, beforeInject);
    try {
      await use(session);
    } finally {
      // Runs whether the test passed, failed or timed out.
      await session.recoverAll();
    }
  },

  check: async ({ timeline }, use, testInfo) => {
    const ids = lawsOfTest(testInfo);
    const [first] = ids;
    if (first === undefined) throw new Error(`test "${testInfo.title}" uses check but names no law: add law('…') to its details`);
    await use(new LawCheck(first, timeline, testInfo, ids));
  },

  failureArtifacts: [
    async ({ cluster, namespace, objects }, use, testInfo) => {
      void objects; // depending on objects makes this teardown run before the objects are deleted
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      const artifacts = await collectFailureArtifacts(cluster.kube, namespace);
      if (await isPodlawCluster(cluster.settings.context).catch(() => false))
        artifacts.push(await collectNodeNetworkArtifact(cluster.kube));
      for (const artifact of artifacts) {
        await testInfo.attach(artifact.name, { body: artifact.body, contentType: artifact.contentType });
      }
    },
    { auto: true },
  ],
});

export { expect };
