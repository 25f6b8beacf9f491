/**
 * Least privilege: deploy/rbac/podlaw.yaml is enough for what podlaw does and no more.
 *
 * "RBAC authorization uses the rbac.authorization.k8s.io API group to drive authorization decisions
 *  … Permissions are purely additive (there are no "deny" rules)."
 *  https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 * "A user can act as another user through impersonation headers. These let requests manually override
 *  the user info a request authenticates as."
 *  https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
 *
 * The manifest is applied under throwaway names (suffixed, labelled app.kubernetes.io/managed-by=podlaw,
 * removed after) and bound to a probe user; every call below goes out with Impersonate-User, so the API
 * server authorizes it exactly as for a user bound to that manifest. The probe user first does what a
 * non-destructive podlaw run does, with podlaw's own code: creates its namespace and owner Lease, watches
 * pods, EndpointSlices, events and nodes, applies a fixture, execs, reads a log, reads the general worker's kubelet
 * configz and metrics and the control plane's static-pod flags (the run's ClusterTiming, each from the source the run's
 * own identity read it from), a node Lease,
 * evicts, deletes its namespace. Then what podlaw must never do is refused with 403, and the node writes
 * of destructive faults are refused until the opt-in podlaw-destructive role is bound (checked with
 * dryRun=All, so nothing on the shared cluster changes).
 */
import { test, expect } from '../../src/harness/index.ts';
import {
  AccessProbe,
  accessProbeRefusal,
  notApplicable,
  answerOf,
  dryRunTaintKey,
  taintDryRun,
  evict,
  execOk,
  forbiddenAsPodlawError,
  kubeletConfigz,
  lastHeartbeatMs,
  listNodes,
  nodeRole,
  openNamespaceAs,
  rbacManifestPath,
  readClusterTiming,
  kubeletTimingFor,
  timeouts,
  waitForLogLine,
  waitForPodRunning,
  waitForReadyEndpoints,
} from '../../src/harness/index.ts';

test.describe.configure({ mode: 'serial' });

