/**
 * The critical-path floor of a run: the least wall time a scheduler could reach if the
 * cluster did everything at the documented lower bound of its waits.
 *
 * - A test cannot end before the longest chain of its documented waits: a timed
 *   observation measured an interval (it ended when recorded, and began its measured
 *   duration earlier); an interval that began after another one ended follows it, so
 *   their documented minima add up (node Unknown after the grace period, then evictions
 *   after the toleration); intervals that overlap do not.
 * - Tests that fault the same node cannot overlap: their floors add up on that node.
 *   A test faults the nodes its timeline's faults target (a loss worker's project runs
 *   only tests that lose its node, so its tests add up on that node).
 * - Tests that fault no node overlap freely: the longest of them bounds the phase.
 * - Playwright runs projects in phases, one after another; the floors of phases add up.
 */

/** One timed observation: when its measured interval began and ended, and its documented lower bound. */
export interface TimedWait {
  readonly startMs: number;
  readonly endMs: number;
  readonly documentedMinMs: number;
}

export interface TestRecord {
  readonly title: string;
  readonly project: string;
  readonly durationMs: number;
  /** Epoch ms the test started, when the report gives it. */
  readonly startedAtMs?: number | undefined;
  readonly waits: readonly TimedWait[];
  /** The nodes the test's faults targeted. */
  readonly faultedNodes: readonly string[];
}

export interface PhaseFloor {
  readonly projects: readonly string[];
  readonly floorMs: number;
  /** The node (or "pod-level") whose serialized waits set the phase's floor. */
  readonly boundBy: string;
  readonly perNodeMs: Readonly<Record<string, number>>;
}

/** The least time a test can take: its longest chain of documented waits. */
export function testFloorMs(test: Pick<TestRecord, 'waits'>): number {
  return floorChain(test).floorMs;
}

/**
 * The chain of documented waits that sets a test's floor: that floor, and the wall time the chain's waits took from the
 * first one's start to the last one's end. The span beyond the floor is the cluster's timing (a controller's period, a
 * heartbeat's age); the test's duration beyond the span is its own (setup, the fault, the recovery).
 */
export function floorChain(test: Pick<TestRecord, 'waits'>): { floorMs: number; spanMs: number } {
  const byEnd = [...test.waits].sort((a, b) => a.endMs - b.endMs);
  const floorEnd: number[] = [];
  const chainStart: number[] = [];
  let top: number | undefined;
  for (const [index, wait] of byEnd.entries()) {
    let before: number | undefined;
    for (let i = 0; i < index; i++) {
      const earlier = byEnd[i];
      if (
        earlier !== undefined &&
        earlier.endMs <= wait.startMs &&
        (before === undefined || (floorEnd[i] ?? 0) > (floorEnd[before] ?? 0))
      ) {
        before = i;
      }
    }
    floorEnd.push((before === undefined ? 0 : (floorEnd[before] ?? 0)) + Math.max(0, wait.documentedMinMs));
    chainStart.push(before === undefined ? wait.startMs : (chainStart[before] ?? wait.startMs));
    if (top === undefined || (floorEnd[index] ?? 0) > (floorEnd[top] ?? 0)) top = index;
  }
  if (top === undefined) return { floorMs: 0, spanMs: 0 };
  return { floorMs: floorEnd[top] ?? 0, spanMs: (byEnd[top]?.endMs ?? 0) - (chainStart[top] ?? 0) };
}

/** The floor of one phase: per node the sum of its tests' floors; pod-level tests overlap. */
export function phaseFloor(projects: readonly string[], tests: readonly TestRecord[]): PhaseFloor {
  const perNodeMs: Record<string, number> = {};
  let podLevelMs = 0;
  for (const test of tests.filter((t) => projects.includes(t.project))) {
    const floor = testFloorMs(test);
    const nodes = new Set(test.faultedNodes);
    if (nodes.size === 0) podLevelMs = Math.max(podLevelMs, floor);
    for (const node of nodes) perNodeMs[node] = (perNodeMs[node] ?? 0) + floor;
  }
  let floorMs = podLevelMs;
  let boundBy = 'pod-level';
  for (const [node, ms] of Object.entries(perNodeMs)) {
    if (ms > floorMs) [floorMs, boundBy] = [ms, node];
  }
  return { projects, floorMs, boundBy, perNodeMs };
}

