/**
 * The report writer: a run's data (laws' test results + timelines) into an output directory —
 * laws.json, laws.md, junit.xml, index.html. Used by the Playwright law reporter at the end of
 * a run, by `podlaw report DIR` to re-render a past run, and by anything else that has a run's
 * data (a game day). Returns the verdict counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { laws } from '../laws/catalog/index.ts';
import { chartJsBundle, renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderJson, renderMarkdown } from './render.ts';
import type { RunData } from './run-data.ts';
import { countVerdicts, lawVerdicts, type VerdictCounts } from './verdicts.ts';

export const reportFiles = ['laws.json', 'laws.md', 'junit.xml', 'index.html'] as const;

export function writeReports(data: RunData, outputDir: string): VerdictCounts {
  const verdicts = lawVerdicts(laws, data.results);
  const counts = countVerdicts(verdicts);
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(join(outputDir, 'laws.json'), renderJson(data.run, counts, verdicts));
  writeFileSync(join(outputDir, 'laws.md'), renderMarkdown(data.run, counts, verdicts));
  writeFileSync(join(outputDir, 'junit.xml'), renderJunit(data.run, verdicts));
  writeFileSync(join(outputDir, 'index.html'), renderHtml(data.run, counts, verdicts, data, chartJsBundle()));
  return counts;
}
