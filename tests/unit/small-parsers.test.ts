import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execOutcomeFromStatus } from '../../src/kube/exec-status.ts';
import { ManifestError, parseManifests, placeholdersIn, renderTemplate } from '../../src/kube/manifest.ts';
import { namespaceName, slug } from '../../src/run-naming.ts';
import { kubeconfigPathFrom, newRunId, runIdFor } from '../../src/run-settings.ts';
import { PodlawError } from '../../src/errors.ts';
import { namedTimeout, plus } from '../../src/kube/named-timeout.ts';

describe('execOutcomeFromStatus', () => {
  it('reads success, a non-zero exit code and other failures', () => {
    assert.deepEqual(execOutcomeFromStatus({ status: 'Success' }), { kind: 'exited', exitCode: 0 });
    assert.deepEqual(
      execOutcomeFromStatus({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
        details: { causes: [{ reason: 'ExitCode', message: '3' }] },
      }),
      { kind: 'exited', exitCode: 3 },
    );
    assert.deepEqual(execOutcomeFromStatus({ status: 'Failure', reason: 'InternalError', message: 'container not found' }), {
      kind: 'error',
      reason: 'InternalError',
      message: 'container not found',
    });
  });
});

describe('manifest templates', () => {
  it('fills placeholders and lists them', () => {
    const text = 'name: {{ name }}\nvalue: "{{value}}"\nscript: echo ${HOME} $1';
    assert.deepEqual(placeholdersIn(text), ['name', 'value']);
    assert.equal(renderTemplate(text, { name: 'web', value: 3 }), 'name: web\nvalue: "3"\nscript: echo ${HOME} $1');
  });
  it('refuses a missing value, naming it', () => {
    assert.throws(
      () => renderTemplate('a: {{ a }}\nb: {{ b }}', { a: 1 }, 'pod.yaml'),
      (e: unknown) => e instanceof ManifestError && /pod\.yaml.*\bb\b/.test(e.message),
    );
  });
  it('parses multi-document YAML and checks the essentials', () => {
    const objects = parseManifests(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n',
    );
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata?.name}`),
      ['Pod/a', 'Service/s'],
    );
    assert.throws(() => parseManifests('kind: Pod\nmetadata:\n  name: a\n'), ManifestError);
    assert.throws(() => parseManifests('a: [unclosed\n'), ManifestError);
  });
});

describe('names', () => {
  it('makes DNS-label namespace names within 63 characters', () => {
    const name = namespaceName('abc12345', 'PRB-2 liveness failures restart the container after failureThreshold×period', 'x1y2');
    assert.ok(name.length <= 63, name);
    assert.match(name, /^podlaw-abc12345-[a-z0-9-]+-x1y2$/);
    assert.equal(slug('  Hello, World!  ', 20), 'hello-world');
  });
  it('makes short run ids', () => {
    assert.match(
      newRunId(1_700_000_000_000, () => 0.5),
      /^[a-z0-9]{8}$/,
    );
  });
});

describe('settings', () => {
  it('prefers PODLAW_KUBECONFIG, then the first KUBECONFIG entry, then ~/.kube/config', () => {
    assert.equal(kubeconfigPathFrom({ PODLAW_KUBECONFIG: '/a', KUBECONFIG: '/b' }, '/home/u'), '/a');
    assert.equal(kubeconfigPathFrom({ KUBECONFIG: ':/b:/c' }, '/home/u'), '/b');
    assert.equal(kubeconfigPathFrom({}, '/home/u'), '/home/u/.kube/config');
  });
});

describe('named timeouts', () => {
  it('refuses non-positive durations and adds allowances by name', () => {
    assert.throws(() => namedTimeout('zero', 0));
    const t = plus(namedTimeout('grace 6 s', 6_000), namedTimeout('slack 5 s', 5_000));
    assert.deepEqual(t, { name: 'grace 6 s + slack 5 s', ms: 11_000 });
  });
});

import { firstStamp, parseStamps } from '../../src/kube/stamps.ts';

describe('parseStamps', () => {
  it('reads marks with nanosecond and second resolution', () => {
    const stamps = parseStamps('prestop-start 1700000000.123456789\nsigterm 1700000003.%N\n\ngarbage\n');
    assert.equal(stamps.length, 2);
    assert.equal(firstStamp(stamps, 'prestop-start')?.at.getTime(), 1_700_000_000_123);
    assert.equal(firstStamp(stamps, 'prestop-start')?.resolutionMs, 1);
    assert.equal(firstStamp(stamps, 'sigterm')?.at.getTime(), 1_700_000_003_000);
    assert.equal(firstStamp(stamps, 'sigterm')?.resolutionMs, 1000);
    assert.equal(firstStamp(stamps, 'missing'), undefined);
  });
});

describe('the run id of podlaw run', () => {
  it("is the caller's PODLAW_RUN_ID when it is 4–12 lowercase alphanumerics, else a new one when unset", () => {
    assert.equal(runIdFor({ PODLAW_RUN_ID: 'bi1a2b3cn7' }), 'bi1a2b3cn7');
    assert.match(runIdFor({}), /^[a-z0-9]{8}$/);
    assert.match(runIdFor({ PODLAW_RUN_ID: '' }), /^[a-z0-9]{8}$/);
  });
  it('refuses an id that cannot be a label value or a namespace name part, as a usage error', () => {
    for (const bad of ['BI1', 'has-dash', 'abc', 'a'.repeat(13)]) {
      assert.throws(
        () => runIdFor({ PODLAW_RUN_ID: bad }),
        (e: unknown) => e instanceof PodlawError && e.kind === 'usage',
      );
    }
  });
});
