import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deriveClusterTiming } from '../../src/cluster/cluster-timing.ts';
import { isLawId } from '../../src/laws/catalog/index.ts';
import { gameDayFaultKinds } from '../../src/gameday/faults.ts';
import { predictGameDay, windowText } from '../../src/gameday/predict.ts';
import { faultSteps, parseScenario, ScenarioError } from '../../src/gameday/scenario.ts';
import { repoRoot } from '../../src/paths.ts';
import { deletionRequestedMs, observeEvent, type NodeView, type Snapshot } from '../../src/gameday/observe.ts';
import { anchoredToRecovery, eventResult } from '../../src/gameday/report.ts';

const v136 = { major: 1, minor: 36, gitVersion: 'v1.36.3' };
const timing = deriveClusterTiming({
  version: v136,
  controllerManager: { readable: true, component: 'kube-controller-manager', flags: new Map([['node-monitor-grace-period', '30s']]) },
  apiServer: { readable: true, component: 'kube-apiserver', flags: new Map([['default-unreachable-toleration-seconds', '30']]) },
  kubelets: [],
});

const base = `name: t
target:
  service: web
steps:
`;

function errorOf(text: string): string {
  try {
    parseScenario(text, 'f.yaml', isLawId);
  } catch (error) {
    assert.ok(error instanceof ScenarioError);
    return error.message;
  }
  assert.fail('no error');
}

describe('game-day scenario files', () => {
  it('every example parses', () => {
    const dir = join(repoRoot, 'examples');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const s = parseScenario(readFileSync(join(dir, file), 'utf8'), file, isLawId);
      assert.ok(faultSteps(s.steps).length > 0, file);
    }
  });
  it('a bad value names the field and its line', () => {
    const text = `${base}  - load: { rate: 20, duration: 60 }\n  - fault:\n      kind: node-pause\n      target: { node: n }\n      duration: 5000\n`;
    assert.equal(errorOf(text), 'f.yaml:9: steps[1].fault.duration: must be <= 900');
  });
  it('an unknown field is named at its own line', () => {
    assert.equal(errorOf(`${base}  - fualt: { kind: node-pause }\n`), 'f.yaml:5: steps[0].fualt: unknown field');
  });
  it('a missing required field is named', () => {
    assert.equal(errorOf('name: t\nsteps:\n  - wait: { for: node-ready, node: n, timeout: 5 }\n'), 'f.yaml:1: target: is required');
  });
  it('an enum error lists the allowed values', () => {
    assert.match(
      errorOf(`${base}  - wait: { for: node-gone, timeout: 5 }\n`),
      /^f\.yaml:5: steps\[0\]\.wait\.for: must be one of node-ready/,
    );
  });
  it('a law that is not in the catalog and a wait without its node are refused with their line', () => {
    assert.equal(
      errorOf(`${base}  - fault: { kind: node-pause, target: { node: n } }\nwatch:\n  laws: [NOD-1, NOD-99]\n`),
      'f.yaml:7: watch.laws[1]: no law NOD-99 in the catalog (podlaw list)',
    );
    assert.equal(errorOf(`${base}  - wait: { for: node-ready, timeout: 5 }\n`), 'f.yaml:5: steps[0].wait.node: is required for node-ready');
  });
  it('invalid YAML names its line', () => {
    assert.match(errorOf(`${base}  - load: { rate: 20\n`), /^f\.yaml:\d+: invalid YAML/);
  });
  it('parallel steps nest', () => {
    const s = parseScenario(
      `${base}  - parallel:\n      - fault: { kind: node-pause, target: { node: a }, duration: 10 }\n      - fault: { kind: node-pause, target: { node: b } }\n`,
      'f.yaml',
      isLawId,
    );
    assert.deepEqual(
      faultSteps(s.steps).map((f) => [f.at, f.target.node, f.durationSeconds]),
      [
        ['steps[0].parallel[0].fault', 'a', 10],
        ['steps[0].parallel[1].fault', 'b', undefined],
      ],
    );
  });
});

