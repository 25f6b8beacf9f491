/** `npm run host:prepare`: makes this machine able to run a kind cluster. */
import { ensureDockerEngine } from './host/docker-engine.ts';
import { Progress } from './lib/progress.ts';
import { reportFatal } from '../src/errors.ts';

export async function prepareHost(progress: Progress): Promise<void> {
  await progress.step('docker engine', 'install if absent, capability wrapper if needed, start if stopped', async () => {
    const report = await ensureDockerEngine((line) => progress.log(`  ${line}`));
    progress.log(`  docker server ${report.serverVersion}; wrapper: ${report.wrapper}`);
    return { source: report.installed || report.started ? 'done' : 'reused', value: report };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const progress = new Progress();
  try {
    await prepareHost(progress);
    progress.log(progress.summary('host ready'));
  } catch (error) {
    process.exitCode = reportFatal(error);
  }
}
