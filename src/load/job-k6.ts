/**
 * In-cluster placement, for clusters the host cannot reach (a --kubeconfig cluster):
 * k6 runs as a Job from podlaw.local/k6 (built offline, imported into the nodes by
 * `cluster up`), the script in a ConfigMap, the target the Service's ClusterIP. Its
 * log is followed as it is written: the per-request lines (stderr) and, at the end,
 * the summary line (stdout). Bounded by the Job's activeDeadlineSeconds and by a
 * watchdog here; an image that cannot start ends the run with one line.
 */
import { PassThrough } from 'node:stream';
import { Log, type V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { resourceTypes } from '../kube/resources.ts';
import { ResumableWatch } from '../kube/watch.ts';
import { waitFor } from '../kube/wait.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import { lineSplitter } from '../line-splitter.ts';
import { LoadError } from './errors.ts';
import { parseRequestLine, parseSummaryLine, k6ExitCodes, type K6Summary } from './records.ts';
import { LoadRun, resultOf } from './run.ts';
import { k6Script, validateScenario, type LoadScenario } from './scenario.ts';

export const k6Image = 'podlaw.local/k6:v1.8.1';
/** Waiting reasons after which the k6 container will not start by itself. */
const cannotStart = new Set([
  'ErrImageNeverPull',
  'ErrImagePull',
  'ImagePullBackOff',
  'CreateContainerError',
  'CreateContainerConfigError',
  'InvalidImageName',
]);
/** Scheduling, image import and k6 start on a loaded 2-core machine. */
const startBudget = namedTimeout('k6 Job pod start (scheduling + container start) 60 s', 60_000);

function terminated(pod: V1Pod): { exitCode: number } | undefined {
  const t = pod.status?.containerStatuses?.find((c) => c.name === 'k6')?.state?.terminated;
  return t === undefined ? undefined : { exitCode: t.exitCode };
}

function startProblem(pod: V1Pod): string | undefined {
  const w = pod.status?.containerStatuses?.find((c) => c.name === 'k6')?.state?.waiting;
  return w?.reason !== undefined && cannotStart.has(w.reason) ? `${w.reason}: ${w.message ?? ''}` : undefined;
}

export async function startJobLoad(kube: KubeClients, namespace: string, scenario: LoadScenario, image = k6Image): Promise<LoadRun> {
  validateScenario(scenario);
  const name = `k6-${scenario.name.replaceAll('_', '-')}`.slice(0, 50);
  const deadlineSeconds = scenario.durationSeconds + Math.ceil(scenario.requestTimeoutMs / 1000) + 60;
  await kube.core.createNamespacedConfigMap({
    namespace,
    body: { metadata: { name }, data: { 'script.js': k6Script(scenario, undefined) } },
  });
  await kube.objects.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds,
      template: {
        metadata: { labels: { 'podlaw.dev/load': name } },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'k6',
              image,
              imagePullPolicy: 'Never',
              args: ['run', '--quiet', '--no-color', '--log-format', 'raw', '--no-usage-report', '/scripts/script.js'],
              volumeMounts: [{ name: 'script', mountPath: '/scripts' }],
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } },
            },
          ],
          volumes: [{ name: 'script', configMap: { name } }],
        },
      },
    },
  } as never);

  const pods = new ResumableWatch<V1Pod>(kube, resourceTypes.pod, { namespace, labelSelector: `podlaw.dev/load=${name}` });
  await pods.start();
  let pod: V1Pod;
  try {
    pod = await waitFor(
      pods,
      (ps) => {
        const p = ps[0];
        if (p === undefined) return undefined;
        const problem = startProblem(p);
        if (problem !== undefined) throw new LoadError(`k6 Job ${namespace}/${name} cannot start: ${problem}`);
        const running = p.status?.containerStatuses?.find((c) => c.name === 'k6')?.state;
        return running?.running !== undefined || running?.terminated !== undefined ? p : undefined;
      },
      { description: `k6 Job ${name} pod running`, timeout: startBudget },
    );
  } catch (error) {
    await pods.stop();
    if (error instanceof LoadError) throw error;
    throw new LoadError(`k6 Job ${namespace}/${name} did not start within ${startBudget.ms / 1000} s (${startBudget.name})`, {
      cause: error,
    });
  }
  const podName = pod.metadata?.name ?? '';

  return new LoadRun(scenario, 'job', async (run) => {
    let summary: K6Summary | undefined;
    let errorLine = '';
    const log = lineSplitter((line) => {
      const record = parseRequestLine(line);
      if (record !== undefined) run.add(record);
      else if (line.startsWith('Error')) errorLine = line.trim();
      else summary ??= parseSummaryLine(line);
    });
    const stream = new PassThrough();
    stream.setEncoding('utf8');
    stream.on('data', log.push);
    stream.on('end', log.end);
    const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()));
    try {
      const request = await new Log(kube.config).log(namespace, podName, 'k6', stream, { follow: true });
      const watchdog = setTimeout(() => request.abort(), (deadlineSeconds + 30) * 1000);
      await ended;
      clearTimeout(watchdog);
      const finished = await waitFor(pods, (ps) => ps.map(terminated).find((t) => t !== undefined), {
        description: `k6 Job ${name} finished`,
        timeout: namedTimeout('k6 exit after its log ended 30 s', 30_000),
      });
      if (finished.exitCode !== k6ExitCodes.ok && finished.exitCode !== k6ExitCodes.thresholdsCrossed) {
        throw new LoadError(`k6 Job ${namespace}/${name} failed (exit ${finished.exitCode})${errorLine !== '' ? `: ${errorLine}` : ''}`);
      }
      if (summary === undefined)
        throw new LoadError(`k6 Job ${namespace}/${name} ended (exit ${finished.exitCode}) without printing its summary`);
      return resultOf(run, summary, finished.exitCode);
    } finally {
      await pods.stop();
    }
  });
}
