/**
 * What the HTML summary's charts draw, computed here (pure, unit-tested) so the page's
 * script only hands it to Chart.js: the expected window and measured point of every
 * timed observation, and per test a timeline in lanes (fault held, node and pod
 * conditions, events, evictions, observations) with the load's error rate and latency
 * per second when the test ran load.
 */
import type { Observation } from '../timeline/observation.ts';
import type { TimelineEntry } from '../timeline/timeline.ts';
import type { LoadPoint, TestTimeline } from './run-data.ts';

export interface WindowBar {
  readonly name: string;
  /** Seconds. */
  readonly min: number;
  readonly max: number;
  readonly measured: number;
  readonly ok: boolean;
}

/** Every observation with a measured duration and an expected window, in seconds (a duration is never below 0). */
export function windowBars(observations: readonly Observation[]): WindowBar[] {
  return observations.flatMap((o) =>
    o.measuredMs !== undefined && o.expectedMinMs !== undefined && o.expectedMaxMs !== undefined
      ? [{ name: o.name, min: Math.max(0, o.expectedMinMs) / 1000, max: o.expectedMaxMs / 1000, measured: o.measuredMs / 1000, ok: o.ok }]
      : [],
  );
}

export const lanes = ['fault', 'node', 'pod', 'eviction', 'event', 'action', 'observation', 'other'] as const;
export type Lane = (typeof lanes)[number];

export interface LanePoint {
  readonly x: number;
  readonly y: Lane;
  readonly label: string;
}

export interface FaultSpan {
  readonly from: number;
  /** Undefined when the timeline ended with the fault still held (not recovered). */
  readonly to: number | undefined;
  readonly label: string;
}

export interface LoadBin {
  /** Second since the test's timeline started. */
  readonly x: number;
  readonly errorRate: number;
  readonly p50Ms: number | undefined;
}

export interface TimelineChart {
  readonly title: string;
  readonly laws: readonly string[];
  readonly status: string;
  readonly lanes: readonly Lane[];
  readonly points: readonly LanePoint[];
  readonly faults: readonly FaultSpan[];
  readonly load: readonly LoadBin[] | undefined;
  readonly endX: number;
}

function laneOf(entry: TimelineEntry): Lane {
  switch (entry.kind) {
    case 'fault':
      return 'fault';
    case 'observation':
      return 'observation';
    case 'action':
      return 'action';
    case 'event':
      return /evict/i.test(entry.summary) ? 'eviction' : 'event';
    case 'transition': {
      const resource = entry.resource.toLowerCase();
      if (resource.startsWith('node')) return 'node';
      if (resource.startsWith('pod')) return /evict/i.test(entry.summary) ? 'eviction' : 'pod';
      return 'other';
    }
  }
}

function labelOf(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'fault':
      return `injected: ${entry.description}`;
    case 'observation':
      return `${entry.observation.name}: ${entry.observation.measured} (expected ${entry.observation.expected})`;
    case 'action':
      return `${entry.action}: ${entry.description}`;
    case 'event':
      return entry.summary;
    case 'transition':
      return `${entry.resource}/${entry.name} ${entry.change}: ${entry.summary}`;
  }
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Requests per whole second of the load: share not answered 2xx/3xx, median latency of the answered ones. */
export function loadBins(series: readonly LoadPoint[], offsetSeconds: number): LoadBin[] {
  const bySecond = new Map<number, LoadPoint[]>();
  for (const p of series) {
    const second = Math.floor(p.t);
    bySecond.set(second, [...(bySecond.get(second) ?? []), p]);
  }
  return [...bySecond.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, points]) => {
      const ok = points.filter((p) => p.s >= 200 && p.s < 400);
      return {
        x: second + offsetSeconds,
        errorRate: (points.length - ok.length) / points.length,
        p50Ms: median(ok.map((p) => p.d)),
      };
    });
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;

export function timelineChart(timeline: TestTimeline): TimelineChart {
  const origin = Date.parse(timeline.entries[0]?.at ?? timeline.load?.startedAt ?? '');
  const since = (at: string): number => round((Date.parse(at) - origin) / 1000);
  const points = timeline.entries.map((e) => ({ x: since(e.at), y: laneOf(e), label: labelOf(e) }));
  const faults = timeline.entries.flatMap((e) =>
    e.kind === 'fault'
      ? [{ from: since(e.injectedAt), to: e.recoveredAt === undefined ? undefined : since(e.recoveredAt), label: e.description }]
      : [],
  );
  const load = timeline.load === undefined ? undefined : loadBins(timeline.load.series, since(timeline.load.startedAt));
  const used = new Set<Lane>(points.map((p) => p.y));
  if (faults.length > 0) used.add('fault');
  const xs = [
    ...points.map((p) => p.x),
    ...faults.flatMap((f) => (f.to === undefined ? [f.from] : [f.from, f.to])),
    ...(load ?? []).map((b) => b.x),
  ];
  return {
    title: timeline.title,
    laws: timeline.laws,
    status: timeline.status,
    lanes: lanes.filter((lane) => used.has(lane)),
    points,
    faults,
    load,
    endX: xs.length === 0 ? 0 : Math.max(...xs),
  };
}
