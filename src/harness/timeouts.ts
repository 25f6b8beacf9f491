/**
 * The harness's wait budgets in one table, like the e2e framework's TimeoutContext
 * (test/e2e/framework/timeouts.go): each is named after the upstream value it copies,
 * so a timeout's message says where its length came from. A law's own waits derive
 * from its Expectation instead (budgetFor).
 */
import type { Expectation, Tolerance } from '../laws/expectation.ts';
import { formatSeconds, namedTimeout } from '../kube/named-timeout.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';

/** Playwright's limit per test (playwright.config.ts): the tests bound their own waits, so it only catches a harness bug. */
export const playwrightTestTimeoutMs = 10 * 60_000;

export const timeouts = {
  podStart: namedTimeout('pod start (e2e framework PodStart 5 min)', 300_000),
  podDelete: namedTimeout('pod delete (e2e framework PodDelete 5 min)', 300_000),
  serviceAccount: namedTimeout('default ServiceAccount provisioned (e2e framework ServiceAccountProvisionTimeout 2 min)', 120_000),
  serviceStart: namedTimeout('service endpoints ready (e2e framework ServiceStartTimeout 2 min)', 120_000),
  kubeProxyEndpointLag: namedTimeout('kube-proxy programs an API change (e2e framework KubeProxyEndpointLagTimeout 30 s)', 30_000),
  // The smoke checks come first in the queue and each ends within Playwright's limit, so the verdict is in by then.
  smokeVerdict: namedTimeout(
    "the smoke checks' verdict (Playwright's limit per test 10 min + a worker start 2 min)",
    playwrightTestTimeoutMs + 120_000,
  ),
} as const satisfies Record<string, NamedTimeout>;

/** The wait budget for an expected event: its documented maximum plus a named allowance. */
export function budgetFor(expectation: Expectation, ...allowances: readonly Tolerance[]): NamedTimeout {
  const extra = allowances.reduce((sum, a) => sum + a.ms, 0);
  const names = allowances.map((a) => a.name).join(' + ');
  return namedTimeout(
    `${expectation.what}: ≤ ${formatSeconds(expectation.maxMs)} (${expectation.formula})${names === '' ? '' : ` + ${names}`}`,
    expectation.maxMs + extra,
  );
}
