/**
 * reports/index.html: one self-contained page (Chart.js inlined, data inlined, no network
 * needed to open it): the verdict per law with its doc link, an expected-window bar with the
 * measured point for every timing, and per test a timeline chart (fault held, node and pod
 * conditions, events, evictions, observations; the load's error rate and median latency per
 * second when the test ran load). Rendering is pure given the Chart.js bundle's text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { timelineChart, windowBars } from './chart-data.ts';
import type { RunData, TestTimeline } from './run-data.ts';
import type { RunInfo } from './render.ts';
import type { LawVerdict, VerdictCounts } from './verdicts.ts';
import { summaryLine } from './verdicts.ts';

/** Chart.js's browser bundle (UMD, sets window.Chart), without its source-map comment. */
export function chartJsBundle(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const style = `
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
col.id { width: 5.5em; } col.verdict { width: 8em; } col.window { width: 560px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
td.id, td.verdict { white-space: nowrap; }
td.reason ul { margin: 0; padding-left: 1.2em; overflow-wrap: anywhere; }
tr.passed td.verdict { color: #176f2c; } tr.failed td.verdict { color: #b3261e; font-weight: bold; }
tr.not-applicable td.verdict, tr.not-run td.verdict { color: #777; }
td.reason { max-width: 40em; font-size: 12px; color: #555; }
div.window { width: 550px; }
section.test { margin: 1.5em 0; border-top: 2px solid #eee; }
div.timeline { height: 260px; } div.load { height: 200px; }
`;

// Runs in the page: draws the charts from the inlined data with the inlined Chart.js.
const pageScript = `
const data = JSON.parse(document.getElementById('podlaw-data').textContent);
const green = '#176f2c', red = '#b3261e', grey = 'rgba(90,120,200,0.35)';
for (const w of data.windows) {
  new Chart(document.getElementById(w.canvas), {
    data: {
      labels: w.bars.map((b) => b.name),
      datasets: [
        { type: 'bar', label: 'expected window (s)', data: w.bars.map((b) => [b.min, b.max]), backgroundColor: grey },
        { type: 'line', label: 'measured (s)', data: w.bars.map((b) => b.measured), showLine: false, pointRadius: 6,
          pointStyle: 'rectRot', pointBackgroundColor: w.bars.map((b) => (b.ok ? green : red)) },
      ],
    },
    options: { indexAxis: 'y', animation: false, maintainAspectRatio: false,
      scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'seconds' } },
        // Long names keep their tail (the measured step); the tooltip shows the whole name.
        y: { ticks: { callback: function (value) { const l = this.getLabelForValue(value); return l.length > 40 ? '…' + l.slice(-39) : l; } } } } },
  });
}
for (const t of data.timelines) {
  const faultSets = t.chart.faults.map((f) => ({ type: 'line', label: 'fault held: ' + f.label, borderColor: red, borderWidth: 8,
    pointRadius: 0, data: [{ x: f.from, y: 'fault' }, { x: f.to ?? t.chart.endX, y: 'fault' }] }));
  new Chart(document.getElementById(t.canvas), {
    type: 'scatter',
    data: { datasets: [...faultSets, { label: 'timeline', data: t.chart.points, pointRadius: 4, backgroundColor: '#3060c0' }] },
    options: { animation: false, maintainAspectRatio: false,
      scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'seconds since the test started' } },
        y: { type: 'category', labels: t.chart.lanes, offset: true } },
      plugins: { legend: { display: false },
        tooltip: { callbacks: { label: (c) => (c.raw.label ?? c.dataset.label) + ' @ ' + c.raw.x + ' s' } } } },
  });
  if (t.loadCanvas !== null) {
    new Chart(document.getElementById(t.loadCanvas), {
      data: { datasets: [
        { type: 'line', label: 'error rate', yAxisID: 'rate', borderColor: red, pointRadius: 0,
          data: t.chart.load.map((b) => ({ x: b.x, y: b.errorRate })) },
        { type: 'line', label: 'p50 latency (ms)', yAxisID: 'ms', borderColor: '#3060c0', pointRadius: 0,
          data: t.chart.load.map((b) => ({ x: b.x, y: b.p50Ms ?? null })) },
        ...t.chart.faults.map((f) => ({ type: 'line', label: 'fault held', yAxisID: 'rate', borderColor: 'rgba(179,38,30,0.3)',
          borderWidth: 10, pointRadius: 0, data: [{ x: f.from, y: 1 }, { x: f.to ?? t.chart.endX, y: 1 }] })),
      ] },
      options: { animation: false, maintainAspectRatio: false,
        scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'seconds since the test started' } },
          rate: { position: 'left', min: 0, max: 1, title: { display: true, text: 'error rate' } },
          ms: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'ms' } } } },
    });
  }
}
document.body.dataset.chartsDrawn = String(data.windows.length + data.timelines.length);
`;

function lawRow(v: LawVerdict, windowCanvas: string | undefined): string {
  const docs = v.law.docUrls
    .map((url, i) => `<a href="${htmlEscape(url)}">doc${v.law.docUrls.length > 1 ? ` ${i + 1}` : ''}</a>`)
    .join(' ');
  const observations = v.observations
    .map((o) => `<li>${htmlEscape(`${o.name}: ${o.measured} (expected ${o.expected}; ${o.source})${o.ok ? '' : ' ⚠'}`)}</li>`)
    .join('');
  const reason = v.reason !== undefined && v.verdict !== 'passed' ? `<p>${htmlEscape(v.reason)}</p>` : '';
  const bars = windowBars(v.observations).length;
  const window =
    windowCanvas === undefined
      ? ''
      : `<div class="window" style="height: ${60 + 28 * bars}px"><canvas id="${windowCanvas}"></canvas></div>`;
  return [
    `<tr class="law ${v.verdict.replace(/[^a-z]+/g, '-')}" data-law="${v.law.id}">`,
    `<td class="id"><a href="${htmlEscape(v.law.docUrls[0] ?? '')}">${v.law.id}</a></td>`,
    `<td>${htmlEscape(v.law.statement)} ${docs}</td>`,
    `<td class="verdict">${htmlEscape(v.verdict)}</td>`,
    `<td class="reason">${reason}<ul>${observations}</ul></td>`,
    `<td class="window">${window}</td>`,
    '</tr>',
  ].join('');
}

export function renderHtml(run: RunInfo, counts: VerdictCounts, verdicts: readonly LawVerdict[], data: RunData, chartJs: string): string {
  const windows = verdicts.flatMap((v) => {
    const bars = windowBars(v.observations);
    return bars.length === 0 ? [] : [{ law: v.law.id, canvas: `window-${v.law.id}`, bars }];
  });
  // In catalog order, whatever order the tests ended in (the live reporter and `podlaw report` agree).
  const lawOrder = new Map(verdicts.map((v, i) => [v.law.id, i]));
  const rank = (t: TestTimeline): number => Math.min(...t.laws.map((id) => lawOrder.get(id) ?? Infinity));
  const timelines = [...data.timelines]
    .sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title))
    .map((t, i) => ({ t, i, chart: timelineChart(t) }))
    .filter(({ chart }) => chart.points.length > 0 || chart.load !== undefined)
    .map(({ t, i, chart }) => ({
      title: t.title,
      canvas: `timeline-${i}`,
      loadCanvas: chart.load !== undefined && chart.load.length > 0 ? `load-${i}` : null,
      chart,
    }));
  const windowOf = new Map(windows.map((w) => [w.law, w.canvas]));
  const families = [...new Set(verdicts.map((v) => v.law.family))];
  const tables = families.map((family) =>
    [
      `<h2>${htmlEscape(family)}</h2>`,
      '<table class="laws"><colgroup><col class="id"><col><col class="verdict"><col><col class="window"></colgroup>',
      '<thead><tr><th>law</th><th>statement</th><th>verdict</th><th>measured vs expected (source)</th><th>timings: window and measured</th></tr></thead><tbody>',
      ...verdicts.filter((v) => v.law.family === family).map((v) => lawRow(v, windowOf.get(v.law.id))),
      '</tbody></table>',
    ].join('\n'),
  );
  const sections = timelines.map((t) =>
    [
      `<section class="test" data-test="${htmlEscape(t.title)}">`,
      `<h3>${htmlEscape(t.title)} <small>(${htmlEscape(t.chart.laws.join(', '))}; ${htmlEscape(t.chart.status)})</small></h3>`,
      `<div class="timeline"><canvas id="${t.canvas}"></canvas></div>`,
      t.loadCanvas === null ? '' : `<div class="load"><canvas id="${t.loadCanvas}"></canvas></div>`,
      '</section>',
    ].join('\n'),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>podlaw — law verdicts</title>
<style>${style}</style></head>
<body>
<h1>podlaw — law verdicts</h1>
<p>Run ${htmlEscape(run.runId ?? '-')} started ${htmlEscape(run.startedAt)}, ${(run.durationMs / 1000).toFixed(0)} s.</p>
<p id="summary"><strong>${htmlEscape(summaryLine(counts))}</strong></p>
${tables.join('\n')}
<h2>Timelines</h2>
${sections.join('\n')}
<script id="podlaw-data" type="application/json">${scriptJson({ windows, timelines })}</script>
<script>${chartJs}</script>
<script>${pageScript}</script>
</body></html>
`;
}
