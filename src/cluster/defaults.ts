/**
 * Documented defaults, by Kubernetes minor version. These are the fallback when a
 * cluster does not let podlaw read the configured value (managed control planes hide
 * their flags), and the reference a law's expected timing is compared with.
 */
import type { ServerVersion } from './version.ts';

export interface DocumentedDefault<T> {
  readonly value: T;
  /** Where it is written. */
  readonly reference: string;
}

export interface ProbeDefaults {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

export interface DocumentedDefaults {
  readonly nodeMonitorGracePeriodMs: DocumentedDefault<number>;
  readonly nodeMonitorPeriodMs: DocumentedDefault<number>;
  readonly nodeEvictionRate: DocumentedDefault<number>;
  readonly unhealthyZoneThreshold: DocumentedDefault<number>;
  readonly defaultNotReadyTolerationSeconds: DocumentedDefault<number>;
  readonly defaultUnreachableTolerationSeconds: DocumentedDefault<number>;
  readonly nodeStatusUpdateFrequencyMs: DocumentedDefault<number>;
  readonly nodeLeaseRenewIntervalMs: DocumentedDefault<number>;
  readonly evictionPressureTransitionPeriodMs: DocumentedDefault<number>;
  readonly evictionHard: DocumentedDefault<Readonly<Record<string, string>>>;
  readonly crashLoopBackOffInitialMs: DocumentedDefault<number>;
  readonly crashLoopBackOffMaxMs: DocumentedDefault<number>;
  readonly crashLoopBackOffResetMs: DocumentedDefault<number>;
  readonly terminationGracePeriodSeconds: DocumentedDefault<number>;
  readonly preStopGraceExtensionSeconds: DocumentedDefault<number>;
  readonly probe: DocumentedDefault<ProbeDefaults>;
}

const kcm = 'kube-controller-manager reference (reference/command-line-tools-reference/kube-controller-manager/)';
const kubeletConfig = 'kubelet configuration reference (reference/config-api/kubelet-config.v1beta1/)';

export function documentedDefaults(version: Pick<ServerVersion, 'major' | 'minor'>): DocumentedDefaults {
  const atLeast = (minor: number): boolean => version.major > 1 || (version.major === 1 && version.minor >= minor);
  return {
    nodeMonitorGracePeriodMs: {
      // Raised from 40 s to 50 s in v1.32; asserting against the wrong one is a known pitfall.
      value: atLeast(32) ? 50_000 : 40_000,
      reference: `${kcm}: --node-monitor-grace-period, ${atLeast(32) ? '50s from v1.32' : '40s up to v1.31'}`,
    },
    nodeMonitorPeriodMs: { value: 5_000, reference: `${kcm}: --node-monitor-period 5s` },
    nodeEvictionRate: { value: 0.1, reference: `${kcm}: --node-eviction-rate 0.1` },
    unhealthyZoneThreshold: { value: 0.55, reference: `${kcm}: --unhealthy-zone-threshold 0.55` },
    defaultNotReadyTolerationSeconds: {
      value: 300,
      reference: 'kube-apiserver --default-not-ready-toleration-seconds 300 (DefaultTolerationSeconds admission plugin)',
    },
    defaultUnreachableTolerationSeconds: {
      value: 300,
      reference: 'kube-apiserver --default-unreachable-toleration-seconds 300 (DefaultTolerationSeconds admission plugin)',
    },
    nodeStatusUpdateFrequencyMs: { value: 10_000, reference: `${kubeletConfig}: nodeStatusUpdateFrequency 10s` },
    nodeLeaseRenewIntervalMs: { value: 10_000, reference: 'node-status docs: lease renewed every 10 s (reference/node/node-status/)' },
    evictionPressureTransitionPeriodMs: { value: 300_000, reference: `${kubeletConfig}: evictionPressureTransitionPeriod 5m0s` },
    evictionHard: {
      value: { 'memory.available': '100Mi', 'nodefs.available': '10%', 'imagefs.available': '15%', 'nodefs.inodesFree': '5%' },
      reference: 'node-pressure eviction docs: default hard eviction thresholds (concepts/scheduling-eviction/node-pressure-eviction/)',
    },
    crashLoopBackOffInitialMs: { value: 10_000, reference: 'pod lifecycle docs: container restart back-off starts at 10 s' },
    crashLoopBackOffMaxMs: { value: 300_000, reference: 'pod lifecycle docs: back-off capped at 300 s' },
    crashLoopBackOffResetMs: { value: 600_000, reference: 'pod lifecycle docs: back-off reset after 10 min of running' },
    terminationGracePeriodSeconds: { value: 30, reference: 'pod lifecycle docs: termination grace period 30 s' },
    preStopGraceExtensionSeconds: {
      value: 2,
      reference: 'pod lifecycle docs: a one-off 2 s grace extension when preStop is still running',
    },
    probe: {
      value: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
      reference: 'probe configuration docs',
    },
  };
}
