import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { documentedDefaults } from '../../src/cluster/defaults.ts';
import { deriveClusterTiming, kubeletTimingFor } from '../../src/cluster/cluster-timing.ts';
import type { TimingInputs } from '../../src/cluster/cluster-timing.ts';
import type { KubeletView } from '../../src/cluster/kubelet.ts';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeRunStartTiming,
  readRunStartTiming,
  removeRunStartTiming,
  writeRunStartTiming,
} from '../../src/cluster/run-start-timing.ts';

const v136 = { major: 1, minor: 36, gitVersion: 'v1.36.3' };

function kubelet(overrides: Partial<KubeletView> = {}): KubeletView {
  return {
    node: 'worker',
    configz: {
      nodeStatusUpdateFrequency: '4s',
      evictionPressureTransitionPeriod: '30s',
      crashLoopBackOff: { maxContainerRestartPeriod: '300s' },
    },
    configzError: undefined,
    featureGates: new Map([
      ['KubeletCrashLoopBackOffMax', true],
      ['ReduceDefaultCrashLoopBackOffDecay', false],
    ]),
    featureGatesError: undefined,
    ...overrides,
  };
}

function inputs(overrides: Partial<TimingInputs> = {}): TimingInputs {
  return {
    version: v136,
    controllerManager: { readable: true, component: 'kube-controller-manager', flags: new Map([['node-monitor-grace-period', '20s']]) },
    apiServer: { readable: true, component: 'kube-apiserver', flags: new Map() },
    kubelets: [kubelet()],
    ...overrides,
  };
}

