/**
 * The load runner fails fast and in one line: a k6 that cannot start, a target that
 * never answers (a Service without endpoints), a k6 Job whose image is missing. None of
 * these may hang a test; each ends within its named bound.
 */
import {
  test,
  expect,
  LoadError,
  startHostLoad,
  startJobLoad,
  serviceUrl,
  waitForReadyPods,
  timeouts,
  type LoadScenario,
} from '../../src/harness/index.ts';

const base: Omit<LoadScenario, 'url'> = { name: 'smoke', ratePerSecond: 5, durationSeconds: 10, requestTimeoutMs: 500, thresholds: {} };

function oneLine(error: unknown): string {
  expect(error).toBeInstanceOf(LoadError);
  const message = (error as Error).message;
  expect(message.includes('\n'), `one line: ${message}`).toBe(false);
  return message;
}

test('a k6 that cannot start gives a one-line error', async () => {
  const error = await Promise.resolve()
    .then(() => startHostLoad({ ...base, url: 'http://127.0.0.1:9/' }, '/nonexistent/k6'))
    .catch((e: unknown) => e);
  expect(oneLine(error)).toContain('k6 not found at /nonexistent/k6');
});

test('a target that never answers ends the wait with a one-line error, no hang', async ({ cluster, namespace, objects }) => {
  await objects.apply('load/no-endpoints.yaml', { name: 'silent' });
  const started = Date.now();
  const run = startHostLoad({ ...base, answerTimeoutSeconds: 3, url: await serviceUrl(cluster.kube, namespace, 'silent', 'host') });
  const waited = await run.waitForAnswers(1, 20_000).catch((e: unknown) => e);
  expect(oneLine(waited)).toMatch(
    /k6 failed \(exit 107\): Error: podlaw: target http:\/\/[\d.:]+\/hostname never answered steadily within 3 s/,
  );
  // Ended by k6's own bounded setup, not by the 20 s wait.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(oneLine(await run.result.catch((e: unknown) => e))).toContain('never answered steadily');
});

test('a k6 Job whose image cannot start gives a one-line error', async ({ cluster, namespace, objects }) => {
  await objects.apply('load/no-endpoints.yaml', { name: 'silent' });
  const url = await serviceUrl(cluster.kube, namespace, 'silent', 'job');
  const error = await startJobLoad(cluster.kube, namespace, { ...base, url }, 'podlaw.local/k6:absent').catch((e: unknown) => e);
  expect(oneLine(error)).toMatch(/cannot start: ErrImageNeverPull/);
});

test('the k6 Job placement runs in the cluster and reports every request', async ({ cluster, namespace, objects, watch }) => {
  await objects.apply('load/netexec-service.yaml', { name: 'web', replicas: 1 });
  await waitForReadyPods(watch, 1, timeouts.podStart);
  const url = await serviceUrl(cluster.kube, namespace, 'web', 'job');
  // A few seconds of requests show the placement works; the Job cannot be stopped early like the host's k6.
  const run = await startJobLoad(cluster.kube, namespace, {
    ...base,
    durationSeconds: 3,
    url,
    thresholds: { http_req_failed: ['rate<0.5'] },
  });
  const result = await run.result;
  expect(result.exitCode).toBe(0);
  expect(result.records.filter((r) => r.status === 200).length).toBeGreaterThan(0);
  expect(result.thresholds.map((t) => [t.metric, t.expression, t.ok])).toEqual([['http_req_failed{scenario:smoke}', 'rate<0.5', true]]);
});
