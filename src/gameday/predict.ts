/**
 * The predicted timeline of a game day: for every fault step, what the documentation says
 * happens and when, relative to that fault's injection, from the cluster's own settings
 * (src/cluster/cluster-timing.ts) through the expectation formulas the law tests use
 * (src/laws/expectations). Pure: no new constants, every window names its formula and source.
 */
import type { ClusterTiming } from '../cluster/cluster-timing.ts';
import { kubeletTimingFor } from '../cluster/cluster-timing.ts';
import { documentedDefaults } from '../cluster/defaults.ts';
import { describeSource } from '../cluster/sourced-setting.ts';
import {
  heartbeatToUnknown,
  readyToTaintsRemoved,
  samePass,
  taintToDeletion,
  unknownToNoExecuteTaint,
} from '../laws/expectations/node-loss.ts';
import { firstEviction, pressureCondition } from '../laws/expectations/pressure.ts';
import { faultSteps, type FaultStep, type Scenario } from './scenario.ts';

/** What the run matches an observation against. */
export type EventKey =
  | 'node-unknown'
  | 'endpoints-not-ready'
  | 'noexecute-taint'
  | 'pods-marked-for-deletion'
  | 'replacement-ready'
  | 'node-ready-again'
  | 'taints-removed'
  | 'pod-deleted'
  | 'memory-pressure'
  | 'first-eviction';

export interface PredictedEvent {
  readonly key: EventKey;
  /** The fault step this event follows ("steps[1].fault"), and its node when it has one. */
  readonly step: string;
  readonly node: string | undefined;
  readonly what: string;
  /** Offset from the fault's injection; maxMs undefined: the documentation gives no bound. */
  readonly nominalMs: number;
  readonly minMs: number;
  readonly maxMs: number | undefined;
  readonly formula: string;
  readonly source: string;
  /** Laws whose statement this event is. */
  readonly laws: readonly string[];
}

export interface FaultPlan {
  readonly step: FaultStep;
  /** Undefined when this podlaw has the kind; else why the run will refuse it. */
  readonly unavailable: string | undefined;
  readonly events: readonly PredictedEvent[];
  /** Predicted outcomes the fault's duration cuts off ("recovered before the toleration"). */
  readonly notReached: readonly string[];
}

export interface GameDayPlan {
  readonly faults: readonly FaultPlan[];
  readonly touched: readonly string[];
}

export const nodeLossKinds: readonly string[] = ['node-pause', 'node-stop', 'kubelet-stop', 'node-partition'];

/**
 * A node-loss fault: the last heartbeat is at most one Lease renewal before the injection,
 * so Unknown comes [grace − renewal, grace + 2 × period] after it (heartbeatToUnknown from
 * the last renewTime). `zoneGrants` holds the zone's last NoExecute grant for parallel losses.
 */
