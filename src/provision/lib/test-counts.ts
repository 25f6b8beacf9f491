/** Reads pass/fail counts from the runners' machine-readable output. */

export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** node --test TAP summary lines: `# pass 18`, `# fail 0`, `# skipped 0`. */
export function countsFromTap(tap: string): Counts {
  const read = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 'NaN');
  const counts = { passed: read('pass'), failed: read('fail') + read('cancelled'), skipped: read('skipped') + read('todo') };
  if (Object.values(counts).some(Number.isNaN)) throw new Error('the unit test output has no TAP summary');
  return counts;
}

/** Playwright's JSON reporter stats: expected = passed, unexpected = failed, flaky counts as failed here. */
export function countsFromPlaywrightJson(json: string): Counts {
  const stats = (JSON.parse(json) as { stats?: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats;
  if (stats === undefined) throw new Error('the Playwright JSON report has no stats');
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

export function summaryLine(label: string, counts: Counts): string {
  return `${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}
