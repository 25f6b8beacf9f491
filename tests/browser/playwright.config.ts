/**
 * The HTML summary opened in a real browser: Debian's chromium (Playwright's own browser
 * downloads are not reachable here) driven by Playwright. No cluster: it opens the
 * index.html of a reports directory (PODLAW_REPORT_DIR, default reports/) from disk.
 *   npx playwright test -c tests/browser
 */
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './chromium.ts';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/browser',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  globalSetup: './chromium.ts',
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    // The page needs no network: a request leaving it would be a bug the test must see.
    offline: true,
    launchOptions: { executablePath: chromiumPath, args: ['--no-sandbox'] },
    viewport: { width: 1400, height: 900 },
  },
});
