/**
 * laws.json and laws.md from the verdicts. Pure.
 */
import type { LawVerdict, VerdictCounts } from './verdicts.ts';
import { summaryLine } from './verdicts.ts';
import { judgeClaims, seedClaims, type ClaimResult } from './claims.ts';

export interface RunInfo {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly runId: string | undefined;
  readonly playwrightStatus: string;
}

/** laws.json's schema (schemas/laws.schema.json): bump both on an incompatible change. */
export const lawsJsonSchemaVersion = 1;
export const lawsJsonSchemaId = 'https://podlaw.dev/schemas/laws/v1.json';

export function renderJson(run: RunInfo, counts: VerdictCounts, verdicts: readonly LawVerdict[]): string {
  return `${JSON.stringify(
    {
      $schema: lawsJsonSchemaId,
      schemaVersion: lawsJsonSchemaVersion,
      run,
      summary: { ...counts, line: summaryLine(counts) },
      laws: verdicts.map((v) => ({
        id: v.law.id,
        family: v.law.family,
        statement: v.law.statement,
        docs: v.law.docUrls,
        upstreamTest: v.law.upstreamTest ?? null,
        timing: v.law.timing ?? null,
        verdict: v.verdict,
        reason: v.reason ?? null,
        tests: v.tests.map((t) => ({ title: t.title, file: t.file, status: t.status, durationMs: t.durationMs })),
        observations: v.observations,
      })),
      claims: claimsOf(verdicts).map((c) => ({ ...c.claim, verdict: c.verdict, evidence: c.evidence })),
    },
    null,
    2,
  )}\n`;
}

/** The seed claims judged by this run's observations (every law's). */
function claimsOf(verdicts: readonly LawVerdict[]): ClaimResult[] {
  return judgeClaims(
    seedClaims,
    verdicts.flatMap((v) => v.observations),
  );
}

function claimLines(verdicts: readonly LawVerdict[]): string[] {
  const lines = ['## claims', '', '| seed | sentence | law | verdict | evidence |', '|---|---|---|---|---|'];
  for (const { claim, verdict, evidence } of claimsOf(verdicts)) {
    const shown = verdict === 'false' ? `false: ${claim.documentedTruth}` : verdict;
    lines.push(`| ${claim.source} | ${cell(claim.sentence)} | ${claim.law} | ${cell(shown)} | ${cell(evidence.join('; '))} |`);
  }
  lines.push('');
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const verdictMark: Readonly<Record<LawVerdict['verdict'], string>> = {
  passed: '✅ passed',
  failed: '❌ failed',
  'deviates (known)': '⚠️ deviates (known)',
  'not applicable': '➖ not applicable',
  'not run': '⏸ not run',
};

export function renderMarkdown(run: RunInfo, counts: VerdictCounts, verdicts: readonly LawVerdict[]): string {
  const lines: string[] = [
    '# podlaw — law verdicts',
    '',
    `Run ${run.runId ?? '-'} started ${run.startedAt}, ${(run.durationMs / 1000).toFixed(0)} s, Playwright status ${run.playwrightStatus}.`,
    '',
    `**${summaryLine(counts)}**`,
    '',
  ];
  const families = [...new Set(verdicts.map((v) => v.law.family))];
  for (const family of families) {
    lines.push(`## ${family}`, '', '| law | verdict | measured | expected | source |', '|---|---|---|---|---|');
    for (const v of verdicts.filter((x) => x.law.family === family)) {
      const link = `[${v.law.id}](${v.law.docUrls[0] ?? ''})`;
      const verdict = `${verdictMark[v.verdict]}${v.reason !== undefined && v.verdict !== 'passed' ? `: ${v.reason}` : ''}`;
      if (v.observations.length === 0) {
        lines.push(`| ${link} | ${cell(verdict)} | | | |`);
        continue;
      }
      v.observations.forEach((o, i) => {
        const first = i === 0;
        lines.push(
          `| ${first ? link : ''} | ${first ? cell(verdict) : ''} | ${cell(`${o.name}: ${o.measured}${o.ok ? '' : ' ⚠'}`)} | ${cell(o.expected)} | ${cell(o.source)} |`,
        );
      });
    }
    lines.push('');
  }
  lines.push(...claimLines(verdicts));
  lines.push('## Statements', '');
  for (const v of verdicts) {
    lines.push(
      `- **${v.law.id}** ${v.law.statement} (${v.law.docUrls.join(', ')}${v.law.upstreamTest !== undefined ? `; upstream: ${v.law.upstreamTest}` : ''})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
