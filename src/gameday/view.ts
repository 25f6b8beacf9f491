/**
 * The live view of a game day, one frame per snapshot: elapsed time, the current step,
 * node conditions, pods per phase, ready endpoints, the load's error rate, and every
 * predicted event next to what was observed. `frame` is pure; log-update redraws it in
 * place (a plain append when stdout is not a terminal).
 */
import { podsByPhase, readyEndpoints, type ObservedEvent, type Snapshot } from './observe.ts';
import { windowText, type PredictedEvent } from './predict.ts';

export interface ViewState {
  readonly scenario: string;
  readonly startedAtMs: number;
  readonly nowMs: number;
  readonly step: string;
  readonly snapshot: Snapshot | undefined;
  readonly load: { readonly requests: number; readonly recentFailed: number; readonly recentTotal: number } | undefined;
  readonly events: readonly {
    readonly event: PredictedEvent;
    readonly injectedAtMs: number | undefined;
    readonly observed: ObservedEvent | undefined;
  }[];
  readonly messages: readonly string[];
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function frame(v: ViewState): string {
  const lines = [
    `podlaw game day ${v.scenario}   elapsed ${secs(v.nowMs - v.startedAtMs)}   (Ctrl-C or podlaw gameday abort: recover all)`,
  ];
  lines.push(`step: ${v.step}`);
  const s = v.snapshot;
  if (s !== undefined) {
    for (const n of s.nodes) {
      const taint = n.unreachableTainted ? ' tainted unreachable' : '';
      const pressure = n.memoryPressure === 'True' ? ' MemoryPressure' : '';
      lines.push(`node ${n.name}: Ready=${n.ready}${pressure}${taint}`);
    }
    const phases = Object.entries(podsByPhase(s))
      .map(([phase, count]) => `${phase} ${count}`)
      .join(', ');
    lines.push(`pods: ${phases || 'none'}   ready endpoints: ${readyEndpoints(s)}/${s.endpoints.length}`);
  }
  if (v.load !== undefined) {
    const rate = v.load.recentTotal === 0 ? 0 : (100 * v.load.recentFailed) / v.load.recentTotal;
    lines.push(`load: ${v.load.requests} requests, error rate last 5 s ${rate.toFixed(1)}% (${v.load.recentFailed}/${v.load.recentTotal})`);
  }
  if (v.events.length > 0) lines.push('', 'event                                              predicted                observed');
  for (const e of v.events) {
    const observed =
      e.observed === undefined || e.injectedAtMs === undefined
        ? e.injectedAtMs === undefined
          ? 'fault not injected yet'
          : '…'
        : `t+${secs(e.observed.atMs - e.injectedAtMs)}`;
    lines.push(`${e.event.what.slice(0, 50).padEnd(50)} ${windowText(e.event).padEnd(24)} ${observed}`);
  }
  if (v.messages.length > 0) lines.push('', ...v.messages.slice(-6));
  return lines.join('\n');
}
