/**
 * TRM-2 — "If one of the Pod's containers has defined a preStop hook and the
 * terminationGracePeriodSeconds in the Pod spec is not set to 0, the kubelet runs that
 * hook inside of the container. If the preStop hook is still running after the grace
 * period expires, the kubelet requests a small, one-off grace period extension of 2
 * seconds." Then "the kubelet triggers the container runtime to send a TERM signal to
 * process 1 inside each container", and when the grace period expires "the remaining
 * processes are sent the KILL signal". The hook's time counts against the grace period.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 * https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-execution
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  PodDeletion,
  waitForPodRunning,
  waitForPodVersion,
  containerStatus,
  firstStamp,
  parseStamps,
  budgetFor,
  deletionKill,
  abandonedHookSigterm,
  containerExitTime,
  tolerances,
} from '../../src/harness/index.ts';

/** For the wait budget only (the verdict window carries its own allowances). */
const killTolerance = { name: '1 s finishedAt resolution + 1 s hook exec latency', ms: 2_000 };
/** The budget to see the pod finished, counted from the delete request. */
const kubeletReaction = { name: 'kubelet reaction to the deletion 5 s', ms: 5_000 };

const scenarios = [
  { name: 'hook-within-grace', graceSeconds: 8, preStopSeconds: 3, outlives: false },
  { name: 'hook-outlives-grace', graceSeconds: 4, preStopSeconds: 100, outlives: true },
] as const;

function terminated(pod: V1Pod): boolean {
  return containerStatus(pod, 'app')?.state?.terminated !== undefined;
}

test(
  'deletion runs preStop, then SIGTERM, then SIGKILL when the grace period ends',
  law('TRM-2'),
  async ({ cluster, namespace, objects, watch, faults, check }) => {
    for (const s of scenarios)
      await objects.apply('termination/prestop.yaml', { name: s.name, graceSeconds: s.graceSeconds, preStopSeconds: s.preStopSeconds });
    const running = await Promise.all(scenarios.map((s) => waitForPodRunning(watch, s.name)));

    const deletion = new PodDeletion(cluster.kube, { namespace, names: scenarios.map((s) => s.name) }, { kind: 'graceful' });
    await faults.inject(deletion);

    await Promise.all(
      scenarios.map(async (s, i) => {
        const requestedAt = deletion.records.find((r) => r.name === s.name)?.requestedAt ?? new Date(Number.NaN);
        // The grace period the kubelet applies is the stored pod's (the watched object), not the manifest's.
        const storedGrace = running[i]?.spec?.terminationGracePeriodSeconds;
        const grace = storedGrace ?? s.graceSeconds;
        const kill = deletionKill(
          grace,
          s.preStopSeconds,
          `${storedGrace === undefined ? 'fixture' : 'pod spec (stored)'} grace ${grace} s, fixture preStop sleep ${s.preStopSeconds} s; ` +
            'kubelet minimumGracePeriodInSeconds 2 s (documented: kuberuntime_manager.go)',
        );
        const final = await waitForPodVersion(
          watch,
          s.name,
          running[i]?.metadata?.uid,
          terminated,
          'container terminated',
          budgetFor(kill, killTolerance, kubeletReaction, tolerances.statusPropagation),
        );
        const state = containerStatus(final, 'app')?.state?.terminated;
        const stamps = parseStamps(state?.message ?? '');
        const hookStart = firstStamp(stamps, 'prestop-start');
        const hookEnd = firstStamp(stamps, 'prestop-end');
        const sigterm = firstStamp(stamps, 'sigterm');
        const finishedAt = new Date(state?.finishedAt ?? 0);
        // The runtime's exit time (ns) right away, before the kubelet removes the deleted pod's container.
        const exit = await containerExitTime(final.spec?.nodeName ?? '', state);

        // The fault took effect and the hook ran: its first stamp is there.
        check.fact(
          `${s.name}: stamps recorded`,
          'prestop-start, sigterm',
          [hookStart, sigterm].every((x) => x !== undefined)
            ? 'prestop-start, sigterm'
            : `got: ${stamps.map((x) => x.mark).join(', ') || 'none'}`,
          'termination message written inside the pod',
        );
        if (hookStart === undefined || sigterm === undefined) return;

        // preStop comes first: after the delete request, before SIGTERM. The delay is the
        // kubelet's reaction (watch, pod worker, CRI exec); the documentation gives no figure.
        const reaction = hookStart.at.getTime() - requestedAt.getTime();
        check.fact(
          `${s.name}: preStop runs first`,
          'after the delete, before SIGTERM',
          hookStart.at >= requestedAt && hookStart.at < sigterm.at ? 'after the delete, before SIGTERM' : 'out of order',
          `in-pod stamps; preStop began ${(reaction / 1000).toFixed(1)} s after the delete request`,
        );

        if (s.outlives) {
          // The hook had the whole grace period; SIGTERM comes when it runs out. Both stamps
          // are in-pod µs, so this separates grace G from G ± 1 (finishedAt cannot).
          const termAfterHook = abandonedHookSigterm(
            grace,
            `${storedGrace === undefined ? 'fixture' : 'pod spec (stored)'} grace ${grace} s`,
          );
          check.duration(
            { ...termAfterHook, what: `${s.name}: preStop start → SIGTERM` },
            sigterm.at.getTime() - hookStart.at.getTime(),
            tolerances.none,
          );
          check.fact(
            `${s.name}: preStop finished`,
            'no (cut short)',
            hookEnd === undefined ? 'no (cut short)' : 'yes',
            'termination message',
          );
        } else {
          check.fact(
            `${s.name}: SIGTERM after preStop completed`,
            'yes',
            hookEnd !== undefined && sigterm.at.getTime() >= hookEnd.at.getTime()
              ? 'yes'
              : `no (prestop-end ${hookEnd?.at.toISOString() ?? 'missing'}, sigterm ${sigterm.at.toISOString()})`,
            'termination message',
          );
        }
        check.fact(
          `${s.name}: SIGTERM before SIGKILL`,
          'yes',
          sigterm.at.getTime() < finishedAt.getTime() + 1000 ? 'yes' : 'no',
          'termination message and finishedAt',
        );
        check.fact(`${s.name}: exit code`, '137', String(state?.exitCode), 'state.terminated (SIGTERM ignored, so SIGKILL)');
        // The grace period runs from the start of the kill, i.e. from the preStop start.
        check.duration(
          { ...deletionKill(grace, s.preStopSeconds, `${kill.source}${exit.note}`, exit.from), what: `${s.name}: preStop start → SIGKILL` },
          exit.ms - hookStart.at.getTime(),
          tolerances.none,
        );
      }),
    );
  },
);
