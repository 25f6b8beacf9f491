/**
 * PRB-1 — "If you don't specify them, initialDelaySeconds defaults to 0, periodSeconds
 * to 10, timeoutSeconds to 1, successThreshold to 1 (and must be 1 for liveness and
 * startup probes), failureThreshold to 3."
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import type { V1Pod, V1Probe } from '@kubernetes/client-node';
import { test, expect, law, isInvalid } from '../../src/harness/index.ts';

type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
const probeKinds: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const fields = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const;

test('unset probe fields are stored with their documented defaults', law('PRB-1'), async ({ cluster, objects, check }) => {
  const [submitted] = objects.render('probes/defaults.yaml', { name: 'defaults' }) as V1Pod[];
  const sentProbe = submitted?.spec?.containers[0]?.livenessProbe;
  // The fault here is the omission itself: prove the manifest really leaves the fields unset.
  for (const field of fields) expect(sentProbe?.[field], `manifest leaves ${field} unset`).toBeUndefined();

  const stored = await objects.create(submitted as V1Pod);
  const documented = cluster.timing.probeDefaults;
  const container = stored.spec?.containers[0];
  for (const kind of probeKinds) {
    const probe: V1Probe | undefined = container?.[kind];
    expect(probe, `${kind} stored`).toBeDefined();
    for (const field of fields) {
      // initialDelaySeconds 0 is omitted from the stored JSON (omitempty): absent means 0.
      const value = probe?.[field] ?? (field === 'initialDelaySeconds' ? 0 : undefined);
      check.fact(`${kind}.${field}`, String(documented.value[field]), String(value), `documented default (${documented.detail})`);
    }
  }

  await test.step('successThreshold other than 1 is refused for liveness and startup probes', async () => {
    for (const kind of ['livenessProbe', 'startupProbe'] as const) {
      const invalid = structuredClone(submitted as V1Pod);
      invalid.metadata = { ...invalid.metadata, name: `defaults-${kind.toLowerCase()}-threshold` };
      const first = invalid.spec?.containers[0];
      if (first?.[kind] !== undefined) first[kind] = { ...first[kind], successThreshold: 2 };
      const refusal = await objects.create(invalid).then(
        () => 'accepted',
        (error: unknown) => (isInvalid(error) ? 'rejected 422 Invalid' : `failed otherwise: ${String(error)}`),
      );
      check.fact(`${kind}.successThreshold 2`, 'rejected 422 Invalid', refusal, 'API validation');
    }
  });
});
