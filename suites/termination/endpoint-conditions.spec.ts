/**
 * TRM-3 — EndpointSlice conditions: "serving is identical to ready except that it does
 * not account for terminating states"; "terminating is a condition that indicates
 * whether an endpoint is terminating"; ready is false for a terminating endpoint.
 * A terminating pod stays in its slice, with serving following its real readiness.
 * https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
 *
 * The readiness probe is HTTP: exec probes of terminating pods error with "context
 * canceled" on v1.36.3 (kubernetes/kubernetes#140881), which would freeze readiness.
 */
import type { V1Endpoint } from '@kubernetes/client-node';
import {
  test,
  law,
  PodDeletion,
  ProbeFileToggle,
  waitForEndpoint,
  waitForPodRunning,
  budgetFor,
  readinessFlip,
  tolerances,
  timeouts,
} from '../../src/harness/index.ts';

const name = 'serving';
const graceSeconds = 60;

function conditions(endpoint: V1Endpoint | undefined): string {
  const c = endpoint?.conditions;
  if (c === undefined) return 'no endpoint';
  return `ready=${String(c.ready)} serving=${String(c.serving)} terminating=${String(c.terminating)}`;
}

test(
  'a terminating pod stays in its EndpointSlice: terminating, not ready, serving as its probe says',
  law('TRM-3'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    await objects.apply('probes/readiness-http-service.yaml', { name, graceSeconds });
    await waitForPodRunning(watch, name, 'app', { ready: true });
    const flip = budgetFor(readinessFlip('unready', 1, 1), tolerances.statusPropagation);

    const serving = await waitForEndpoint(watch, name, name, (e) => e?.conditions?.ready === true, 'ready', timeouts.podStart);
    check.fact('before deletion', 'ready=true serving=true terminating=false', conditions(serving), 'EndpointSlice');

    await faults.inject(new PodDeletion(cluster.kube, { namespace, names: [name] }, { kind: 'graceful' }));
    const terminating = await waitForEndpoint(watch, name, name, (e) => e?.conditions?.terminating === true, 'terminating', flip);
    check.fact('terminating, probe passing', 'ready=false serving=true terminating=true', conditions(terminating), 'EndpointSlice');

    const toggle = new ProbeFileToggle(cluster.kube, { namespace, pod: name, container: 'app' }, '/www/ready', 'readiness');
    await faults.inject(toggle);
    const failing = await waitForEndpoint(watch, name, name, (e) => e?.conditions?.serving === false, 'serving=false', flip);
    check.fact('terminating, probe failing', 'ready=false serving=false terminating=true', conditions(failing), 'EndpointSlice');

    await faults.recover(toggle);
    const flipBack = budgetFor(readinessFlip('ready', 1, 1), tolerances.statusPropagation);
    const back = await waitForEndpoint(watch, name, name, (e) => e?.conditions?.serving === true, 'serving=true', flipBack);
    check.fact('terminating, probe passing again', 'ready=false serving=true terminating=true', conditions(back), 'EndpointSlice');
  },
);