function nodeLossEvents(step: FaultStep, timing: ClusterTiming, lastZoneGrantMs: number | undefined): PredictedEvent[] {
  const node = step.target.node ?? '';
  const renewal = documentedDefaults(timing.version).nodeLeaseRenewIntervalMs;
  const toUnknown = heartbeatToUnknown(timing);
  const unknown = {
    nominalMs: toUnknown.nominalMs,
    minMs: Math.max(0, toUnknown.minMs - renewal.value),
    maxMs: toUnknown.maxMs,
  };
  const base = { step: step.at, node };
  const events: PredictedEvent[] = [
    {
      ...base,
      key: 'node-unknown',
      what: `node ${node} Ready=Unknown`,
      ...unknown,
      formula: `${toUnknown.formula}; from the last heartbeat, up to one Lease renewal (${renewal.value / 1000} s) before the fault`,
      source: `${toUnknown.source}; ${renewal.reference}`,
      laws: ['NOD-1'],
    },
  ];
  const pass = samePass('pods on the node Ready=False, endpoints not ready', 'MarkPodsNotReady');
  events.push({
    ...base,
    key: 'endpoints-not-ready',
    what: `pods on ${node} Ready=False, their endpoints not ready`,
    ...unknown,
    formula: `${pass.formula}, then the EndpointSlice controller's sync`,
    source: pass.source,
    laws: ['NOD-4'],
  });
  const taint = unknownToNoExecuteTaint(timing, unknown.nominalMs, lastZoneGrantMs);
  events.push({
    ...base,
    key: 'noexecute-taint',
    what: `node ${node} tainted unreachable:NoExecute`,
    nominalMs: unknown.nominalMs + taint.nominalMs,
    minMs: unknown.minMs + taint.minMs,
    maxMs: unknown.maxMs + taint.maxMs,
    formula: taint.formula,
    source: taint.source,
    laws: ['NOD-2'],
  });
  const toleration = timing.defaultUnreachableTolerationSeconds;
  const deletion = taintToDeletion(
    toleration.value,
    `${describeSource(toleration)}, added by the DefaultTolerationSeconds admission plugin to pods that set none`,
  );
  const deleteAt = {
    nominalMs: unknown.nominalMs + taint.nominalMs + deletion.nominalMs,
    minMs: unknown.minMs + taint.minMs + deletion.minMs,
    maxMs: unknown.maxMs + taint.maxMs + deletion.maxMs,
  };
  events.push({
    ...base,
    key: 'pods-marked-for-deletion',
    what: `pods on ${node} marked for deletion (DeletionByTaintManager)`,
    ...deleteAt,
    formula: deletion.formula,
    source: deletion.source,
    laws: ['NOD-3', 'NOD-4'],
  });
  events.push({
    ...base,
    key: 'replacement-ready',
    what: 'Deployment replacements Ready on another node',
    nominalMs: deleteAt.nominalMs,
    minMs: deleteAt.minMs,
    maxMs: undefined,
    formula: 'the ReplicaSet replaces a pod once it has a deletionTimestamp; scheduling, start and readiness have no documented bound',
    source: 'ReplicaSet controller (pkg/controller/replicaset: terminating pods are not active)',
    laws: ['NOD-6'],
  });
  if (step.durationSeconds !== undefined) {
    const back = step.durationSeconds * 1000;
    const statusUpdate = kubeletTimingFor(timing, node).nodeStatusUpdateFrequencyMs;
    events.push({
      ...base,
      key: 'node-ready-again',
      what: `fault recovered, node ${node} Ready=True`,
      nominalMs: back,
      minMs: back,
      maxMs: back + statusUpdate.value,
      formula: `the fault's duration ${step.durationSeconds} s + up to nodeStatusUpdateFrequency ${statusUpdate.value / 1000} s`,
      source: describeSource(statusUpdate),
      laws: ['NOD-9'],
    });
    const removed = readyToTaintsRemoved(timing);
    events.push({
      ...base,
      key: 'taints-removed',
      what: `unreachable taints removed from ${node}`,
      nominalMs: back,
      minMs: back,
      maxMs: back + statusUpdate.value + removed.maxMs,
      formula: `node Ready again + ${removed.formula}`,
      source: removed.source,
      laws: ['NOD-9'],
    });
  }
  return events;
}

function podDeleteEvents(step: FaultStep, timing: ClusterTiming): PredictedEvent[] {
  const grace = timing.terminationGracePeriodSeconds;
  const base = { step: step.at, node: undefined };
  return [
    {
      ...base,
      key: 'pod-deleted',
      what: `${step.mode === 'all' ? 'all' : 'one'} pod(s) ${step.target.selector ?? ''} marked for deletion, endpoint terminating`,
      nominalMs: 0,
      minMs: 0,
      maxMs: 0,
      formula: 'the DELETE sets deletionTimestamp; the EndpointSlice controller marks the endpoint terminating',
      source: `API server; pod grace ${describeSource(grace)} unless the pod sets its own`,
      laws: ['TRM-1', 'TRM-3'],
    },
    {
      ...base,
      key: 'replacement-ready',
      what: 'replacement Ready',
      nominalMs: 0,
      minMs: 0,
      maxMs: undefined,
      formula: 'the ReplicaSet creates it at once; scheduling, start and readiness have no documented bound',
      source: 'ReplicaSet controller',
      laws: [],
    },
  ];
}

function memoryPressureEvents(step: FaultStep, timing: ClusterTiming): PredictedEvent[] {
  const node = step.target.node ?? '';
  const condition = pressureCondition(kubeletTimingFor(timing, node));
  const eviction = firstEviction();
  const base = { step: step.at, node };
  return [
    { ...base, ...condition, key: 'memory-pressure', what: `node ${node} MemoryPressure=True`, laws: ['NPE-2'] },
    { ...base, ...eviction, key: 'first-eviction', what: `first pod evicted from ${node}`, laws: ['NPE-3'] },
  ];
}

/**
 * The plan. `availableKinds` are the fault kinds this podlaw can inject; a step of another
 * kind is planned as unavailable (the run refuses it before touching anything).
 */
