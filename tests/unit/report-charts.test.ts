/** The HTML summary's chart data (pure) and the run data read back from a saved Playwright JSON report. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadBins, timelineChart, windowBars } from '../../src/report/chart-data.ts';
import { loadSeriesOf, runDataFromPlaywrightJson, type PlaywrightJson } from '../../src/report/run-data.ts';
import { renderHtml } from '../../src/report/html.ts';
import { countVerdicts, lawVerdicts } from '../../src/report/verdicts.ts';
import { laws } from '../../src/laws/catalog/index.ts';
import { factObservation } from '../../src/timeline/observation.ts';

describe('chart data', () => {
  it('draws a window bar only for timed observations, in seconds', () => {
    const timed = {
      ...factObservation('PRB-3', 'flip', '1–3 s', '2.3 s', 's', true),
      measuredMs: 2300,
      expectedMinMs: 0,
      expectedMaxMs: 4000,
    };
    assert.deepEqual(windowBars([timed, factObservation('PRB-1', 'x', '1', '1', 's')]), [
      { name: 'flip', min: 0, max: 4, measured: 2.3, ok: true },
    ]);
  });
  it('bins load per second: share not answered 2xx/3xx and the median latency of the answered', () => {
    const series = [
      { t: 0.1, s: 200, d: 10 },
      { t: 0.5, s: 0, d: 3000 },
      { t: 0.9, s: 200, d: 30 },
      { t: 1.2, s: 503, d: 5 },
    ];
    assert.deepEqual(loadBins(series, 10), [
      { x: 10, errorRate: 1 / 3, p50Ms: 10 },
      { x: 11, errorRate: 1, p50Ms: undefined },
    ]);
  });
  it('puts entries in lanes and the fault as a span from injection to recovery', () => {
    const chart = timelineChart({
      title: 't',
      laws: ['NOD-1'],
      status: 'passed',
      entries: [
        { at: '2026-01-01T00:00:00.000Z', kind: 'action', action: 'create', description: 'pod web' },
        {
          at: '2026-01-01T00:00:02.000Z',
          kind: 'fault',
          spec: { kind: 'node-pause', target: { node: 'w2' } } as never,
          description: 'pause w2',
          injectedAt: '2026-01-01T00:00:02.000Z',
          injectMs: 10,
          recoveredAt: '2026-01-01T00:00:50.000Z',
        },
        { at: '2026-01-01T00:00:40.000Z', kind: 'transition', resource: 'Node', name: 'w2', change: 'MODIFIED', summary: 'Ready=Unknown' },
        { at: '2026-01-01T00:00:45.000Z', kind: 'event', eventAt: undefined, summary: 'Evicted pod web' },
      ],
      load: undefined,
    });
    assert.deepEqual(chart.lanes, ['fault', 'node', 'eviction', 'action']);
    assert.deepEqual(chart.faults, [{ from: 2, to: 50, label: 'pause w2' }]);
    assert.equal(chart.endX, 50);
  });
  it('reads the series and faults of load.json and ignores what is not', () => {
    assert.equal(loadSeriesOf({ series: [] }), undefined);
    assert.deepEqual(
      loadSeriesOf({ startedAt: 'x', series: [{ t: 1, s: 200, d: 2, p: 'pod' }, { t: 'bad' }], faults: [{ t: 3, what: 'kill' }] }),
      {
        startedAt: 'x',
        series: [{ t: 1, s: 200, d: 2 }],
        faults: [{ t: 3, what: 'kill' }],
      },
    );
  });
});

describe('run data from a saved Playwright JSON report', () => {
  const body = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
  const report: PlaywrightJson = {
    stats: { startTime: '2026-01-01T00:00:00.000Z', duration: 5000, unexpected: 0 },
    suites: [
      {
        suites: [
          {
            specs: [
              {
                title: 'a law test',
                file: 'probes/x.spec.ts',
                tags: ['@PRB-2'],
                tests: [
                  {
                    annotations: [],
                    results: [
                      {
                        status: 'passed',
                        duration: 1200,
                        attachments: [
                          { name: 'podlaw-observations', body: body([factObservation('PRB-2', 'n', '1', '1', 's')]) },
                          {
                            name: 'podlaw-timeline',
                            body: body({ entries: [{ at: '2026-01-01T00:00:01.000Z', kind: 'action', action: 'a', description: 'd' }] }),
                          },
                          { name: 'load.json', path: '/saved/load.json' },
                        ],
                      },
                    ],
                  },
                ],
              },
              { title: 'not a law test', file: 'smoke/s.spec.ts', tags: [], tests: [{ results: [{ status: 'passed', duration: 1 }] }] },
            ],
          },
        ],
      },
    ],
  };
  const load = { startedAt: '2026-01-01T00:00:01.000Z', series: [{ t: 0.2, s: 200, d: 4 }], faults: [] };
  const data = runDataFromPlaywrightJson(report, (path) => (path === '/saved/load.json' ? JSON.stringify(load) : undefined));
  it('keeps law tests only, with observations, timeline and load series', () => {
    assert.equal(data.results.length, 1);
    assert.deepEqual(data.results[0]?.laws, ['PRB-2']);
    assert.equal(data.results[0]?.observations.length, 1);
    assert.equal(data.timelines[0]?.entries.length, 1);
    assert.deepEqual(data.timelines[0]?.load?.series, [{ t: 0.2, s: 200, d: 4 }]);
    assert.equal(data.run.playwrightStatus, 'passed');
  });
  it('orders the timelines by the catalog, not by when the tests ended (live reporter and podlaw report agree)', () => {
    const second = { ...data.timelines[0]!, title: 'an NPE test', laws: ['NPE-1' as const] };
    const verdicts = lawVerdicts(laws, data.results);
    const render = (timelines: typeof data.timelines): string =>
      renderHtml(data.run, countVerdicts(verdicts), verdicts, { ...data, timelines }, '');
    assert.equal(render([data.timelines[0]!, second]), render([second, data.timelines[0]!]));
  });
  it('renders one row per law and one timeline per law test in the HTML, with the chart library inlined', () => {
    const verdicts = lawVerdicts(laws, data.results);
    const html = renderHtml(data.run, countVerdicts(verdicts), verdicts, data, '/* chart.js */');
    assert.equal(html.match(/<tr class="law /g)?.length, laws.length);
    assert.equal(html.match(/<canvas id="timeline-/g)?.length, 1);
    assert.equal(html.match(/<canvas id="load-/g)?.length, 1);
    assert.ok(html.includes('<script>/* chart.js */</script>'));
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
  });
});
