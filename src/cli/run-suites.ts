/** Runs the Playwright suites of this checkout, output to the terminal; used by `podlaw run` and `npm test`. */
import { join } from 'node:path';
import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { repoRoot, reportsDir } from '../paths.ts';
import { HostCpuSampler } from '../report/host-cpu.ts';

/** Read by `npm run bench -- floor`: the host's CPU use while the suites ran. */
export const hostCpuReport = join(reportsDir, 'host-cpu.json');

export async function runSuites(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<number | undefined> {
  const cpu = new HostCpuSampler();
  const result = await execa(process.execPath, [join(repoRoot, 'node_modules/@playwright/test/cli.js'), 'test', ...args], {
    cwd: repoRoot,
    env,
    reject: false,
    stdout: 'inherit',
    stderr: 'inherit',
  });
  mkdirSync(reportsDir, { recursive: true });
  cpu.stopAndWrite(hostCpuReport);
  return result.exitCode;
}
