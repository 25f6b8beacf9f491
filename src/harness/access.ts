/**
 * Least-privilege access, shown on the live cluster: the checked-in manifest
 * (deploy/rbac/podlaw.yaml) applied under throwaway names — roles and bindings suffixed,
 * its `User podlaw` subjects replaced by a probe user, every object labelled as podlaw's
 * and removed afterwards — and API clients impersonating that user, so the API server
 * authorizes each request exactly as it would for someone bound to that manifest.
 */
import { AuthorizationV1Api, AuthenticationV1Api, PatchStrategy } from '@kubernetes/client-node';
import type { V1ResourceAttributes } from '@kubernetes/client-node';
import { rbacManifestPath } from '../errors.ts';
import { impersonating } from '../kube/client.ts';
import type { KubeClients } from '../kube/client.ts';
import { httpStatusOf, unlessNotFound } from '../kube/api-errors.ts';
import { destructiveBinding, probeRbacObjects, readRbacManifest } from './rbac-manifest.ts';
import type { RbacObject } from './rbac-manifest.ts';
import { namedTimeout } from '../kube/named-timeout.ts';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { NamespaceOwner } from '../lifecycle/namespace-owner.ts';
import { namespaceName, randomSuffix } from '../run-naming.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { ClusterWatches } from './watches.ts';
import { ObjectFactory } from './objects.ts';
import { waitForDefaultServiceAccount } from './test.ts';

/**
 * RBAC changes reach the API server's authorizer through its informers on roles and bindings
 * (plugin/pkg/auth/authorizer/rbac), not at once with the write: a probe asks
 * SelfSubjectAccessReview until the grant is visible. Bounded by the API server's default
 * request timeout (60 s), which no informer lag on a live API server comes near.
 */
export const rbacPropagation: NamedTimeout = namedTimeout('RBAC grant reaches the authorizer (API server request timeout 60 s)', 60_000);
const reviewIntervalMs = 200;

/**
 * Why the runner's own identity cannot make the probe (undefined when it can): applying the manifest
 * and impersonating need an administrator, which a run under that very role (PODLAW_AS, or a user
 * bound to it) is not. Asked with SelfSubjectAccessReview.
 */
export async function accessProbeRefusal(admin: KubeClients): Promise<string | undefined> {
  const api = admin.config.makeApiClient(AuthorizationV1Api);
  const needs: V1ResourceAttributes[] = [
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'kube-system' },
    { verb: 'impersonate', resource: 'users' },
  ];
  const missing: string[] = [];
  for (const attributes of needs) {
    const review = await api.createSelfSubjectAccessReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
    });
    if (review.status?.allowed !== true) missing.push(`${attributes.verb ?? ''} ${attributes.resource ?? ''}`);
  }
  if (missing.length === 0) return undefined;
  return `the runner may not ${missing.join(', ')}: applying ${rbacManifestPath} and impersonating a user bound to it needs a cluster administrator`;
}

export class AccessProbe {
  readonly user: string;
  /** The API clients acting as `user`. */
  readonly as: KubeClients;
  readonly #admin: KubeClients;
  readonly #objects: RbacObject[];
  readonly #created: RbacObject[] = [];

  private constructor(admin: KubeClients, user: string, objects: RbacObject[]) {
    this.#admin = admin;
    this.user = user;
    this.as = impersonating(admin, user);
    this.#objects = objects;
  }

  /** Applies the manifest's roles and base bindings for a fresh probe user; the destructive binding waits for grantDestructive. */
  static async grant(admin: KubeClients, runId: string, suffix: string): Promise<AccessProbe> {
    const user = `podlaw-access-probe-${suffix}`;
    const probe = new AccessProbe(admin, user, probeRbacObjects(readRbacManifest(), suffix, user, runId));
    try {
      for (const object of probe.#objects) {
        if (object.metadata?.name !== `${destructiveBinding}-${suffix}` || object.kind !== 'ClusterRoleBinding')
          await probe.#create(object);
      }
    } catch (error) {
      await probe.revoke();
      throw error;
    }
    return probe;
  }

