/** Runs the Playwright suites of this checkout, output to the terminal; used by `podlaw run` and `npm test`. */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runSuites(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<number | undefined> {
  const result = await execa(process.execPath, [join(repoRoot, 'node_modules/@playwright/test/cli.js'), 'test', ...args], {
    cwd: repoRoot, env, reject: false, stdout: 'inherit', stderr: 'inherit',
  });
  return result.exitCode;
}
