/**
 * NOD-2's rate limit and unhealthy-zone rule: "the node controller … limits the eviction rate to --node-eviction-rate per second
 * … if the fraction of unhealthy nodes in a zone is at least --unhealthy-zone-threshold (and the zone has more than 2 unhealthy
 * nodes) the rate is reduced to --secondary-node-eviction-rate for large clusters, or evictions stop for clusters of at most
 * --large-cluster-size-threshold nodes." https://kubernetes.io/docs/concepts/architecture/nodes/#rate-limits-on-eviction
 *
 * The zone rule needs more than 2 unhealthy nodes in one zone: this cluster has 2 loss workers of 5 nodes in one zone, so it
 * cannot show it (the predictor in src/laws/node-loss-timing.ts is unit-tested instead). The rate limit is observed by the
 * node-loss tests when both loss workers turn Unknown within 1 / rate of each other.
 */
import { test, law, notApplicable } from '../../src/harness/test.ts';
import { zoneState } from '../../src/laws/node-loss-timing.ts';

test('the unhealthy-zone rule stops evictions in a small, mostly unhealthy zone', law('NOD-2'), async ({ cluster }, testInfo) => {
  const nodes = (await cluster.kube.core.listNode()).items;
  const zones = new Map<string, number>();
  for (const n of nodes) {
    const zone = n.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '';
    zones.set(zone, (zones.get(zone) ?? 0) + 1);
  }
  const loss = nodes.filter((n) => n.metadata?.labels?.['podlaw.dev/role'] === 'loss').length;
  const threshold = cluster.timing.unhealthyZoneThreshold.value;
  const [zone, size] = [...zones.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const predicted = zoneState(size - loss, loss, threshold);
  if (predicted === 'Normal') {
    notApplicable(
      testInfo,
      `losing all ${loss} loss workers leaves zone "${zone}" (${size} nodes) ${predicted}: the rule needs more than 2 unhealthy nodes and ` +
        `≥ ${threshold} of the zone (ComputeZoneState); predictor unit-tested in tests/unit/node-loss-timing.test.ts`,
    );
  }
  throw new Error(`zone "${zone}" would turn ${predicted}: a test that loses ${loss} nodes at once is needed here, and is not written yet`);
});
