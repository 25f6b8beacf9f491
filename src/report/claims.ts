/**
 * The seed pages' checkable sentences (shared/seeds/), each pointing at the law and the
 * observation name that decides it. The verdict is derived from a run's observations, never
 * written by hand: a claim whose deciding observation was not recorded is "not checked in this run".
 * The seeds stay in shared/; only the sentence and its file name are quoted.
 */
import type { LawId } from '../laws/catalog/index.ts';
import type { Observation } from '../timeline/observation.ts';

export interface SeedClaim {
  /** The seed file the sentence comes from (file name only). */
  readonly source: string;
  readonly sentence: string;
  readonly law: LawId;
  /** The observation name (as recorded by the law's test) whose outcome decides the claim. */
  readonly observation: string;
  /**
   * True when the claim agrees with the documented rule the observation checks (the claim holds when
   * the observation is ok); false when the claim contradicts it (the claim is false when it is ok).
   */
  readonly agreesWithDocs: boolean;
  /** The documented truth, shown next to a false claim. */
  readonly documentedTruth: string;
}

export type ClaimVerdict = 'held' | 'false' | 'not checked in this run';

export interface ClaimResult {
  readonly claim: SeedClaim;
  readonly verdict: ClaimVerdict;
  /** The deciding observations' measured values, as evidence. */
  readonly evidence: readonly string[];
}

export const seedClaims: readonly SeedClaim[] = [
  {
    source: '004_67f5b83dece2c065.txt',
    sentence: 'kubelet sends SIGTERM to all containers (in reverse declaration order)',
    law: 'TRM-1',
    observation: 'app containers: SIGTERM spread',
    agreesWithDocs: false,
    documentedTruth: 'app containers are sent SIGTERM together; only sidecars stop in reverse order (SC-1)',
  },
  {
    source: '004_67f5b83dece2c065.txt',
    sentence:
      'When a node runs out of resources, the kubelet evicts Pods in this order: BestEffort first, then Burstable, then Guaranteed.',
    law: 'NPE-5',
    observation: 'eviction order',
    agreesWithDocs: false,
    documentedTruth: 'the kubelet ranks by usage above requests, then priority, then usage (NPE-5), not by QoS class alone',
  },
  {
    source: '003_32e2a52e003616c9.txt',
    sentence: 'Unknown Node communication lost',
    law: 'NOD-4',
    observation: 'lost node: pod phase',
    agreesWithDocs: false,
    documentedTruth: "a lost node's pods keep phase Running with Ready=False, then are marked for deletion",
  },
  {
    source: '000_2be6a64fc498e2fe.txt',
    sentence: 'Permanent failures (where the pod eviction timeout is exhausted) result in termination and recreation of the pod.',
    law: 'NOD-4',
    observation: 'lost node: what governs eviction',
    agreesWithDocs: false,
    documentedTruth: '--pod-eviction-timeout was removed in 1.27; the not-ready/unreachable toleration seconds govern eviction',
  },
  {
    source: '004_67f5b83dece2c065.txt',
    sentence: 'The scheduler treats the larger of (sum of init containers) or (sum of app containers) as the effective request',
    law: 'INI-1',
    observation: 'two init containers each fitting, their sum not',
    agreesWithDocs: false,
    documentedTruth: 'the effective init request is the largest single init request, not their sum (init containers run one at a time)',
  },
  {
    source: '004_67f5b83dece2c065.txt',
    sentence: 'Initialized | All init containers completed successfully',
    law: 'INI-1',
    observation: 'Initialized while an init container runs',
    agreesWithDocs: true,
    documentedTruth: 'Initialized is False until every init container has exited 0',
  },
  {
    source: '000_2be6a64fc498e2fe.txt',
    sentence: 'they both share a loopback adapter (localhost), IP address and source port range.',
    law: 'NET-1',
    observation: 'client container → 127.0.0.1:8080',
    agreesWithDocs: true,
    documentedTruth: 'containers of a pod share the network namespace and reach each other on localhost',
  },
  {
    source: '004_67f5b83dece2c065.txt',
    sentence: 'Two containers in the same Pod cannot bind to the same port.',
    law: 'NET-1',
    observation: 'servers binding the same port: ended / running',
    agreesWithDocs: true,
    documentedTruth: 'one port space per pod: the second bind fails with address already in use',
  },
  {
    source: '004_67f5b83dece2c065.txt',
    sentence: 'One PID namespace | Optionally shared (shareProcessNamespace: true)',
    law: 'NS-1',
    observation: 'pid namespace of a and b',
    agreesWithDocs: true,
    documentedTruth: 'each container has its own PID namespace unless shareProcessNamespace is true',
  },
  {
    source: '000_2be6a64fc498e2fe.txt',
    sentence:
      "The pause container serves as the parent container for all other containers in the pod. It's started by Kubernetes ahead of the pod's other workloads.",
    law: 'NS-1',
    observation: 'PID 1 of the shared PID namespace',
    agreesWithDocs: true,
    documentedTruth: "the sandbox's pause process is PID 1 of a shared PID namespace and holds the pod's namespaces",
  },
  {
    source: '004_67f5b83dece2c065.txt',
    sentence: 'emptyDir is lost when the Pod is deleted.',
    law: 'VOL-1',
    observation: 'recreated pod: the file in its emptyDir',
    agreesWithDocs: true,
    documentedTruth: "an emptyDir's data is deleted with its pod",
  },
  {
    source: '000_2be6a64fc498e2fe.txt',
    sentence: '"ClusterFirstWithHostNet" must be used for Pods running in a hostNetwork.',
    law: 'DNS-1',
    observation: 'hostNetwork pod: lookup of the kubernetes Service name',
    agreesWithDocs: true,
    documentedTruth: 'a hostNetwork pod with ClusterFirst falls back to Default and cannot resolve cluster names',
  },
  {
    source: '000_2be6a64fc498e2fe.txt',
    sentence:
      'Specify the name of a Kubernetes ServiceAccount in the Pod.spec.serviceAccountName field to authenticate as it rather than the default.',
    law: 'SA-1',
    observation: 'in-pod SelfSubjectReview with the mounted token: username',
    agreesWithDocs: true,
    documentedTruth: "the pod's mounted token is answered as system:serviceaccount:<namespace>:<name>",
  },
];

/** An observation decides a claim under its exact name, or per object: "lost node: pod phase (web)". */
function decides(name: string, recorded: string): boolean {
  return recorded === name || recorded.startsWith(`${name} (`);
}

/** Derives each claim's verdict from the observations of one run. */
export function judgeClaims(claims: readonly SeedClaim[], observations: readonly Observation[]): ClaimResult[] {
  return claims.map((claim) => {
    const deciding = observations.filter((o) => o.law === claim.law && decides(claim.observation, o.name));
    if (deciding.length === 0) return { claim, verdict: 'not checked in this run', evidence: [] };
    const documentedRuleHeld = deciding.every((o) => o.ok);
    const verdict: ClaimVerdict = documentedRuleHeld === claim.agreesWithDocs ? 'held' : 'false';
    return { claim, verdict, evidence: deciding.map((o) => `${o.name}: measured ${o.measured}, expected ${o.expected}`) };
  });
}
