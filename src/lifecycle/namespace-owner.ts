/**
 * The owner of one podlaw namespace: creates it (labelled with the run id and the
 * heartbeat marker), creates its owner Lease and renews it every renewal period while
 * this process lives, holds the claims of the faults its test injected (a fault is
 * claimed before it is injected and released after it is recovered), and on close stops
 * renewing and deletes the namespace. See heartbeat.ts for why a Lease.
 */
import { hostname } from 'node:os';
import { PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { unlessNotFound } from '../kube/api-errors.ts';
import { runLabels } from '../run-naming.ts';
import type { Fault } from '../faults/fault.ts';
import type { FaultLedger } from '../faults/active-faults.ts';
import { isSweepable } from '../faults/leftovers.ts';
import {
  faultClaimsAnnotation,
  heartbeatLabel,
  heartbeatLabelValue,
  microTime,
  ownerLeaseName,
  renewalPeriodMs,
  renewalRequestTimeoutMs,
  serializeClaims,
  staleAfterMs,
} from './heartbeat.ts';
import { releasePodGcCanaries } from './podgc-canary-release.ts';
import type { FaultClaim } from './heartbeat.ts';

export interface OwnedNamespaceSpec {
  readonly name: string;
  readonly runId: string;
  /** More labels (the test id). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Identifies this process in the Lease: run, host and pid. */
export function holderIdentity(runId: string): string {
  return `podlaw run ${runId} on ${hostname()} pid ${process.pid}`;
}

export class NamespaceOwner implements FaultLedger {
  readonly name: string;
  readonly #kube: KubeClients;
  readonly #runId: string;
  readonly #claims = new Map<Fault, FaultClaim>();
  #timer: NodeJS.Timeout | undefined;
  /** Lease writes, one at a time, in order: renewals and claim changes never overtake each other. */
  #writes: Promise<void> = Promise.resolve();
  #lastRenewalError: unknown;

  private constructor(kube: KubeClients, name: string, runId: string) {
    this.#kube = kube;
    this.name = name;
    this.#runId = runId;
  }

  /** Creates the namespace and its owner Lease and starts renewing. */
  static async create(kube: KubeClients, spec: OwnedNamespaceSpec): Promise<NamespaceOwner> {
    await kube.core.createNamespace({
      body: {
        metadata: {
          name: spec.name,
          labels: {
            ...spec.labels,
            [runLabels.managedBy]: 'podlaw',
            [runLabels.runId]: spec.runId,
            [heartbeatLabel]: heartbeatLabelValue,
          },
        },
      },
    });
    const owner = new NamespaceOwner(kube, spec.name, spec.runId);
    try {
      await owner.#createLease();
    } catch (error) {
      await unlessNotFound(() => kube.core.deleteNamespace({ name: spec.name, propagationPolicy: 'Background' }));
      throw error;
    }
    owner.#schedule();
    return owner;
  }

  get lastRenewalError(): unknown {
    return this.#lastRenewalError;
  }

  async claim(fault: Fault): Promise<void> {
    if (!isSweepable(fault)) return;
    this.#claims.set(fault, { kind: fault.spec.kind, target: fault.spec.target.node });
    await this.#enqueue(() => this.#patchLease('claims'));
  }

  async release(fault: Fault): Promise<void> {
    if (!this.#claims.delete(fault)) return;
    await this.#enqueue(() => this.#patchLease('claims'));
  }

  /** Stops renewing and deletes the namespace (its Lease goes with it), releasing any pod GC canary first. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writes;
    await releasePodGcCanaries(this.#kube, this.name);
    await unlessNotFound(() => this.#kube.core.deleteNamespace({ name: this.name, propagationPolicy: 'Background' }));
  }

  /** The Lease as sent: MicroTimes as strings, which client-node's Date typing cannot express. */
  #lease(now: Date): KubernetesObject & { spec: Record<string, unknown> } {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: ownerLeaseName,
        namespace: this.name,
        labels: { [runLabels.managedBy]: 'podlaw', [runLabels.runId]: this.#runId },
        annotations: { [faultClaimsAnnotation]: serializeClaims([...this.#claims.values()]) },
      },
      spec: {
        holderIdentity: holderIdentity(this.#runId),
        leaseDurationSeconds: Math.ceil(staleAfterMs / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
      },
    };
  }

  async #createLease(): Promise<void> {
    await this.#kube.objects.create(this.#lease(new Date()));
  }

  /**
   * A renewal patches renewTime alone, a claim change the claims (and renewTime): a renewal
   * abandoned after its timeout may still land late, and must not put back older claims.
   * A claim change must land; a renewal may fail and is retried next period.
   */
  async #patchLease(change: 'renewal' | 'claims'): Promise<void> {
    const patch: KubernetesObject & { spec: Record<string, unknown> } = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: ownerLeaseName,
        namespace: this.name,
        ...(change === 'claims' ? { annotations: { [faultClaimsAnnotation]: serializeClaims([...this.#claims.values()]) } } : {}),
      },
      spec: { renewTime: microTime(new Date()) },
    };
    try {
      await this.#kube.objects.patch(patch, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
      this.#lastRenewalError = undefined;
    } catch (error) {
      this.#lastRenewalError = error;
      if (change === 'claims') throw error;
    }
  }

  #enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(write);
    // The queue itself never rejects; the caller gets the error of its own write.
    this.#writes = next.catch(() => undefined);
    return next;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      const renewal = this.#enqueue(() => withTimeout(this.#patchLease('renewal'), renewalRequestTimeoutMs));
      void renewal.finally(() => {
        if (this.#timer !== undefined) this.#schedule();
      });
    }, renewalPeriodMs);
    // The heartbeat alone must not keep a finished process alive.
    this.#timer.unref();
  }
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
