/**
 * Known deviations: laws a Kubernetes release is known not to follow, with the evidence.
 * Each entry declares its signature — the exact observation names that deviate — and the
 * releases it covers. A test of such a law records every observation as usual and does
 * not throw on the deviating one; the report then judges it (deviation-policy.ts): exactly
 * the signature failing is "deviates (known)", anything else failing is a new failure, and
 * a signature that no longer fails makes the entry stale (failed), so it cannot linger.
 */
import type { LawId } from './catalog/index.ts';
import type { ServerVersion } from '../cluster/version.ts';
import { inRange } from './deviation-policy.ts';
import type { Release } from './deviation-policy.ts';

export interface KnownDeviation {
  readonly law: LawId;
  /** Releases covered, as bounds: ">=1.36.0 <1.37.0". */
  readonly releases: string;
  /** The observation names that deviate, exactly as the test records them. */
  readonly signature: readonly string[];
  readonly summary: string;
  readonly evidence: string;
}

export const knownDeviations: readonly KnownDeviation[] = [
  {
    law: 'PRB-7',
    releases: '>=1.36.0 <1.37.0',
    signature: ['delete → pod Ready=False'],
    summary:
      "the Pod's Ready condition stays True while a passing readiness probe keeps running during termination; only the EndpointSlice marks the endpoint ready=false",
    evidence:
      'seen on v1.36.3 in every run; the kubelet stops liveness and startup probes on deletion (pkg/kubelet/prober/worker.go) but has no rule that forces readiness false',
  },
];

/** major.minor.patch of a server version; the patch comes from gitVersion ("v1.36.3"), 0 when it has none. */
export function releaseOf(version: Pick<ServerVersion, 'major' | 'minor' | 'gitVersion'>): Release {
  const patch = /^v?\d+\.\d+\.(\d+)/.exec(version.gitVersion)?.[1];
  return { major: version.major, minor: version.minor, patch: patch === undefined ? 0 : Number(patch) };
}

export function deviationFor(law: LawId, version: Pick<ServerVersion, 'major' | 'minor' | 'gitVersion'>): KnownDeviation | undefined {
  const release = releaseOf(version);
  return knownDeviations.find((d) => d.law === law && inRange(release, d.releases));
}