describe('game-day predicted timeline', () => {
  const scenario = (steps: string) => parseScenario(`${base}${steps}`, 'f.yaml', isLawId);
  it('node loss: Unknown after the grace period, deletion after the toleration, both from the cluster flags', () => {
    const plan = predictGameDay(
      scenario('  - fault: { kind: node-pause, target: { node: w3 }, duration: 90 }\n'),
      timing,
      gameDayFaultKinds,
    );
    const events = new Map(plan.faults[0]?.events.map((e) => [e.key, e]));
    const unknown = events.get('node-unknown');
    assert.equal(unknown?.nominalMs, 30_000);
    assert.equal(unknown?.minMs, 20_000); // the last Lease renewal may be 10 s before the fault
    assert.equal(unknown?.maxMs, 40_000);
    assert.match(unknown?.source ?? '', /node-monitor-grace-period=30s/);
    const deletion = events.get('pods-marked-for-deletion');
    assert.equal(deletion?.nominalMs, 60_000);
    assert.match(deletion?.source ?? '', /default-unreachable-toleration-seconds=30/);
    assert.equal(events.get('node-ready-again')?.minMs, 90_000);
    assert.equal(windowText(unknown!), 't+30 s (20 s–40 s)');
  });
  it('a fault recovered before the toleration says the deletion is not reached', () => {
    const plan = predictGameDay(
      scenario('  - fault: { kind: node-pause, target: { node: w3 }, duration: 45 }\n'),
      timing,
      gameDayFaultKinds,
    );
    const f = plan.faults[0];
    assert.ok(f?.events.every((e) => e.key !== 'pods-marked-for-deletion'));
    assert.ok(f?.notReached.some((n) => /marked for deletion .*: not reached/.test(n)));
  });
  it('two nodes lost at once: the second NoExecute taint waits one token of --node-eviction-rate', () => {
    const plan = predictGameDay(
      scenario(
        '  - parallel:\n      - fault: { kind: node-pause, target: { node: a } }\n      - fault: { kind: node-pause, target: { node: b } }\n',
      ),
      timing,
      gameDayFaultKinds,
    );
    const taints = plan.faults.map((f) => f.events.find((e) => e.key === 'noexecute-taint')?.nominalMs);
    assert.deepEqual(taints, [30_000, 40_000]); // 0.1 nodes/s, burst 1
  });
  it('an unknown fault kind is planned as unavailable, not a crash', () => {
    const plan = predictGameDay(scenario('  - fault: { kind: cpu-hog, target: { node: a } }\n'), timing, gameDayFaultKinds);
    assert.match(plan.faults[0]?.unavailable ?? '', /fault kind "cpu-hog" is not available/);
  });
});

describe('game-day observations and verdicts', () => {
  const t0 = Date.parse('2026-11-23T05:00:00Z');
  const event = predictGameDay(
    parseScenario(`${base}  - fault: { kind: node-pause, target: { node: w3 }, duration: 90 }\n`, 'f.yaml', isLawId),
    timing,
    gameDayFaultKinds,
  ).faults[0]!.events;
  const node = (ready: string, sinceMs: number, tainted = false): NodeView => ({
    name: 'w3',
    ready,
    readySinceMs: sinceMs,
    memoryPressure: 'False',
    memoryPressureSinceMs: undefined,
    noExecuteSinceMs: tainted ? sinceMs : undefined,
    unreachableTainted: tainted,
  });
  const snap = (atMs: number, n: NodeView, endpointReady: boolean): Snapshot => ({
    atMs,
    nodes: [n],
    pods: [],
    endpoints: [{ pod: 'web-lost', node: 'w3', ready: endpointReady }],
  });
  const snapshots = [
    snap(t0 + 1_000, node('True', t0 - 600_000), true),
    snap(t0 + 34_000, node('Unknown', t0 + 32_000, true), true),
    snap(t0 + 35_000, node('Unknown', t0 + 32_000, true), false),
  ];
  const times = { step: 'steps[0].fault', injectedAtMs: t0, recoveredAtMs: undefined };
  it('Unknown is read from the condition’s lastTransitionTime, not from the sample', () => {
    const unknown = observeEvent(
      event.find((e) => e.key === 'node-unknown')!,
      times,
      snapshots,
    );
    assert.deepEqual([unknown?.atMs, unknown?.by], [t0 + 32_000, 'timestamp']);
  });
  it('an endpoint turning not ready is the first sample showing it', () => {
    const e = observeEvent(
      event.find((x) => x.key === 'endpoints-not-ready')!,
      times,
      snapshots,
    );
    assert.deepEqual([e?.atMs, e?.by], [t0 + 35_000, 'sample']);
  });
  it('verdicts: inside the documented window plus the named one-sided tolerance, else outside; missing is not observed', () => {
    const unknown = event.find((e) => e.key === 'node-unknown')!;
    assert.equal(eventResult(unknown, t0, { atMs: t0 + 32_000, by: 'timestamp', detail: '' }).verdict, 'as predicted');
    assert.equal(eventResult(unknown, t0, { atMs: t0 + 41_000, by: 'timestamp', detail: '' }).verdict, 'as predicted');
    assert.equal(eventResult(unknown, t0, { atMs: t0 + 41_500, by: 'timestamp', detail: '' }).verdict, 'outside the window');
    assert.equal(eventResult(unknown, t0, undefined).verdict, 'not observed');
    assert.equal(eventResult(unknown, undefined, undefined).verdict, 'not reached');
  });
});