/** The floor of a run: its phases' floors added. */
export function runFloorMs(phases: readonly PhaseFloor[]): number {
  return phases.reduce((sum, phase) => sum + phase.floorMs, 0);
}

export interface ProjectDependencies {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** Playwright's phases: each holds the projects whose dependencies all ran in earlier phases. */
export function phasesOf(projects: readonly ProjectDependencies[]): string[][] {
  const done = new Set<string>();
  const phases: string[][] = [];
  while (done.size < projects.length) {
    const phase = projects.filter((p) => !done.has(p.name) && p.dependencies.every((d) => done.has(d))).map((p) => p.name);
    if (phase.length === 0)
      throw new Error(
        `project dependencies form a cycle among ${projects
          .filter((p) => !done.has(p.name))
          .map((p) => p.name)
          .join(', ')}`,
      );
    for (const name of phase) done.add(name);
    phases.push(phase);
  }
  return phases;
}

/** The wall-clock span of a phase's tests: first start to last end; undefined without start times. */
export function phaseSpan(projects: readonly string[], tests: readonly TestRecord[]): { startMs: number; endMs: number } | undefined {
  const timed = tests.filter((t) => projects.includes(t.project) && t.startedAtMs !== undefined && !Number.isNaN(t.startedAtMs));
  if (timed.length === 0) return undefined;
  return {
    startMs: Math.min(...timed.map((t) => t.startedAtMs ?? 0)),
    endMs: Math.max(...timed.map((t) => (t.startedAtMs ?? 0) + t.durationMs)),
  };
}

/** One test on a faulted node's chain: its wall time next to its floor, and what its floor's waits took. */
export interface ChainTest {
  readonly title: string;
  readonly durationMs: number;
  readonly floorMs: number;
  readonly chainSpanMs: number;
}

/** The tests that fault a node, in the order they started: where a chain's wall time goes beyond its floor. */
export function nodeChain(node: string, projects: readonly string[], tests: readonly TestRecord[]): ChainTest[] {
  return tests
    .filter((t) => projects.includes(t.project) && t.faultedNodes.includes(node))
    .sort((a, b) => (a.startedAtMs ?? 0) - (b.startedAtMs ?? 0))
    .map((t) => {
      const chain = floorChain(t);
      return { title: t.title, durationMs: t.durationMs, floorMs: chain.floorMs, chainSpanMs: chain.spanMs };
    });
}

/**
 * The least wall time of a phase for this run's worker count: its tests' busy time shared out evenly. Not a floor of the
 * cluster's (documented waits are), but of the schedule: when it comes near the measured wall, more workers or less time
 * per test would shorten the phase, and a better order would not.
 */
export function phaseWorkBoundMs(projects: readonly string[], tests: readonly TestRecord[], workers: number): number {
  const busyMs = tests.filter((t) => projects.includes(t.project)).reduce((sum, t) => sum + t.durationMs, 0);
  return busyMs / Math.max(1, workers);
}

/**
 * Per law, the floors of the tests that check it, added: the least time those tests could take. A test that checks
 * several laws counts for each, as its wall time does where bench upstream puts podlaw's time next to upstream's.
 */
export function lawFloorsMs(
  laws: readonly { readonly id: string; readonly tests: readonly { readonly title: string }[] }[],
  tests: readonly Pick<TestRecord, 'title' | 'waits'>[],
): Record<string, number> {
  const floorByTitle = new Map(tests.map((t) => [t.title, testFloorMs(t)]));
  const floors: Record<string, number> = {};
  for (const law of laws) floors[law.id] = law.tests.reduce((sum, t) => sum + (floorByTitle.get(t.title) ?? 0), 0);
  return floors;
}
