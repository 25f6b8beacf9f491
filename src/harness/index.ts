/**
 * Everything a suite uses, in one import: `import { test, expect, law, … } from '../../src/harness/index.ts'`.
 * Suites import nothing else of podlaw (tests/unit/imports.test.ts enforces it); the
 * layers below are reached through these re-exports. See docs/architecture.md.
 */

// Fixtures and law binding.
export { test, expect } from './test.ts';
export { smokeTag } from '../smoke-verdict.ts';
export type { ClusterContext } from './test.ts';
export { law, notApplicable, LawCheck } from './law-check.ts';
export type { ClusterWatches } from './watches.ts';

// Objects: pods, endpoints, events, nodes.
export * from './pods.ts';
export * from './runtime.ts';
export * from './endpoints.ts';
export * from './events.ts';
export * from './nodes.ts';
export * from './deployments.ts';
export * from './anatomy.ts';
export * from './static-pods.ts';
export { budgetSummary, pdbType, watchBudgets } from './budgets.ts';
export { describeAnswer, evict } from './eviction.ts';
export type { EvictionAnswer } from './eviction.ts';
export { execInContainer, execOk } from '../kube/exec.ts';
export type { ContainerRef, ExecResult } from '../kube/exec.ts';
export { waitForLogLine } from '../kube/logs.ts';
export { firstStamp, parseStamps } from '../kube/stamps.ts';
export type { Stamp } from '../kube/stamps.ts';
export { isInvalid, unlessNotFound } from '../kube/api-errors.ts';
export { holdsFor, waitFor, waitForGone, waitForObject, WaitTimeoutError } from '../kube/wait.ts';

// Faults.
export { PodDeletion } from '../faults/pod-delete.ts';
export type { DeletionMode, PodDeletionRecord } from '../faults/pod-delete.ts';
export { ProbeFileToggle } from '../faults/probe-toggle.ts';
export { ContainerProcessKill } from '../faults/container-kill.ts';
export type { Signal } from '../faults/container-kill.ts';
export { NodePauseFault, nodeContainerExists } from '../faults/node-pause.ts';
export { NodeZoneLabelFault } from '../faults/node-zone-label.ts';
export type { Fault, FaultSpec, FaultTarget, PodSelector, SelectionMode } from '../faults/fault.ts';
export { NodeStopFault } from '../faults/node-stop.ts';
export { KubeletStopFault } from '../faults/kubelet-stop.ts';
export { NodePartitionFault } from '../faults/node-partition.ts';
export { NodeDeleteFault, savedNodeLabels } from '../faults/node-delete.ts';
export { NodeTaintFault } from '../faults/node-taint.ts';
export { NodeCordonFault } from '../faults/node-cordon.ts';
export { checkPodNetwork } from '../faults/pod-network-repair.ts';
export type { PodNetworkCheck } from '../faults/pod-network-repair.ts';
export { destructiveFaultRefusal } from '../safety.ts';

// Least-privilege access: deploy/rbac/podlaw.yaml under impersonation, and how a refusal is reported.
export { AccessProbe, accessProbeRefusal, answerOf, dryRunTaintKey, openNamespaceAs, rbacPropagation, taintDryRun } from './access.ts';
export type { NamespaceAs } from './access.ts';
export { probeRbacObjects, readRbacManifest } from './rbac-manifest.ts';
export { forbiddenAsPodlawError, rbacManifestPath } from '../errors.ts';
export { readClusterTiming } from '../cluster/cluster-timing.ts';
export { MemoryPressureFault } from '../faults/memory-pressure.ts';

// Memory pressure: the summary API, thresholds, the documented eviction ranking.
export * from './pressure.ts';
export { naiveQosOrder, rankMemoryPressure } from '../laws/eviction-ranking.ts';
export type { RankedPod, RankedPodInput } from '../laws/eviction-ranking.ts';
export { documentedOomScoreAdj, documentedQosClass } from '../laws/qos-class.ts';
export type { QosClass } from '../laws/qos-class.ts';

// Node loss: the lost-node timeline and its helpers.
export { lostNode, statefulTolerationSeconds } from './lost-node.ts';
export { checkPodNetworkFact, controllerWrite, countdownEnds } from './lost-node-facts.ts';
export { TaintManagerActs } from './taint-manager.ts';
export type { TaintManagerAct } from './taint-manager.ts';
export type { AfterLoss, LostNodeContext } from './lost-node.ts';
export * from './node-loss.ts';
export { lossSlotTag, lossSlots, lossWorkerFor, onLossWorker } from './loss-workers.ts';
export type { LossSlot } from './loss-workers.ts';
export type { NodeLossKind, Sighting } from './node-loss.ts';

// Traffic during faults: k6 load sessions and their analysis.
export { LoadSession } from '../load/session.ts';
export type { LoadOutcome, LoadPlan } from '../load/session.ts';
export { EndpointChanges } from '../load/endpoint-changes.ts';
export { propagationBound, readProxySync } from '../load/kube-proxy.ts';
export type { ProxySync } from '../load/kube-proxy.ts';
export { failuresAfter, propagation } from '../load/analysis.ts';
export type { PhaseStats, Propagation } from '../load/analysis.ts';
export { withFileReadiness, withPreStopSleep } from '../load/deployment.ts';
export { startHostLoad } from '../load/host-k6.ts';
export { startJobLoad } from '../load/job-k6.ts';
export { serviceUrl } from '../load/target.ts';
export { LoadError } from '../load/errors.ts';
export type { LoadScenario } from '../load/scenario.ts';

// Expectations, tolerances and timeouts.
export * from '../laws/expectations/index.ts';
export { tolerances } from '../laws/expectation.ts';
export { storedProbe } from '../kube/stored-probe.ts';
export type { StoredProbe } from '../kube/stored-probe.ts';
export type { Expectation, Tolerance } from '../laws/expectation.ts';
export { budgetFor, timeouts } from './timeouts.ts';
export { namedTimeout } from '../kube/named-timeout.ts';
export type { NamedTimeout } from '../kube/named-timeout.ts';

// The cluster's settings and podlaw's own cluster.
export { kubeletTimingFor } from '../cluster/cluster-timing.ts';
export { describeSource } from '../cluster/sourced-setting.ts';
export { readKubeProxyMode } from '../cluster/kube-proxy.ts';
export { hostNodePort, nodeContainers } from '../podlaw-cluster.ts';

// Network probes from the host and from kind nodes.
export { networkErrorCode, waitForHttpAnswer } from '../net/http-answer.ts';
export { httpStatusFromNode, nodeMapKeys, NftMonitor, proxiedEndpointCount, waitForProxiedEndpoints } from '../net/node-nft.ts';
export { deletedElementKeys, isKubeProxyFullSync } from '../net/nft-text.ts';
export type { MonitoredTransaction } from '../net/nft-text.ts';
export { attributeAnswers, watchNodePortFlows, ConntrackFlows } from './conntrack.ts';
export type { AttributedLoad } from './conntrack.ts';
export { PodGcCanaries } from './podgc-canary.ts';