describe('a pod’s deletion moment', () => {
  it('is deletionTimestamp less its grace period (the API sets request time + grace)', () => {
    const pod = { metadata: { deletionTimestamp: new Date('2026-11-23T05:01:20Z'), deletionGracePeriodSeconds: 30 } };
    assert.equal(deletionRequestedMs(pod), Date.parse('2026-11-23T05:00:50Z'));
    assert.equal(deletionRequestedMs({ metadata: {} }), undefined);
  });
});

describe('recovery-anchored predictions', () => {
  it('node Ready again moves with the actual recovery (an abort at t+42 s), the other events do not', () => {
    const events = predictGameDay(
      parseScenario(`${base}  - fault: { kind: node-pause, target: { node: w3 }, duration: 90 }\n`, 'f.yaml', isLawId),
      timing,
      gameDayFaultKinds,
    ).faults[0]!.events;
    const back = anchoredToRecovery(
      events.find((e) => e.key === 'node-ready-again')!,
      42_000,
    );
    assert.deepEqual([back.minMs, back.maxMs], [42_000, 52_000]);
    const unknown = events.find((e) => e.key === 'node-unknown')!;
    assert.equal(anchoredToRecovery(unknown, 42_000), unknown);
    assert.equal(
      eventResult(
        events.find((e) => e.key === 'pods-marked-for-deletion')!,
        0,
        undefined,
        true,
      ).verdict,
      'cut short by the abort',
    );
  });
});

describe('a fault recovered before the node went Unknown', () => {
  it('has no "Ready again" and no "taints removed": the node never left', () => {
    const t0 = Date.parse('2026-11-23T05:00:00Z');
    const events = predictGameDay(
      parseScenario(`${base}  - fault: { kind: node-pause, target: { node: w3 }, duration: 90 }\n`, 'f.yaml', isLawId),
      timing,
      gameDayFaultKinds,
    ).faults[0]!.events;
    const ready: NodeView = {
      name: 'w3',
      ready: 'True',
      readySinceMs: t0 - 600_000,
      memoryPressure: undefined,
      memoryPressureSinceMs: undefined,
      noExecuteSinceMs: undefined,
      unreachableTainted: false,
    };
    const snapshots: Snapshot[] = [{ atMs: t0 + 30_000, nodes: [ready], pods: [], endpoints: [] }];
    const times = { step: 'steps[0].fault', injectedAtMs: t0, recoveredAtMs: t0 + 28_000 };
    assert.equal(
      observeEvent(
        events.find((e) => e.key === 'node-ready-again')!,
        times,
        snapshots,
      ),
      undefined,
    );
    assert.equal(
      observeEvent(
        events.find((e) => e.key === 'taints-removed')!,
        times,
        snapshots,
      ),
      undefined,
    );
  });
});