  /** Binds the opt-in podlaw-destructive role to the probe user as well. */
  async grantDestructive(): Promise<void> {
    const binding = this.#objects.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata?.name?.startsWith(`${destructiveBinding}-`));
    if (binding === undefined) throw new Error(`${rbacManifestPath} has no ${destructiveBinding} ClusterRoleBinding`);
    await this.#create(binding);
  }

  /** Kinds and names of what the probe created, for the report. */
  get created(): string[] {
    return this.#created.map(
      (o) => `${o.kind ?? ''}/${o.metadata?.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata?.name ?? ''}`,
    );
  }

  async #create(object: RbacObject): Promise<void> {
    this.#created.push(await this.#admin.objects.create(object));
  }

  /** Removes every object the probe created (bindings first); already gone is fine. */
  async revoke(): Promise<void> {
    for (const object of [...this.#created].reverse()) await unlessNotFound(() => this.#admin.objects.delete(object));
    this.#created.length = 0;
  }

  /** Whether the authorizer lets the probe user do this (SelfSubjectAccessReview, asked as the user). */
  async allowed(attributes: V1ResourceAttributes): Promise<boolean> {
    const review = await this.as.config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
    });
    return review.status?.allowed === true;
  }

  /** Waits until the authorizer grants `attributes` to the probe user (the binding has propagated). */
  async waitUntilAllowed(attributes: V1ResourceAttributes, timeout: NamedTimeout = rbacPropagation): Promise<void> {
    const deadline = Date.now() + timeout.ms;
    while (!(await this.allowed(attributes))) {
      if (Date.now() > deadline) throw new Error(`${this.user} still may not ${JSON.stringify(attributes)} after ${timeout.name}`);
      await new Promise((resolve) => setTimeout(resolve, reviewIntervalMs));
    }
  }

  /** The user the API server sees behind the probe's clients. */
  async username(): Promise<string> {
    const review = await this.as.config
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    return review.status?.userInfo?.username ?? '';
  }
}

/** What a call answered: 'allowed', or the HTTP status it was refused with. */
export async function answerOf(call: () => Promise<unknown>): Promise<'allowed' | number> {
  try {
    await call();
    return 'allowed';
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === undefined) throw error;
    return status;
  }
}

/** A podlaw test namespace made by the probe user itself: owner Lease, watches and object factory all as that user. */
export interface NamespaceAs {
  readonly name: string;
  readonly watch: ClusterWatches;
  readonly objects: ObjectFactory;
  /** Deletes the objects, stops the watches, deletes the namespace — as the probe user. */
  close(): Promise<void>;
}

export async function openNamespaceAs(probe: AccessProbe, runId: string, title: string, timeline: Timeline): Promise<NamespaceAs> {
  const owner = await NamespaceOwner.create(probe.as, { name: namespaceName(runId, title, randomSuffix()), runId, labels: {} });
  try {
    await waitForDefaultServiceAccount(probe.as, owner.name);
    const watch = await ClusterWatches.start(probe.as, owner.name, timeline);
    const objects = new ObjectFactory(probe.as, owner.name, timeline);
    return {
      name: owner.name,
      watch,
      objects,
      close: async () => {
        try {
          await objects.deleteAll();
          await watch.stop();
        } finally {
          await owner.close();
        }
      },
    };
  } catch (error) {
    await owner.close();
    throw error;
  }
}

export const dryRunTaintKey = 'podlaw.dev/access-dry-run';

/** A merge patch adding a taint, sent with dryRun=All: authorized and admitted like a real one, never stored. */
export async function taintDryRun(kube: KubeClients, node: string): Promise<unknown> {
  const current = await kube.core.readNode({ name: node });
  const taints = [...(current.spec?.taints ?? []), { key: dryRunTaintKey, value: 'x', effect: 'NoSchedule' }];
  return kube.objects.patch(
    { apiVersion: 'v1', kind: 'Node', metadata: { name: node }, spec: { taints } },
    undefined,
    'All',
    undefined,
    undefined,
    PatchStrategy.MergePatch,
  );
}