describe('documentedDefaults', () => {
  it('switches node-monitor-grace-period from 40 s to 50 s at v1.32', () => {
    assert.equal(documentedDefaults({ major: 1, minor: 31 }).nodeMonitorGracePeriodMs.value, 40_000);
    assert.equal(documentedDefaults({ major: 1, minor: 32 }).nodeMonitorGracePeriodMs.value, 50_000);
    assert.equal(documentedDefaults({ major: 1, minor: 36 }).nodeMonitorGracePeriodMs.value, 50_000);
  });
  it('documents the probe defaults', () => {
    assert.deepEqual(documentedDefaults({ major: 1, minor: 36 }).probe.value, {
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });
});

describe('deriveClusterTiming', () => {
  it('uses a flag set on the control plane, with source cluster', () => {
    const timing = deriveClusterTiming(inputs());
    assert.equal(timing.nodeMonitorGracePeriodMs.value, 20_000);
    assert.equal(timing.nodeMonitorGracePeriodMs.source, 'cluster');
    assert.match(timing.nodeMonitorGracePeriodMs.detail, /--node-monitor-grace-period=20s/);
  });
  it('falls back to the version default when a flag is not set, and says so', () => {
    const timing = deriveClusterTiming(inputs());
    assert.equal(timing.nodeMonitorPeriodMs.value, 5_000);
    assert.equal(timing.nodeMonitorPeriodMs.source, 'default');
    assert.match(timing.nodeMonitorPeriodMs.detail, /not set/);
    assert.equal(timing.defaultUnreachableTolerationSeconds.value, 300);
  });
  it('falls back when the control plane is hidden', () => {
    const timing = deriveClusterTiming(
      inputs({
        version: { major: 1, minor: 31, gitVersion: 'v1.31.0' },
        controllerManager: {
          readable: false,
          component: 'kube-controller-manager',
          reason: 'no pod labelled component=kube-controller-manager',
        },
      }),
    );
    assert.equal(timing.nodeMonitorGracePeriodMs.value, 40_000);
    assert.equal(timing.nodeMonitorGracePeriodMs.source, 'default');
    assert.match(timing.nodeMonitorGracePeriodMs.detail, /not readable/);
    assert.match(timing.nodeMonitorGracePeriodMs.detail, /v1\.31/);
  });
  it('reads kubelet durations from configz', () => {
    const k = kubeletTimingFor(deriveClusterTiming(inputs()), 'worker');
    assert.equal(k.nodeStatusUpdateFrequencyMs.value, 4_000);
    assert.equal(k.nodeStatusUpdateFrequencyMs.source, 'cluster');
    assert.equal(k.evictionPressureTransitionPeriodMs.value, 30_000);
    assert.equal(k.evictionHard.source, 'default');
  });
  it('uses documented kubelet values for a node it did not read', () => {
    const k = kubeletTimingFor(deriveClusterTiming(inputs()), 'elsewhere');
    assert.equal(k.nodeStatusUpdateFrequencyMs.value, 10_000);
    assert.equal(k.nodeStatusUpdateFrequencyMs.source, 'default');
  });
});

describe('crash loop back-off from the kubelet gates', () => {
  it('is 10 s to 300 s with the max gate on and the decay gate off', () => {
    const k = kubeletTimingFor(deriveClusterTiming(inputs()), 'worker');
    assert.equal(k.crashLoopBackOffInitialMs.value, 10_000);
    assert.equal(k.crashLoopBackOffMaxMs.value, 300_000);
    // 10 s is the kubelet's built-in constant, not read from the cluster; 300 s came from configz.
    assert.equal(k.crashLoopBackOffInitialMs.source, 'default');
    assert.equal(k.crashLoopBackOffMaxMs.source, 'cluster');
  });
  it('is 1 s to 60 s with ReduceDefaultCrashLoopBackOffDecay', () => {
    const view = kubelet({ featureGates: new Map([['ReduceDefaultCrashLoopBackOffDecay', true]]) });
    const k = kubeletTimingFor(deriveClusterTiming(inputs({ kubelets: [view] })), 'worker');
    assert.equal(k.crashLoopBackOffInitialMs.value, 1_000);
    assert.equal(k.crashLoopBackOffMaxMs.value, 60_000);
  });
  it('lets maxContainerRestartPeriod below the initial value lower both', () => {
    const view = kubelet({ configz: { crashLoopBackOff: { maxContainerRestartPeriod: '5s' } } });
    const k = kubeletTimingFor(deriveClusterTiming(inputs({ kubelets: [view] })), 'worker');
    assert.equal(k.crashLoopBackOffInitialMs.value, 5_000);
    assert.equal(k.crashLoopBackOffMaxMs.value, 5_000);
  });
  it('falls back to the documented 10 s / 300 s when metrics are unreadable', () => {
    const view = kubelet({ featureGates: undefined, featureGatesError: 'forbidden' });
    const k = kubeletTimingFor(deriveClusterTiming(inputs({ kubelets: [view] })), 'worker');
    assert.equal(k.crashLoopBackOffInitialMs.value, 10_000);
    assert.equal(k.crashLoopBackOffInitialMs.source, 'default');
    assert.match(k.crashLoopBackOffInitialMs.detail, /forbidden/);
  });
});

describe('the timing read at the run start, handed to the workers', () => {
  const timing = deriveClusterTiming(
    inputs({ kubelets: [kubelet(), kubelet({ node: 'lost', configz: undefined, configzError: 'did not answer within 10 s' })] }),
  );

  /** Writes the timing as a run read in kind-podlaw, hands its path to `check`, then removes it; returns the path. */
  const handedOver = (check: (path: string) => void): string => {
    const path = writeRunStartTiming(`unit-${randomUUID()}`, 'kind-podlaw', timing);
    try {
      check(path);
    } finally {
      removeRunStartTiming(path);
    }
    return path;
  };

  it('comes back whole for the context it was read from, and goes with the run', () => {
    const path = handedOver((p) => assert.deepEqual(readRunStartTiming(p, 'kind-podlaw'), timing));
    assert.equal(existsSync(path), false);
  });

  it('is not used for another context, nor when none was handed over', () => {
    handedOver((p) => assert.equal(readRunStartTiming(p, 'kind-other'), undefined));
    assert.equal(readRunStartTiming(undefined, 'kind-podlaw'), undefined);
    assert.equal(readRunStartTiming('', 'kind-podlaw'), undefined);
  });

  it('refuses a file that is gone or not one, naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlaw-unit-'));
    try {
      assert.throws(() => readRunStartTiming(join(dir, 'gone.json'), 'kind-podlaw'), /PODLAW_RUN_START_TIMING=.*gone\.json cannot be read/);
      writeFileSync(join(dir, 'other.json'), '{"context":"kind-podlaw"}');
      assert.throws(() => readRunStartTiming(join(dir, 'other.json'), 'kind-podlaw'), /holds no context and cluster timing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the kubelets whose settings are documented defaults, and why', () => {
    const line = describeRunStartTiming(timing);
    assert.match(line, /2 kubelet\(s\), 1 from configz/);
    assert.match(line, /not from configz \(documented defaults\): lost \(.*did not answer within 10 s/);
    assert.doesNotMatch(describeRunStartTiming(deriveClusterTiming(inputs())), /not from configz/);
  });
});
