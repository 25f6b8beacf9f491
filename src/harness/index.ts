/**
 * Everything a suite uses, in one import: `import { test, expect, law, … } from '../../src/harness/index.ts'`.
 * Suites import nothing else of podlaw (tests/unit/imports.test.ts enforces it); the
 * layers below are reached through these re-exports. See docs/architecture.md.
 */

// Fixtures and law binding.
export { test, expect } from './test.ts';
export type { ClusterContext } from './test.ts';
export { law, notApplicable, LawCheck } from './law-check.ts';
export type { ClusterWatches } from './watches.ts';

// Objects: pods, endpoints, events, nodes.
export * from './pods.ts';
export * from './endpoints.ts';
export * from './events.ts';
export * from './nodes.ts';
export { execInContainer, execOk } from '../kube/exec.ts';
export type { ContainerRef, ExecResult } from '../kube/exec.ts';
export { waitForLogLine } from '../kube/logs.ts';
export { firstStamp, parseStamps } from '../kube/stamps.ts';
export type { Stamp } from '../kube/stamps.ts';
export { isInvalid, unlessNotFound } from '../kube/api-errors.ts';
export { holdsFor, waitFor, waitForGone, waitForObject } from '../kube/wait.ts';

// Faults.
export { PodDeletion } from '../faults/pod-delete.ts';
export type { DeletionMode, PodDeletionRecord } from '../faults/pod-delete.ts';
export { ProbeFileToggle } from '../faults/probe-toggle.ts';
export { ContainerProcessKill } from '../faults/container-kill.ts';
export type { Signal } from '../faults/container-kill.ts';
export { NodePauseFault, nodeContainerExists } from '../faults/node-pause.ts';
export { NodeZoneLabelFault } from '../faults/node-zone-label.ts';
export type { Fault, FaultSpec, FaultTarget, PodSelector, SelectionMode } from '../faults/fault.ts';
export { destructiveFaultRefusal } from '../safety.ts';

// Expectations, tolerances and timeouts.
export * from '../laws/expectations/index.ts';
export { tolerances } from '../laws/expectation.ts';
export type { Expectation, Tolerance } from '../laws/expectation.ts';
export { budgetFor, timeouts } from './timeouts.ts';
export { namedTimeout } from '../kube/named-timeout.ts';
export type { NamedTimeout } from '../kube/named-timeout.ts';

// The cluster's settings and podlaw's own cluster.
export { kubeletTimingFor } from '../cluster/cluster-timing.ts';
export { describeSource } from '../cluster/sourced-setting.ts';
export { readKubeProxyMode } from '../cluster/kube-proxy.ts';
export { hostNodePort } from '../podlaw-cluster.ts';

// Network probes from the host and from kind nodes.
export { networkErrorCode, waitForHttpAnswer } from '../net/http-answer.ts';
export { httpStatusFromNode, nodeMapKeys, NftMonitor } from '../net/node-nft.ts';
export { deletedElementKeys, isKubeProxyFullSync } from '../net/nft-text.ts';
export type { MonitoredTransaction } from '../net/nft-text.ts';
