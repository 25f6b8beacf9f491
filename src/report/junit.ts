/**
 * reports/junit.xml for CI dashboards: one testsuite per law family, one testcase per law
 * (classname = family, name = "ID statement"), its observations as properties (measured,
 * expected, source) with the doc links; a failed law carries the observation that failed
 * (or the test's first error) as its failure message; not applicable and not run are
 * <skipped> with the reason. The shape is the JUnit format Jenkins, GitLab and GitHub
 * reporters read; schemas/junit.xsd checks it in the unit tests. Pure.
 */
import type { RunInfo } from './render.ts';
import type { LawVerdict } from './verdicts.ts';

export function xmlEscape(text: string): string {
  return (
    text
      // XML 1.0 forbids most control characters even escaped; Playwright messages can carry them.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

function attrs(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlEscape(String(value))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The observation that failed the law, else the verdict's reason (a test error). */
export function failureMessage(verdict: LawVerdict): string {
  const failed = verdict.observations.find((o) => !o.ok);
  if (failed !== undefined) return `${failed.name}: measured ${failed.measured}, expected ${failed.expected} (source: ${failed.source})`;
  return verdict.reason ?? 'failed';
}

function properties(verdict: LawVerdict): string[] {
  const props: [string, string][] = verdict.law.docUrls.map((url) => ['doc', url]);
  if (verdict.law.upstreamTest !== undefined) props.push(['upstream test', verdict.law.upstreamTest]);
  for (const o of verdict.observations) {
    props.push([`${o.name}: measured`, o.measured], [`${o.name}: expected`, o.expected], [`${o.name}: source`, o.source]);
  }
  if (props.length === 0) return [];
  return ['      <properties>', ...props.map(([name, value]) => `        <property${attrs({ name, value })}/>`), '      </properties>'];
}

function testcase(verdict: LawVerdict): string[] {
  const time = verdict.tests.reduce((sum, t) => sum + t.durationMs, 0);
  const open = `    <testcase${attrs({ classname: verdict.law.family, name: `${verdict.law.id} ${verdict.law.statement}`, time: seconds(time) })}>`;
  const body = properties(verdict);
  switch (verdict.verdict) {
    case 'passed':
      break;
    case 'failed': {
      const message = failureMessage(verdict);
      body.push(`      <failure${attrs({ message, type: 'law failed' })}>${xmlEscape(verdict.reason ?? message)}</failure>`);
      break;
    }
    default:
      body.push(`      <skipped${attrs({ message: `${verdict.verdict}: ${verdict.reason ?? ''}` })}/>`);
  }
  return [open, ...body, '    </testcase>'];
}

export function renderJunit(run: RunInfo, verdicts: readonly LawVerdict[]): string {
  const families = [...new Set(verdicts.map((v) => v.law.family))];
  const failures = (vs: readonly LawVerdict[]): number => vs.filter((v) => v.verdict === 'failed').length;
  const skipped = (vs: readonly LawVerdict[]): number => vs.filter((v) => v.verdict !== 'passed' && v.verdict !== 'failed').length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `podlaw laws${run.runId !== undefined ? ` (run ${run.runId})` : ''}`, tests: verdicts.length, failures: failures(verdicts), errors: 0, time: seconds(run.durationMs) })}>`,
  ];
  for (const family of families) {
    const members = verdicts.filter((v) => v.law.family === family);
    const time = members.reduce((sum, v) => sum + v.tests.reduce((s, t) => s + t.durationMs, 0), 0);
    lines.push(
      `  <testsuite${attrs({ name: family, tests: members.length, failures: failures(members), errors: 0, skipped: skipped(members), time: seconds(time), timestamp: run.startedAt.replace(/Z$/, '') })}>`,
      ...members.flatMap(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