test('deploy/rbac/podlaw.yaml runs podlaw as an impersonated user and refuses the rest', async ({ cluster, timeline }, testInfo) => {
  const refusal = await accessProbeRefusal(cluster.kube);
  if (refusal !== undefined) notApplicable(testInfo, refusal);
  const suffix = `${cluster.settings.runId}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`.slice(-20).replace(/^-+/, '');
  const probe = await AccessProbe.grant(cluster.kube, cluster.settings.runId, suffix);
  timeline.action('rbac', `created ${probe.created.join(', ')}`);
  try {
    await probe.waitUntilAllowed({ verb: 'create', resource: 'namespaces' });
    await probe.waitUntilAllowed({ verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'kube-proxy' });
    expect(await probe.username(), 'the API server sees the impersonated user').toBe(probe.user);
    // Every pod and every node write (dry runs only) goes to the general worker, like every ordinary law pod.
    const node = (await listNodes(cluster.kube)).find((n) => nodeRole(n) === 'general')?.metadata?.name ?? '';
    expect(node, 'a general worker').not.toBe('');

    await test.step('what a non-destructive run does, as the probe user', async () => {
      // The general worker's kubelet only: a loss test may hold another node paused, its kubelet silent for the read's 10 s.
      // Readable as the probe user wherever the run's own identity read it at the run's start: a refusal shows as a
      // fallback "not readable" (a managed control plane's flags are readable for no one, so the run's read decides).
      const timing = await readClusterTiming(probe.as, cluster.version, [node]);
      const asRun = kubeletTimingFor(cluster.timing, node);
      const asProbe = timing.kubelets[node];
      const readable = (setting: { readonly detail: string } | undefined): boolean =>
        setting !== undefined && !setting.detail.includes('not readable');
      const reads = [
        [`configz of ${node} through nodes/proxy`, asProbe?.nodeStatusUpdateFrequencyMs, asRun.nodeStatusUpdateFrequencyMs],
        [`metrics of ${node} through nodes/proxy`, asProbe?.crashLoopBackOffInitialMs, asRun.crashLoopBackOffInitialMs],
        ['kube-controller-manager flags', timing.nodeMonitorGracePeriodMs, cluster.timing.nodeMonitorGracePeriodMs],
        ['kube-apiserver flags', timing.defaultUnreachableTolerationSeconds, cluster.timing.defaultUnreachableTolerationSeconds],
      ] as const;
      for (const [what, probeRead, runRead] of reads) {
        expect(readable(probeRead), `${what} as the probe user: ${probeRead?.detail ?? 'absent'}`).toBe(readable(runRead));
      }
      expect((await kubeletConfigz(probe.as, node)).nodeStatusUpdateFrequency, `configz of ${node}`).toBeTruthy();
      expect(await lastHeartbeatMs(probe.as, node), `Lease kube-node-lease/${node}`).toBeGreaterThan(0);

      const ns = await openNamespaceAs(probe, cluster.settings.runId, 'access probe', timeline);
      try {
        await ns.objects.apply('access/probe.yaml');
        await waitForPodRunning(ns.watch, 'probe', 'app', { ready: true });
        expect(await execOk(probe.as, { namespace: ns.name, pod: 'probe', container: 'app' }, ['cat', '/proc/1/cmdline'])).toContain('sh');
        await waitForLogLine(
          probe.as,
          { namespace: ns.name, pod: 'probe', container: 'app' },
          /^podlaw-access-probe-up$/m,
          timeouts.podStart,
        );
        await waitForReadyEndpoints(
          ns.watch,
          1,
          'Service probe: its pod in an EndpointSlice, watched as the probe user',
          timeouts.serviceStart,
        );
        const eviction = await evict(probe.as, ns.name, 'probe');
        expect(eviction.status, `eviction answered ${eviction.message ?? ''}`).toBe(201);
      } finally {
        await ns.close();
      }
    });

    await test.step('what podlaw must never do is refused (403)', async () => {
      const refused = {
        'list secrets cluster-wide': await answerOf(() => probe.as.core.listSecretForAllNamespaces()),
        'read a Secret in kube-system': await answerOf(() => probe.as.core.listNamespacedSecret({ namespace: 'kube-system' })),
        'read a kube-system ConfigMap other than coredns/kube-proxy': await answerOf(() =>
          probe.as.core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'kubeadm-config' }),
        ),
        'delete a Node (dry run)': await answerOf(() => probe.as.core.deleteNode({ name: node, dryRun: 'All' })),
        'taint a Node (dry run)': await answerOf(() => taintDryRun(probe.as, node)),
        'create a PriorityClass': await answerOf(() =>
          probe.as.objects.create(
            { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `never-${suffix}` }, value: 1 } as never,
            undefined,
            'All',
          ),
        ),
        'bind itself cluster-admin': await answerOf(() =>
          probe.as.objects.create(
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRoleBinding',
              metadata: { name: `never-${suffix}` },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
              subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: probe.user }],
            } as never,
            undefined,
            'All',
          ),
        ),
      };
      timeline.action('rbac', `refused: ${JSON.stringify(refused)}`);
      expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 403])));

      // How podlaw reports such a refusal: one line naming the permission and the manifest.
      const error = await probe.as.core.listSecretForAllNamespaces().then(
        () => undefined,
        (e: unknown) => e,
      );
      const line = forbiddenAsPodlawError(error)?.oneLine() ?? '';
      timeline.action('rbac', line);
      expect(line).toContain(`User "${probe.user}" cannot list resource "secrets"`);
      expect(line).toContain(rbacManifestPath);
      expect(line.includes('\n')).toBe(false);
    });

    await test.step('node writes of destructive faults need the opt-in role', async () => {
      await probe.grantDestructive();
      timeline.action('rbac', `bound ${probe.created.at(-1) ?? ''}`);
      await probe.waitUntilAllowed({ verb: 'delete', resource: 'nodes' });
      const allowed = {
        'delete a Node (dry run)': await answerOf(() => probe.as.core.deleteNode({ name: node, dryRun: 'All' })),
        'taint a Node (dry run)': await answerOf(() => taintDryRun(probe.as, node)),
        'list secrets cluster-wide': await answerOf(() => probe.as.core.listSecretForAllNamespaces()),
      };
      timeline.action('rbac', `with podlaw-destructive: ${JSON.stringify(allowed)}`);
      expect(allowed).toEqual({
        'delete a Node (dry run)': 'allowed',
        'taint a Node (dry run)': 'allowed',
        'list secrets cluster-wide': 403,
      });
      const worker = await cluster.kube.core.readNode({ name: node });
      expect(worker.spec?.taints ?? [], 'the dry runs changed nothing').not.toContainEqual(
        expect.objectContaining({ key: dryRunTaintKey }),
      );
    });
  } finally {
    await probe.revoke();
    timeline.action('rbac', `removed ${suffix} roles and bindings`);
  }
});
