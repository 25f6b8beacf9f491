/** Makes this machine able to run a kind cluster: the Docker engine, installed, wrapped if needed and started. */
import { ensureDockerEngine } from './docker-engine.ts';
import type { Progress } from '../lib/progress.ts';

export async function prepareHost(progress: Progress): Promise<void> {
  await progress.step('docker engine', 'install if absent, capability wrapper if needed, start if stopped', async () => {
    const report = await ensureDockerEngine((line) => progress.log(`  ${line}`));
    progress.log(`  docker server ${report.serverVersion}; wrapper: ${report.wrapper}`);
    return { source: report.installed || report.started ? 'done' : 'reused', value: report };
  });
}
