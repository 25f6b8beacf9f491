/**
 * SA-1 — "When you create a pod, if you do not specify a service account, it is automatically assigned the default
 * service account … you can specify serviceAccountName … the kubelet … mounts a projected volume at
 * /var/run/secrets/kubernetes.io/serviceaccount" holding token, ca.crt and namespace; "you can opt out of
 * automounting API credentials … by setting automountServiceAccountToken: false".
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
 * The API server's SelfSubjectReview answers who a token is (authentication.k8s.io/v1). The review is sent from INSIDE
 * a pod running as the account: busybox wget cannot complete a TLS handshake with this API server (alert 40), so the
 * client is k6 (podlaw.local/k6, the in-cluster HTTP client podlaw already imports into the nodes), posting to
 * https://kubernetes.default.svc with the mounted token and verifying the server against the mounted ca.crt.
 */
import {
  test,
  law,
  notApplicable,
  execInContainer,
  execOk,
  generalWorker,
  isRunning,
  jwtClaims,
  k6Image,
  containerLog,
  parseInPodReview,
  timeouts,
  waitForPod,
} from '../../src/harness/index.ts';

const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

test(
  "SA-1: the named account's token is mounted and answered as that account; none with automount off",
  law('SA-1'),
  async ({ cluster, namespace, objects, watch, check }, testInfo) => {
    const node = (await generalWorker(cluster.kube))?.metadata?.name;
    if (node === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to pin the pods to');
    await objects.apply('anatomy/service-account.yaml', { node });
    const account = `system:serviceaccount:${namespace}:reader`;
    await waitForPod(watch, 'as-reader', (p) => isRunning(p, 'app'), 'running', timeouts.podStart);
    const inPod = { namespace, pod: 'as-reader', container: 'app' };
    const files = (await execOk(cluster.kube, inPod, ['ls', mountPath])).trim().split(/\s+/).sort();
    check.fact(`files in ${mountPath}`, 'ca.crt namespace token', files.join(' '), 'ls in the pod');
    check.fact(
      'namespace file',
      namespace,
      (await execOk(cluster.kube, inPod, ['cat', `${mountPath}/namespace`])).trim(),
      'cat in the pod',
    );
    const token = (await execOk(cluster.kube, inPod, ['cat', `${mountPath}/token`])).trim();
    check.fact('token subject (JWT sub claim)', account, String(jwtClaims(token)['sub']), 'the mounted token, decoded (not verified)');
    await objects.apply('anatomy/service-account-whoami.yaml', { node, k6Image });
    const done = await waitForPod(
      watch,
      'whoami',
      (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed',
      'in-pod SelfSubjectReview finished',
      timeouts.podStart,
    );
    const output = await containerLog(cluster.kube, done, 'whoami');
    check.fact('in-pod review pod phase', 'Succeeded', done.status?.phase ?? '', `pod as stored; output: ${output.slice(0, 300)}`);
    const review = parseInPodReview(output);
    check.fact(
      'in-pod SelfSubjectReview: HTTP status (TLS verified with the mounted ca.crt)',
      '201',
      `${review.status}${review.error === '' ? '' : ` ${review.error}`}`,
      'k6 in the pod, POST https://kubernetes.default.svc/apis/authentication.k8s.io/v1/selfsubjectreviews',
    );
    check.fact(
      'in-pod SelfSubjectReview with the mounted token: username',
      account,
      review.username,
      'authentication.k8s.io/v1 SelfSubjectReview status.userInfo, answered to the pod',
    );
    check.fact(
      "in-pod SelfSubjectReview: groups include the namespace's service accounts",
      `system:serviceaccounts:${namespace}`,
      review.groups.find((g) => g === `system:serviceaccounts:${namespace}`) ?? review.groups.join(','),
      'status.userInfo.groups',
    );

    const bare = await waitForPod(watch, 'no-token', (p) => isRunning(p, 'app'), 'running', timeouts.podStart);
    const listing = await execInContainer(cluster.kube, { namespace, pod: 'no-token', container: 'app' }, ['ls', mountPath]);
    const absent = listing.outcome.kind === 'exited' && listing.outcome.exitCode !== 0;
    check.fact(
      'automountServiceAccountToken false: token directory',
      'absent',
      absent ? 'absent' : `present: ${listing.stdout.trim()}`,
      'ls in the pod',
    );
    const projected = (bare.spec?.volumes ?? []).filter((v) =>
      v.projected?.sources?.some((s) => s.serviceAccountToken !== undefined),
    ).length;
    check.fact('automountServiceAccountToken false: token volumes in the stored pod', '0', String(projected), 'spec.volumes as stored');
  },
);
