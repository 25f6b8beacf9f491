/**
 * EVA-1, the Eviction API: "If there is no PodDisruptionBudget or it permits the eviction, the API server returns 200 OK and deletes
 * the Pod gracefully; 429 Too Many Requests when the eviction is not allowed by a budget; 500 Internal Server Error when the
 * configuration is wrong, such as multiple budgets referencing the same Pod."
 * https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/ — and the evicted pod carries DisruptionTarget
 * reason EvictionByEvictionAPI (pod-lifecycle, pod disruption conditions). Pods run on the general worker; no node fault.
 */
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { test, expect, law, notApplicable } from '../../src/harness/test.ts';
import { watchBudgets } from '../../src/harness/budgets.ts';
import { describeAnswer, evict } from '../../src/harness/eviction.ts';
import { disruptionReason, firstSeen } from '../../src/harness/node-loss.ts';
import { namedTimeout } from '../../src/kube/named-timeout.ts';
import { isPodReady } from '../../src/kube/pod-status.ts';
import { waitFor } from '../../src/kube/wait.ts';
import { upstreamTimeouts } from '../../src/laws/timing.ts';
import { factObservation } from '../../src/timeline/observation.ts';

test('the Eviction API answers 2xx, 429 DisruptionBudget, and 500 with two budgets', law('EVA-1'), async ({ cluster, observe, objects, timeline, namespace }, testInfo) => {
  const general = (await cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/role=general' })).items[0]?.metadata?.name;
  if (general === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general');
  const budgets = await watchBudgets(cluster.kube, namespace);
  try {
    await objects.apply('node-loss/budget.yaml', { node: general, replicas: 2, minAvailable: 1 });
    const pods = await waitFor(observe.pods, (all) => {
      const ready = all.filter((p) => p.metadata?.labels?.['app'] === 'guarded' && isPodReady(p));
      return ready.length === 2 ? ready : undefined;
    }, { description: 'two guarded pods Ready', timeout: upstreamTimeouts.podStart });
    await waitFor(budgets, (all) => all.find((b) => b.status?.disruptionsAllowed === 1 && b.status.observedGeneration === b.metadata?.generation), {
      description: 'budget guarded allows 1 disruption',
      timeout: upstreamTimeouts.podStart,
    });
    const [first, second] = pods.map((p) => p.metadata?.name ?? '');
    const allowed = await evict(cluster.kube, namespace, first ?? '');
    // The docs say 200 OK; the API server creates the Eviction subresource and answers 201 Created. Either is the success the docs describe.
    timeline.observe(factObservation('EVA-1', 'eviction allowed by the budget: HTTP status', '200 (docs) — any 2xx success', describeAnswer(allowed), 'api-eviction docs', allowed.status >= 200 && allowed.status < 300));
    const evicted = await firstSeen(observe.pods, (all) => all.find((p) => p.metadata?.name === first && p.metadata?.deletionTimestamp !== undefined), `${first ?? ''} marked for deletion`, namedTimeout('API write + watch delivery 2 s', 2_000));
    timeline.observe(factObservation('EVA-1', 'evicted pod: graceful delete', 'deletionGracePeriodSeconds 2', `deletionGracePeriodSeconds ${evicted.object.metadata?.deletionGracePeriodSeconds ?? '?'}`, 'fixtures/node-loss/budget.yaml terminationGracePeriodSeconds'));
    const reason = observe.historyOf(first ?? '').map(disruptionReason).find((r) => r !== undefined);
    timeline.observe(factObservation('EVA-1', 'evicted pod: DisruptionTarget reason', 'EvictionByEvictionAPI', reason ?? 'none', 'pod-lifecycle docs (pod disruption conditions)'));

    const refused = await evict(cluster.kube, namespace, second ?? '');
    timeline.observe(factObservation('EVA-1', 'eviction the budget forbids', '429 TooManyRequests causes=[DisruptionBudget]', describeAnswer(refused), 'api-eviction docs'));

    const secondBudget: V1PodDisruptionBudget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'guarded-too' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'guarded' } } },
    };
    await objects.create(secondBudget);
    await waitFor(budgets, (all) => all.find((b) => b.metadata?.name === 'guarded-too' && b.status?.observedGeneration === b.metadata.generation), {
      description: 'second budget observed by the disruption controller',
      timeout: upstreamTimeouts.podStart,
    });
    const twoBudgets = await evict(cluster.kube, namespace, second ?? '');
    timeline.observe(factObservation('EVA-1', 'eviction of a pod two budgets select: HTTP status', '500', String(twoBudgets.status), 'api-eviction docs'));
    timeline.action('measured', `two budgets: ${describeAnswer(twoBudgets)} ${twoBudgets.message ?? ''}`);
    expect(timeline.observations.filter((o) => !o.ok), 'observations outside the documented expectation').toEqual([]);
  } finally {
    await budgets.stop();
  }
});
