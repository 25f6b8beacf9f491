/**
 * reports/index.html in chromium: every law of laws.json has its row with its verdict, every
 * chart the page declares was drawn (its canvas has painted pixels), the page made no request
 * and threw nothing; a full-page screenshot is saved beside the report (html-summary.png).
 */
import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const reportDir = resolve(process.env['PODLAW_REPORT_DIR'] ?? 'reports');

// Runs in the page (a string: the project's TypeScript has no DOM types): canvases with no painted pixel.
const blankCanvases = `[...document.querySelectorAll('canvas')].filter((c) => {
  const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return false;
  return true;
}).map((c) => c.id)`;

test('the HTML summary shows every law and draws every chart, offline', async ({ page }) => {
  const html = join(reportDir, 'index.html');
  expect(existsSync(html), `${html} (write it with a run or npx podlaw report DIR)`).toBe(true);
  const lawsJson = JSON.parse(readFileSync(join(reportDir, 'laws.json'), 'utf8')) as { laws: { id: string; verdict: string }[] };
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(html).href);
  // The page script marks the body once it has created every chart.
  await expect(page.locator('body')).toHaveAttribute('data-charts-drawn', /^\d+$/);
  for (const law of lawsJson.laws) {
    const row = page.locator(`tr.law[data-law="${law.id}"]`);
    await expect(row).toHaveCount(1);
    await expect(row.locator('td.verdict')).toHaveText(law.verdict);
    await expect(row.locator('td').first().locator('a')).toHaveAttribute('href', /^https:\/\//);
  }
  const canvases = await page.locator('canvas').count();
  const drawn = Number(await page.locator('body').getAttribute('data-charts-drawn'));
  const loadCharts = await page.locator('canvas[id^="load-"]').count();
  expect(drawn + loadCharts).toBe(canvases);
  expect(await page.evaluate(blankCanvases)).toEqual([]);
  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
  const screenshot = join(reportDir, 'html-summary.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  test.info().annotations.push({
    type: 'report',
    description: `${lawsJson.laws.length} law rows, ${canvases} charts drawn; screenshot ${screenshot}`,
  });
  console.log(`${lawsJson.laws.length} law rows, ${canvases} charts drawn (${loadCharts} load); screenshot ${screenshot}`);
});