export function predictGameDay(scenario: Scenario, timing: ClusterTiming, availableKinds: readonly string[]): GameDayPlan {
  let zoneGrant: number | undefined;
  const faults = faultSteps(scenario.steps).map((step): FaultPlan => {
    if (!availableKinds.includes(step.faultKind)) {
      return {
        step,
        unavailable: `fault kind "${step.faultKind}" is not available in this podlaw (available: ${availableKinds.join(', ')}); the run refuses it`,
        events: [],
        notReached: [],
      };
    }
    let events: PredictedEvent[] = [];
    if (nodeLossKinds.includes(step.faultKind)) {
      events = nodeLossEvents(step, timing, zoneGrant);
      // Parallel node losses share the zone's token bucket (kind nodes carry no zone label: one zone).
      const taint = events.find((e) => e.key === 'noexecute-taint');
      if (taint !== undefined) zoneGrant = taint.nominalMs;
    } else if (step.faultKind === 'pod-delete') events = podDeleteEvents(step, timing);
    else if (step.faultKind === 'memory-pressure') events = memoryPressureEvents(step, timing);
    const heldMs = step.durationSeconds === undefined ? undefined : step.durationSeconds * 1000;
    const recovery: readonly EventKey[] = ['node-ready-again', 'taints-removed'];
    const cut = heldMs === undefined ? [] : events.filter((e) => !recovery.includes(e.key) && e.minMs > heldMs);
    return {
      step,
      unavailable: undefined,
      events: events.filter((e) => !cut.includes(e)),
      notReached: cut.map((e) => `${e.what}: not reached, the fault is recovered at t+${heldMs! / 1000} s, before t+${e.minMs / 1000} s`),
    };
  });
  const nodes = [...new Set(faultSteps(scenario.steps).flatMap((s) => (s.target.node === undefined ? [] : [s.target.node])))];
  const t = scenario.target;
  const touched = [
    ...new Set([
      t.namespace === undefined
        ? 'a new namespace podlaw-<run>-gameday-… owned by this run (owner Lease; collected if the run dies)'
        : `namespace ${t.namespace} (yours: podlaw deletes nothing there)`,
      ...(t.fixture === undefined ? [] : [`fixture ${t.fixture} applied in it`]),
      ...nodes.map((n) => `node ${n}`),
      ...faultSteps(scenario.steps)
        .filter((s) => s.target.selector !== undefined)
        .map((s) => `pods ${s.target.selector} (${s.mode})`),
    ]),
  ];
  return { faults, touched };
}

function secondsText(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

/** "t+30 s (≤ 40 s)" or "t+≥60 s (no documented bound)". */
export function windowText(e: Pick<PredictedEvent, 'nominalMs' | 'minMs' | 'maxMs'>): string {
  if (e.maxMs === undefined) return `t+≥${secondsText(e.minMs)} (no documented bound)`;
  if (e.minMs === e.maxMs) return `t+${secondsText(e.nominalMs)}`;
  return `t+${secondsText(e.nominalMs)} (${secondsText(e.minMs)}–${secondsText(e.maxMs)})`;
}

/** The plan as the terminal shows it. */
export function planLines(scenario: Scenario, plan: GameDayPlan): string[] {
  const lines = [`game day ${scenario.name}${scenario.description === '' ? '' : `: ${scenario.description}`}`, ''];
  lines.push('will touch:');
  for (const t of plan.touched) lines.push(`  - ${t}`);
  lines.push('', 'steps:');
  const describeSteps = (steps: Scenario['steps'], indent: string): void => {
    for (const s of steps) {
      if (s.kind === 'load')
        lines.push(`${indent}${s.at}: k6 ${s.ratePerSecond}/s for ${s.durationSeconds} s → Service ${scenario.target.service}`);
      if (s.kind === 'wait') lines.push(`${indent}${s.at}: wait for ${s.condition} ${s.node ?? s.atLeast ?? ''} (≤ ${s.timeoutSeconds} s)`);
      if (s.kind === 'fault') {
        const target = s.target.node ?? `${s.mode} of ${s.target.selector ?? ''}`;
        lines.push(`${indent}${s.at}: ${s.faultKind} ${target}${s.durationSeconds === undefined ? '' : ` held ${s.durationSeconds} s`}`);
      }
      if (s.kind === 'parallel') {
        lines.push(`${indent}${s.at}: in parallel:`);
        describeSteps(s.steps, `${indent}  `);
      }
    }
  };
  describeSteps(scenario.steps, '  ');
  for (const f of plan.faults) {
    lines.push(
      '',
      `predicted after ${f.step.at} (${f.step.faultKind} ${f.step.target.node ?? f.step.target.selector ?? ''}), t = injection:`,
    );
    if (f.unavailable !== undefined) lines.push(`  NOT AVAILABLE: ${f.unavailable}`);
    for (const e of f.events) lines.push(`  ${windowText(e).padEnd(28)} ${e.what}`, `  ${''.padEnd(28)} ${e.formula}; ${e.source}`);
    for (const n of f.notReached) lines.push(`  ${n}`);
  }
  if (scenario.guards.length > 0) {
    lines.push('', 'guards:');
    for (const g of scenario.guards)
      lines.push(`  abort and recover everything if ready endpoints of ${g.service} < ${g.readyEndpointsBelow}`);
  }
  if (scenario.laws.length > 0) lines.push('', `laws watched: ${scenario.laws.join(', ')}`);
  return lines;
}
