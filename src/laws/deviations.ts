/**
 * Known deviations: laws a Kubernetes release is known not to follow, with the
 * evidence. A test of such a law still asserts the documented outcome; it declares
 * the deviation first (Playwright's expected failure), so the law's verdict is
 * "failed" in the report — the cluster does not do what the documentation says —
 * while the run itself stays green. If a release starts to follow the law, the test
 * passes unexpectedly and the run fails, so a stale entry cannot hide.
 */
import type { LawId } from './catalog/index.ts';
import type { ServerVersion } from '../cluster/version.ts';

export interface KnownDeviation {
  readonly law: LawId;
  /** Minor versions (e.g. "1.36") where the deviation was observed by podlaw. */
  readonly minors: readonly string[];
  readonly summary: string;
  readonly evidence: string;
}

export const knownDeviations: readonly KnownDeviation[] = [
  {
    law: 'PRB-7',
    minors: ['1.36'],
    summary:
      "the Pod's Ready condition stays True while a passing readiness probe keeps running during termination; only the EndpointSlice marks the endpoint ready=false",
    evidence:
      'seen on v1.36.3 in every run; the kubelet stops liveness and startup probes on deletion (pkg/kubelet/prober/worker.go) but has no rule that forces readiness false',
  },
];

export function deviationFor(law: LawId, version: Pick<ServerVersion, 'major' | 'minor'>): KnownDeviation | undefined {
  const minor = `${version.major}.${version.minor}`;
  return knownDeviations.find((d) => d.law === law && d.minors.includes(minor));
}
