/**
 * PRB-5 — "Probe-level terminationGracePeriodSeconds": a liveness or startup probe may set
 * its own terminationGracePeriodSeconds, used instead of the pod's when that probe's
 * failure kills the container. It is not allowed on readiness probes.
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#probe-level-terminationgraceperiodseconds
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  ProbeFileToggle,
  waitForEvent,
  waitForPodRunning,
  isInvalid,
  containerStatus,
  budgetFor,
  sigtermToKill,
  containerExitTime,
  parseStamps,
  firstStamp,
  storedProbe,
  probeKillFromOnset,
  tolerances,
  eventTime,
  waitForRestart,
} from '../../src/harness/index.ts';

const name = 'probe-grace';
const podGraceSeconds = 60;
const probeGraceSeconds = 3;

test(
  "a liveness kill uses the probe's grace period, not the pod's",
  law('PRB-5'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    const [stored] = await objects.apply('probes/probe-grace.yaml', { name, podGraceSeconds, probeGraceSeconds });
    const running = await waitForPodRunning(watch, name);

    const probe = storedProbe(stored, 'app', 'livenessProbe');
    const detect = probeKillFromOnset('liveness', probe.timing, probe.source);
    // The grace that applies is the stored probe's field (the API could have dropped or changed it).
    const livenessSpec = (stored as V1Pod | undefined)?.spec?.containers.find((c) => c.name === 'app')?.livenessProbe;
    const probeGrace = livenessSpec?.terminationGracePeriodSeconds ?? probeGraceSeconds;
    const graceSource = `liveness terminationGracePeriodSeconds ${probeGrace} s, ${
      livenessSpec?.terminationGracePeriodSeconds === undefined ? 'fixture (absent from the stored pod)' : 'pod spec (stored)'
    }`;
    const budgetFromKill = sigtermToKill(probeGrace, 'api', graceSource);
    const injectedAt = await faults.inject(
      new ProbeFileToggle(cluster.kube, { namespace, pod: name, container: 'app' }, '/tmp/healthy', 'liveness'),
    );
    // The fault took effect: the liveness probe fails and the kubelet starts the kill.
    const killing = await waitForEvent(watch, name, 'Killing', budgetFor(detect, tolerances.statusPropagation), {
      container: 'app',
      since: injectedAt,
    });
    const restarted: V1Pod = await waitForRestart(
      watch,
      name,
      'restarted after the kill',
      budgetFor(budgetFromKill, tolerances.containerRestart, tolerances.statusPropagation),
    );
    const terminated = containerStatus(restarted, 'app')?.lastState?.terminated;
    const killedAt = eventTime(killing)?.getTime() ?? Number.NaN;
    const exitedAt = new Date(terminated?.finishedAt ?? 0).getTime();

    // SIGTERM (µs, in-pod) → exit: the runtime's ns exit time where the node is reachable,
    // so that grace 2 s and 4 s fall outside; else the API's whole seconds, said so.
    const sigterm = firstStamp(parseStamps(terminated?.message ?? ''), 'sigterm');
    check.fact('SIGTERM stamped by the container', 'yes', sigterm === undefined ? 'no stamp' : 'yes', 'termination message');
    const node = running.spec?.nodeName ?? '';
    const exit = await containerExitTime(node, terminated);
    const expected = sigtermToKill(probeGrace, exit.from, `${graceSource}${exit.note}`);
    if (sigterm !== undefined) check.duration(expected, exit.ms - sigterm.at.getTime(), tolerances.none);
    check.fact(
      'pod grace not used',
      `< ${podGraceSeconds} s`,
      !(exitedAt > 0)
        ? 'no exit time'
        : exitedAt - killedAt < podGraceSeconds * 1000
          ? `< ${podGraceSeconds} s`
          : `${(exitedAt - killedAt) / 1000} s`,
      'pod spec',
    );
    // SIGTERM is ignored, so the container can only have ended by SIGKILL.
    check.fact('exit code', '137', String(terminated?.exitCode), 'lastState.terminated');

    await test.step('terminationGracePeriodSeconds is refused on a readiness probe', async () => {
      const [pod] = objects.render('probes/probe-grace.yaml', { name: 'readiness-grace', podGraceSeconds, probeGraceSeconds }) as V1Pod[];
      const container = pod?.spec?.containers[0];
      if (container?.livenessProbe === undefined) throw new Error('fixture has no liveness probe to turn into a readiness probe');
      container.readinessProbe = container.livenessProbe;
      delete container.livenessProbe;
      const outcome = await objects.create(pod as V1Pod).then(
        () => 'accepted',
        (error: unknown) => (isInvalid(error) ? 'rejected 422 Invalid' : `failed otherwise: ${String(error)}`),
      );
      check.fact('readiness probe with terminationGracePeriodSeconds', 'rejected 422 Invalid', outcome, 'API validation');
    });
  },
);
