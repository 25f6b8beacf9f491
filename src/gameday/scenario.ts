/**
 * A game-day scenario file: YAML checked against schemas/gameday-scenario.schema.json (ajv),
 * then against what the schema cannot say (law ids that exist, a wait's node). Pure apart
 * from reading the schema once. Every error is one line naming the field and its line:
 * "examples/x.yaml:12: steps[1].fault.duration: must be <= 900".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { repoRoot } from '../paths.ts';

export interface FaultStep {
  readonly kind: 'fault';
  readonly faultKind: string;
  readonly target: { readonly node?: string; readonly selector?: string; readonly namespace?: string };
  readonly mode: 'one' | 'all';
  /** Seconds the fault is held before the run recovers it; absent: held until the end of the run. */
  readonly durationSeconds: number | undefined;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Where the step is in the file, for the plan and errors: "steps[1]". */
  readonly at: string;
}

export interface LoadStep {
  readonly kind: 'load';
  readonly name: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly requestTimeoutMs: number;
  readonly steadySeconds: number;
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  readonly at: string;
}

export type WaitCondition = 'node-ready' | 'node-unknown' | 'ready-endpoints';

export interface WaitStep {
  readonly kind: 'wait';
  readonly condition: WaitCondition;
  readonly node: string | undefined;
  readonly atLeast: number | undefined;
  readonly timeoutSeconds: number;
  readonly at: string;
}

export interface ParallelStep {
  readonly kind: 'parallel';
  readonly steps: readonly Step[];
  readonly at: string;
}

export type Step = FaultStep | LoadStep | WaitStep | ParallelStep;

export interface Guard {
  readonly service: string;
  readonly readyEndpointsBelow: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly target: {
    /** A user namespace; undefined: a fresh podlaw namespace owned by the run. */
    readonly namespace: string | undefined;
    readonly fixture: string | undefined;
    readonly params: Readonly<Record<string, string | number>>;
    readonly service: string;
    readonly selector: string | undefined;
  };
  readonly steps: readonly Step[];
  readonly laws: readonly string[];
  readonly nodes: readonly string[];
  readonly guards: readonly Guard[];
}

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export const scenarioSchemaPath = join(repoRoot, 'schemas', 'gameday-scenario.schema.json');

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator(): ReturnType<Ajv['compile']> {
  compiled ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(scenarioSchemaPath, 'utf8')) as object);
  return compiled;
}

/** "/steps/1/fault/duration" → ["steps", 1, "fault", "duration"]. */
function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** steps[1].fault.duration */
export function fieldName(path: readonly (string | number)[]): string {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name === '' ? part : `${name}.${part}`), '');
}

/** The 1-based line of the deepest node the path reaches (the key itself for an unknown field). */
function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[], keyOf?: string): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
  for (const part of [...path, ...(keyOf === undefined ? [] : [keyOf])]) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part);
      if (pair === undefined) break;
      const key = pair.key as YamlNode | null;
      offset = key?.range?.[0] ?? offset;
      if (part === keyOf) break;
      node = pair.value;
      const value = node as YamlNode | null;
      if (value?.range != null && !isMap(node) && !isSeq(node)) offset = value.range[0];
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      offset = (node as YamlNode | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return counter.linePos(offset).line;
}

/**
 * The error to show of ajv's list: the deepest one (a oneOf over step shapes reports every
 * branch; the branch that got furthest into the value is the one the author meant).
 */
export function mostSpecific(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const depth = (e: ErrorObject): number => pathOf(e.instancePath).length + (e.keyword === 'additionalProperties' ? 1 : 0);
  const rank = (e: ErrorObject): number => (e.keyword === 'oneOf' ? -1 : e.keyword === 'required' ? 0 : 1);
  return [...errors].sort((a, b) => depth(b) - depth(a) || rank(b) - rank(a))[0];
}

function describe(error: ErrorObject): { path: (string | number)[]; key: string | undefined; message: string } {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params['additionalProperty']);
    return { path: [...path, key], key, message: 'unknown field' };
  }
  if (error.keyword === 'enum')
    return { path, key: undefined, message: `must be one of ${(params['allowedValues'] as unknown[]).join(', ')}` };
  if (error.keyword === 'required') {
    return { path: [...path, String(params['missingProperty'])], key: undefined, message: 'is required' };
  }
  if (error.keyword === 'oneOf') return { path, key: undefined, message: 'must be exactly one of fault, load, wait or parallel' };
  return { path, key: undefined, message: error.message ?? error.keyword };
}

type Raw = Record<string, unknown>;
const rec = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});

