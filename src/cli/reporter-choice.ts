/**
 * `podlaw run --reporter NAME`: Playwright's terminal reporter. Playwright's --reporter replaces
 * the config's whole reporter list, so the report writers are named again beside it (html, json,
 * the law reporter, the smoke gate) with their outputs set through Playwright's environment variables, where the
 * config sets them through options. Pure.
 */
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

export const terminalReporters = ['list', 'line', 'dot', 'null'] as const;
export type TerminalReporter = (typeof terminalReporters)[number];

export function playwrightReporterArgs(reporter: TerminalReporter): { args: string[]; env: Record<string, string> } {
  const reports = join(repoRoot, 'reports');
  return {
    args: [
      '--reporter',
      [reporter, 'html', 'json', join(repoRoot, 'src/report/law-reporter.ts'), join(repoRoot, 'src/report/smoke-gate-reporter.ts')].join(
        ',',
      ),
    ],
    env: {
      PLAYWRIGHT_HTML_OUTPUT_DIR: join(reports, 'html'),
      PLAYWRIGHT_HTML_OPEN: 'never',
      PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'playwright-results.json'),
    },
  };
}
