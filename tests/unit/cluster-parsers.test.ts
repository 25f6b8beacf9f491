import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from '../../src/cluster/go-duration.ts';
import { parseFlags } from '../../src/cluster/flags.ts';
import { parseServerVersion } from '../../src/cluster/version.ts';
import { parseFeatureGateMetrics } from '../../src/cluster/feature-gates.ts';
import { parseConfigz } from '../../src/cluster/kubelet.ts';

describe('parseGoDuration', () => {
  it('reads the forms flags and configz print', () => {
    assert.equal(parseGoDuration('40s'), 40_000);
    assert.equal(parseGoDuration('5m0s'), 300_000);
    assert.equal(parseGoDuration('1h2m3.5s'), 3_723_500);
    assert.equal(parseGoDuration('100ms'), 100);
    assert.equal(parseGoDuration('0s'), 0);
    assert.equal(parseGoDuration('0'), 0);
  });
  it('rejects what is not a duration', () => {
    assert.throws(() => parseGoDuration('40'));
    assert.throws(() => parseGoDuration('5 minutes'));
    assert.throws(() => parseGoDuration(''));
    assert.throws(() => parseGoDuration('10s junk'));
  });
});

describe('parseFlags', () => {
  it('reads --name=value, --name value and boolean flags', () => {
    const flags = parseFlags([
      'kube-controller-manager',
      '--node-monitor-grace-period=50s',
      '--leader-elect',
      '--bind-address',
      '127.0.0.1',
      '--feature-gates=A=true,B=false',
    ]);
    assert.equal(flags.get('node-monitor-grace-period'), '50s');
    assert.equal(flags.get('leader-elect'), 'true');
    assert.equal(flags.get('bind-address'), '127.0.0.1');
    assert.equal(flags.get('feature-gates'), 'A=true,B=false');
    assert.equal(flags.has('kube-controller-manager'), false);
  });
});

describe('parseServerVersion', () => {
  it('reads plain and provider versions', () => {
    assert.deepEqual(parseServerVersion({ major: '1', minor: '36', gitVersion: 'v1.36.3' }), {
      major: 1,
      minor: 36,
      gitVersion: 'v1.36.3',
    });
    assert.equal(parseServerVersion({ major: '1', minor: '31+', gitVersion: 'v1.31.2-eks-1' }).minor, 31);
    assert.equal(parseServerVersion({ major: '', minor: '', gitVersion: 'v1.32.0' }).minor, 32);
  });
  it('refuses garbage', () => {
    assert.throws(() => parseServerVersion({ major: '', minor: '', gitVersion: 'unknown' }));
  });
});

describe('parseFeatureGateMetrics', () => {
  it('reads kubernetes_feature_enabled lines and ignores the rest', () => {
    const text = [
      '# HELP kubernetes_feature_enabled [BETA] This metric records the data about the stage and enablement of a k8s feature.',
      '# TYPE kubernetes_feature_enabled gauge',
      'kubernetes_feature_enabled{name="KubeletCrashLoopBackOffMax",stage="BETA"} 1',
      'kubernetes_feature_enabled{name="ReduceDefaultCrashLoopBackOffDecay",stage="ALPHA"} 0',
      'kubelet_running_pods 12',
    ].join('\n');
    const gates = parseFeatureGateMetrics(text);
    assert.equal(gates.get('KubeletCrashLoopBackOffMax'), true);
    assert.equal(gates.get('ReduceDefaultCrashLoopBackOffDecay'), false);
    assert.equal(gates.size, 2);
  });
});

describe('parseConfigz', () => {
  it('unwraps kubeletconfig', () => {
    const config = parseConfigz('{"kubeletconfig":{"nodeStatusUpdateFrequency":"10s","evictionHard":{"memory.available":"100Mi"}}}');
    assert.equal(config.nodeStatusUpdateFrequency, '10s');
    assert.deepEqual(config.evictionHard, { 'memory.available': '100Mi' });
  });
  it('refuses an answer without kubeletconfig', () => {
    assert.throws(() => parseConfigz('{"other":{}}'));
  });
});

describe('parseConfigz with a decoded answer', () => {
  it('accepts the object client-node returns for JSON answers', () => {
    assert.equal(parseConfigz({ kubeletconfig: { nodeStatusUpdateFrequency: '4s' } }).nodeStatusUpdateFrequency, '4s');
  });
});
