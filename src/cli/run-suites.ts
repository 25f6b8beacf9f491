/** Runs the Playwright suites of this checkout, output to the terminal; used by `podlaw run` and `npm test`. */
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../paths.ts';

export async function runSuites(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<number | undefined> {
  const result = await execa(process.execPath, [join(repoRoot, 'node_modules/@playwright/test/cli.js'), 'test', ...args], {
    cwd: repoRoot,
    env,
    reject: false,
    stdout: 'inherit',
    stderr: 'inherit',
  });
  return result.exitCode;
}
