/**
 * `npm run bench -- load`: what the host k6 costs the host. Deploys the suites' load
 * target (3 netexec replicas behind an allocated NodePort) in a namespace of its own,
 * runs the host k6 at the suites' rate (40 req/s, new connection per request) for 30 s
 * under /usr/bin/time, and prints k6's user+system CPU seconds, its share of one core
 * and of the machine, and its peak RSS. The namespace is deleted afterwards.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { renderTemplate } from '../../kube/manifest.ts';
import { k6Path } from '../../load/host-k6.ts';
import { parseRequestLine } from '../../load/records.ts';
import { k6Script, type LoadScenario } from '../../load/scenario.ts';
import { controlPlaneAddress } from '../../load/target.ts';
import { kubeContext, ownKubeconfigPath } from '../../podlaw-cluster.ts';
import { connect } from '../../kube/client.ts';
import { fixturesDir } from '../../paths.ts';

const fixture = join(fixturesDir, 'load', 'netexec-service.yaml');

export async function benchLoad(kubectlPath: string): Promise<void> {
  const kubectl = (args: string[], input?: string) =>
    execa(kubectlPath, ['--context', kubeContext, ...args], input === undefined ? {} : { input });
  const namespace = `podlaw-bench-load-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-bench-k6-'));
  await kubectl(['create', 'namespace', namespace]);
  try {
    await kubectl(['label', 'namespace', namespace, 'app.kubernetes.io/managed-by=podlaw']);
    await kubectl(
      ['-n', namespace, 'apply', '-f', '-'],
      renderTemplate(readFileSync(fixture, 'utf8'), { name: 'web', replicas: 3, namespace }, fixture),
    );
    await kubectl(['-n', namespace, 'rollout', 'status', 'deployment/web', '--timeout=120s']);
    const kube = connect(ownKubeconfigPath(), kubeContext);
    const port = String((await kube.core.readNamespacedService({ name: 'web', namespace })).spec?.ports?.[0]?.nodePort ?? '');
    const nodes = await kube.core.listNode();
    const scenario: LoadScenario = {
      name: 'bench',
      url: `http://${controlPlaneAddress(nodes.items)}:${port}/hostname`,
      ratePerSecond: 40,
      durationSeconds: 30,
      requestTimeoutMs: 2000,
      thresholds: {},
    };
    writeFileSync(join(dir, 'script.js'), k6Script(scenario, join(dir, 'summary.json')));
    const run = await execa(
      '/usr/bin/time',
      ['-f', 'podlaw-time %U %S %e %M', k6Path(), 'run', '--quiet', '--no-color', '--log-format', 'raw', '--no-usage-report', 'script.js'],
      {
        cwd: dir,
        reject: false,
        env: { K6_NO_USAGE_REPORT: 'true' },
        timeout: 90_000,
      },
    );
    const lines = run.stderr.split('\n');
    const records = lines.map(parseRequestLine).filter((r) => r !== undefined);
    const time = lines
      .find((l) => l.startsWith('podlaw-time '))
      ?.split(' ')
      .slice(1)
      .map(Number);
    if (time === undefined || time.length < 4)
      throw new Error(`k6 did not run (exit ${String(run.exitCode)}): ${lines.slice(-3).join(' | ')}`);
    const [user = 0, system = 0, wall = 1, maxRssKiB = 0] = time;
    const cpu = user + system;
    console.log(
      `k6 host load: ${scenario.ratePerSecond} req/s for ${scenario.durationSeconds} s, ${records.length} requests ` +
        `(${records.filter((r) => r.status !== 200).length} failed)`,
    );
    console.log(`k6 CPU: ${cpu.toFixed(2)} s (user ${user.toFixed(2)}, system ${system.toFixed(2)}) over ${wall.toFixed(1)} s wall`);
    console.log(
      `= ${((cpu / wall) * 100).toFixed(1)} % of one core, ${((cpu / wall / cpus().length) * 100).toFixed(1)} % of the machine's ` +
        `${cpus().length} cores; peak RSS ${(maxRssKiB / 1024).toFixed(0)} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
  }
}
