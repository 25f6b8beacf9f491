/**
 * What one test watched and did, in order, with timestamps: object transitions seen
 * by its watches, Kubernetes events, faults (their specs, injected and recovered), and
 * the observations recorded for its laws. It is serialised as JSON and attached to the test.
 */
import type { FaultSpec } from '../faults/fault.ts';
import type { Observation } from './observation.ts';
import { annotationOf } from './observation.ts';

export type TimelineEntry =
  | {
      readonly at: string;
      readonly kind: 'transition';
      readonly resource: string;
      readonly name: string;
      readonly change: 'ADDED' | 'MODIFIED' | 'DELETED';
      readonly summary: string;
    }
  | {
      readonly at: string;
      readonly kind: 'event';
      /** When the event says it happened (eventTime or lastTimestamp). */
      readonly eventAt: string | undefined;
      readonly summary: string;
    }
  | { readonly at: string; readonly kind: 'action'; readonly action: string; readonly description: string }
  | FaultEntry
  | { readonly at: string; readonly kind: 'observation'; readonly observation: Observation };

/** A fault as data: its spec, when it was injected (and how long inject() took), when it was recovered. */
export interface FaultEntry {
  readonly at: string;
  readonly kind: 'fault';
  readonly spec: FaultSpec;
  readonly description: string;
  readonly injectedAt: string;
  readonly injectMs: number;
  recoveredAt: string | undefined;
}

/** Where annotations go; a Playwright TestInfo fits, and so does a CLI collector. */
export interface AnnotationSink {
  readonly annotations: { type: string; description?: string }[];
}

export class Timeline {
  readonly #entries: TimelineEntry[] = [];
  readonly #observations: Observation[] = [];
  readonly #sink: AnnotationSink | undefined;
  readonly #lastSummary = new Map<string, string>();
  readonly #faults = new Map<object, FaultEntry>();

  constructor(sink?: AnnotationSink) {
    this.#sink = sink;
  }

  get entries(): readonly TimelineEntry[] {
    return this.#entries;
  }

  get observations(): readonly Observation[] {
    return this.#observations;
  }

  /** Records a watched object's change when its summary differs from the last one recorded. */
  transition(resource: string, name: string, change: 'ADDED' | 'MODIFIED' | 'DELETED', summary: string, at = new Date()): void {
    const key = `${resource}/${name}`;
    if (change === 'MODIFIED' && this.#lastSummary.get(key) === summary) return;
    if (change === 'DELETED') this.#lastSummary.delete(key);
    else this.#lastSummary.set(key, summary);
    this.#entries.push({ at: at.toISOString(), kind: 'transition', resource, name, change, summary });
  }

  event(summary: string, eventAt: Date | undefined, at = new Date()): void {
    this.#entries.push({ at: at.toISOString(), kind: 'event', eventAt: eventAt?.toISOString(), summary });
  }

  /** Records something the test did; returns the time it was recorded. */
  action(action: string, description: string, at = new Date()): Date {
    this.#entries.push({ at: at.toISOString(), kind: 'action', action, description });
    return at;
  }

  faultInjected(fault: { readonly spec: FaultSpec; readonly description: string }, injectedAt: Date, injectMs: number): void {
    const entry: FaultEntry = {
      at: injectedAt.toISOString(),
      kind: 'fault',
      spec: fault.spec,
      description: fault.description,
      injectedAt: injectedAt.toISOString(),
      injectMs,
      recoveredAt: undefined,
    };
    this.#faults.set(fault, entry);
    this.#entries.push(entry);
  }

  /** Completes the fault's entry; a fault recovered without having been injected (inject() threw) is recorded alone. */
  faultRecovered(fault: { readonly spec: FaultSpec; readonly description: string }, recoveredAt: Date): void {
    const entry = this.#faults.get(fault);
    if (entry !== undefined) entry.recoveredAt = recoveredAt.toISOString();
    else this.action('recover', `${fault.spec.kind}: ${fault.description}`, recoveredAt);
  }

  /** Records a law's observation (a measured figure or a checked fact) and shows it as an annotation in the report. */
  record(observation: Observation, at = new Date()): Observation {
    this.#observations.push(observation);
    this.#entries.push({ at: at.toISOString(), kind: 'observation', observation });
    this.#sink?.annotations.push(annotationOf(observation));
    return observation;
  }

  toJSON(): { entries: readonly TimelineEntry[]; observations: readonly Observation[] } {
    return { entries: this.#entries, observations: this.#observations };
  }
}