function toStep(raw: Raw, at: string): Step {
  if (raw['fault'] !== undefined) {
    const f = rec(raw['fault']);
    const target = rec(f['target']);
    return {
      kind: 'fault',
      faultKind: String(f['kind']),
      target: {
        ...(typeof target['node'] === 'string' ? { node: target['node'] } : {}),
        ...(typeof target['selector'] === 'string' ? { selector: target['selector'] } : {}),
        ...(typeof target['namespace'] === 'string' ? { namespace: target['namespace'] } : {}),
      },
      mode: f['mode'] === 'all' ? 'all' : 'one',
      durationSeconds: typeof f['duration'] === 'number' ? f['duration'] : undefined,
      params: rec(f['params']) as Record<string, string | number | boolean>,
      at: `${at}.fault`,
    };
  }
  if (raw['load'] !== undefined) {
    const l = rec(raw['load']);
    return {
      kind: 'load',
      name: typeof l['name'] === 'string' ? l['name'] : 'gameday',
      ratePerSecond: Number(l['rate']),
      durationSeconds: Number(l['duration']),
      requestTimeoutMs: typeof l['requestTimeoutMs'] === 'number' ? l['requestTimeoutMs'] : 2000,
      steadySeconds: typeof l['steadySeconds'] === 'number' ? l['steadySeconds'] : 3,
      thresholds: rec(l['thresholds']) as Record<string, string[]>,
      at: `${at}.load`,
    };
  }
  if (raw['wait'] !== undefined) {
    const w = rec(raw['wait']);
    return {
      kind: 'wait',
      condition: w['for'] as WaitCondition,
      node: typeof w['node'] === 'string' ? w['node'] : undefined,
      atLeast: typeof w['atLeast'] === 'number' ? w['atLeast'] : undefined,
      timeoutSeconds: Number(w['timeout']),
      at: `${at}.wait`,
    };
  }
  const children = Array.isArray(raw['parallel']) ? (raw['parallel'] as unknown[]) : [];
  return { kind: 'parallel', steps: children.map((c, i) => toStep(rec(c), `${at}.parallel[${i}]`)), at: `${at}.parallel` };
}

/** Checks the schema cannot express; each returns the path of the offending field and why. */
function semanticProblems(value: Raw, knownLaw: (id: string) => boolean): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const laws = rec(value['watch'])['laws'];
  if (Array.isArray(laws)) {
    laws.forEach((id, i) => {
      if (!knownLaw(String(id)))
        problems.push({ path: ['watch', 'laws', i], message: `no law ${String(id)} in the catalog (podlaw list)` });
    });
  }
  const visit = (steps: unknown, path: (string | number)[]): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((s, i) => {
      const step = rec(s);
      const wait = step['wait'];
      if (wait !== undefined) {
        const w = rec(wait);
        if ((w['for'] === 'node-ready' || w['for'] === 'node-unknown') && typeof w['node'] !== 'string')
          problems.push({ path: [...path, i, 'wait', 'node'], message: `is required for ${String(w['for'])}` });
        if (w['for'] === 'ready-endpoints' && typeof w['atLeast'] !== 'number')
          problems.push({ path: [...path, i, 'wait', 'atLeast'], message: 'is required for ready-endpoints' });
      }
      const fault = step['fault'];
      if (fault !== undefined) {
        const t = rec(rec(fault)['target']);
        if (t['node'] === undefined && t['selector'] === undefined)
          problems.push({ path: [...path, i, 'fault', 'target'], message: 'needs node or selector' });
      }
      if (step['parallel'] !== undefined) visit(step['parallel'], [...path, i, 'parallel']);
    });
  };
  visit(value['steps'], ['steps']);
  return problems;
}

/** Parses and validates a scenario; throws ScenarioError with one line "file:line: field: why". */
export function parseScenario(text: string, file: string, knownLaw: (id: string) => boolean): Scenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const line = counter.linePos(yamlError.pos[0]).line;
    throw new ScenarioError(`${file}:${line}: invalid YAML: ${yamlError.message.split('\n')[0] ?? ''}`);
  }
  const value: unknown = doc.toJS();
  const validate = validator();
  if (!validate(value)) {
    const error = mostSpecific(validate.errors ?? []);
    if (error !== undefined) {
      const { path, key, message } = describe(error);
      const line = lineOf(doc, counter, key === undefined ? path : path.slice(0, -1), key);
      throw new ScenarioError(`${file}:${line}: ${fieldName(path) || '(top level)'}: ${message}`);
    }
  }
  const raw = rec(value);
  const [problem] = semanticProblems(raw, knownLaw);
  if (problem !== undefined) {
    throw new ScenarioError(`${file}:${lineOf(doc, counter, problem.path)}: ${fieldName(problem.path)}: ${problem.message}`);
  }
  const target = rec(raw['target']);
  const watch = rec(raw['watch']);
  const guards = Array.isArray(raw['guards']) ? (raw['guards'] as unknown[]) : [];
  const service = String(target['service']);
  return {
    name: String(raw['name']),
    description: typeof raw['description'] === 'string' ? raw['description'].trim() : '',
    target: {
      namespace: typeof target['namespace'] === 'string' ? target['namespace'] : undefined,
      fixture: typeof target['fixture'] === 'string' ? target['fixture'] : undefined,
      params: rec(target['params']) as Record<string, string | number>,
      service,
      selector: typeof target['selector'] === 'string' ? target['selector'] : undefined,
    },
    steps: (raw['steps'] as unknown[]).map((s, i) => toStep(rec(s), `steps[${i}]`)),
    laws: Array.isArray(watch['laws']) ? watch['laws'].map(String) : [],
    nodes: Array.isArray(watch['nodes']) ? watch['nodes'].map(String) : [],
    guards: guards.map((g) => {
      const abortIf = rec(rec(g)['abortIf']);
      return {
        service: typeof abortIf['service'] === 'string' ? abortIf['service'] : service,
        readyEndpointsBelow: Number(abortIf['readyEndpointsBelow']),
      };
    }),
  };
}

export function readScenario(path: string, knownLaw: (id: string) => boolean): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(`${path}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseScenario(text, path, knownLaw);
}

/** Every fault step, in file order, flattened out of parallel groups. */
export function faultSteps(steps: readonly Step[]): FaultStep[] {
  return steps.flatMap((s) => (s.kind === 'fault' ? [s] : s.kind === 'parallel' ? faultSteps(s.steps) : []));
}
