import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admissionChanges, describeChange, sentFieldChanges } from '../../src/laws/admission-diff.ts';

describe('admission changes between the sent manifest and the stored object', () => {
  const sent = { spec: { terminationGracePeriodSeconds: 5 } };
  const stored = {
    spec: {
      terminationGracePeriodSeconds: 5,
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
    },
  };
  it('reports a field admission added, and nothing for an unchanged field', () => {
    const changes = admissionChanges(sent, stored, ['spec.terminationGracePeriodSeconds', 'spec.tolerations']);
    assert.equal(changes.length, 1);
    assert.match(describeChange(changes[0]!), /^admission changed spec\.tolerations from unset to \[/);
  });
  it('reports a changed value with both sides', () => {
    const changes = admissionChanges(sent, { spec: { terminationGracePeriodSeconds: 30 } }, ['spec.terminationGracePeriodSeconds']);
    assert.equal(describeChange(changes[0]!), 'admission changed spec.terminationGracePeriodSeconds from 5 to 30');
  });
});

describe('sent fields the stored object holds otherwise', () => {
  const sent = { spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'app', livenessProbe: { periodSeconds: 4 } }] } };
  it('ignores fields the API server defaulted (not sent)', () => {
    const stored = {
      spec: {
        terminationGracePeriodSeconds: 5,
        dnsPolicy: 'ClusterFirst',
        containers: [{ name: 'app', livenessProbe: { periodSeconds: 4, timeoutSeconds: 1 } }],
      },
    };
    assert.deepEqual(sentFieldChanges(sent, stored, 'spec'), []);
  });
  it('names a sent value admission rewrote, down to the leaf', () => {
    const stored = { spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', livenessProbe: { periodSeconds: 10 } }] } };
    assert.deepEqual(
      sentFieldChanges(sent, stored, 'spec').map((c) => describeChange(c)),
      [
        'admission changed spec.terminationGracePeriodSeconds from 5 to 1',
        'admission changed spec.containers.0.livenessProbe.periodSeconds from 4 to 10',
      ],
    );
  });
});
