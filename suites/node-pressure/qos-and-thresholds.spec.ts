/**
 * QOS-1, NPE-1 and NPE-7: what the node-pressure laws stand on, without a fault.
 *
 * QOS-1 — "Guaranteed: every Container in the Pod must have a memory limit and a memory request …
 * a CPU limit and a CPU request … equal"; "BestEffort: … none of the Containers in the Pod have a
 * memory limit or a memory request, and none … have a CPU limit or a CPU request"; otherwise Burstable.
 * Init containers count. https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
 * NPE-1 — "the kubelet has the following default hard eviction thresholds … memory.available<100Mi …
 * These default values of hard eviction thresholds will only be set if none of the parameters is
 * changed. If you change the value of any parameter, then the values of other parameters will not
 * be inherited as the default values and will be set to zero."
 * NPE-7 — "the kubelet sets an oom_score_adj value for each container based on the QoS for the pod":
 * Guaranteed -997, BestEffort 1000, Burstable min(max(2, 1000 - (1000 × memoryRequestBytes) / machineMemoryCapacityBytes), 999).
 * https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  test,
  law,
  notApplicable,
  documentedQosClass,
  documentedOomScoreAdj,
  listNodes,
  kubeletTimingFor,
  describeSource,
  memoryCapacityBytes,
  storedMemoryRequestBytes,
  nodeBoundingCapabilities,
  nodeContainerExists,
  capSysResource,
  waitForReadyPods,
  execInContainer,
  timeouts,
  type QosClass,
} from '../../src/harness/index.ts';

const equal = '{ requests: { cpu: 10m, memory: 16Mi }, limits: { cpu: 10m, memory: 16Mi } }';
const limitsOnly = '{ limits: { cpu: 10m, memory: 16Mi } }';
const requestBelowLimit = '{ requests: { cpu: 10m, memory: 8Mi }, limits: { cpu: 10m, memory: 16Mi } }';
const memoryRequest = '{ requests: { memory: 8Mi } }';

const qosCases = [
  { name: 'all-equal', init: equal, first: equal, second: equal },
  { name: 'limits-only', init: limitsOnly, first: limitsOnly, second: limitsOnly },
  { name: 'init-without-resources', init: '{}', first: equal, second: equal },
  { name: 'request-below-limit', init: equal, first: equal, second: requestBelowLimit },
  { name: 'nothing-set', init: '{}', first: '{}', second: '{}' },
  { name: 'only-init-requests', init: memoryRequest, first: '{}', second: '{}' },
] as const;

test('a pod gets the QoS class its containers, init containers included, give it', law('QOS-1'), async ({ objects, check }) => {
  for (const qos of qosCases) {
    // The pod as the API server stored it (the create answer): status.qosClass is set on admission.
    const [created] = await objects.apply('node-pressure/qos.yaml', qos);
    const stored = created as V1Pod | undefined;
    const containers = [...(stored?.spec?.initContainers ?? []), ...(stored?.spec?.containers ?? [])].map((c) => ({
      ...(c.resources?.requests === undefined ? {} : { requests: c.resources.requests }),
      ...(c.resources?.limits === undefined ? {} : { limits: c.resources.limits }),
    }));
    check.fact(
      `${qos.name} qosClass`,
      documentedQosClass(containers),
      stored?.status?.qosClass ?? 'none',
      'status.qosClass of the stored pod; expected from its stored containers by the pod-qos rule',
    );
  }
});

test(
  'default hard thresholds apply only when none is set: nodes that set disk thresholds have no memory threshold',
  law('NPE-1'),
  async ({ cluster, check }) => {
    // Every node, the loss workers too: their configz was read at the run's start, before any fault froze a kubelet.
    const judged = await listNodes(cluster.kube);
    for (const node of judged) {
      const name = node.metadata?.name ?? '';
      const kubelet = kubeletTimingFor(cluster.timing, name);
      if (kubelet.evictionHard.source !== 'cluster') {
        check.fact(`${name} evictionHard`, 'read from configz', describeSource(kubelet.evictionHard), 'kubelet configz', false);
        continue;
      }
      const thresholds = kubelet.evictionHard.value;
      const keys = Object.keys(thresholds).sort();
      const role = node.metadata?.labels?.['podlaw.dev/role'] ?? 'none';
      // Any threshold set means the documented defaults are not inherited: memory.available is absent
      // (no memory eviction) unless this node sets it itself.
      const expected =
        role === 'pressure'
          ? 'imagefs.available, memory.available, nodefs.available, nodefs.inodesFree'
          : 'imagefs.available, nodefs.available, nodefs.inodesFree';
      check.fact(`${name} (role ${role}) thresholds set`, expected, keys.join(', '), describeSource(kubelet.evictionHard));
      if (role !== 'pressure') {
        check.fact(
          `${name} memory.available`,
          'unset (the 100Mi default is not inherited)',
          thresholds['memory.available'] ?? 'unset (the 100Mi default is not inherited)',
          describeSource(kubelet.evictionHard),
        );
      }
    }
  },
);

const oomCases: readonly { readonly name: string; readonly qos: QosClass; readonly resources: string }[] = [
  { name: 'guaranteed', qos: 'Guaranteed', resources: equal },
  { name: 'burstable', qos: 'Burstable', resources: '{ requests: { memory: 100Mi } }' },
  { name: 'besteffort', qos: 'BestEffort', resources: '{}' },
];

test(
  'each container gets the oom_score_adj of its QoS class',
  law('NPE-7'),
  async ({ cluster, objects, watch, namespace, check }, testInfo) => {
    const node = (await listNodes(cluster.kube, 'podlaw.dev/role=general'))[0];
    const nodeName = node?.metadata?.name;
    if (node === undefined || nodeName === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general');
    for (const pod of oomCases) await objects.apply('node-pressure/oom-score.yaml', { ...pod, node: nodeName });
    const running = await waitForReadyPods(watch, oomCases.length, timeouts.podStart);
    const capacity = memoryCapacityBytes(node);
    const readings = new Map<string, { expected: number; measured: number; pod: V1Pod }>();
    for (const pod of running) {
      const name = pod.metadata?.name ?? '';
      const oomCase = oomCases.find((c) => c.name === name);
      if (oomCase === undefined) continue;
      const read = await execInContainer(cluster.kube, { namespace, pod: name, container: 'app' }, ['cat', '/proc/1/oom_score_adj']);
      const expected = documentedOomScoreAdj(oomCase.qos, storedMemoryRequestBytes(pod), capacity);
      readings.set(name, { expected, measured: Number(read.stdout.trim()), pod });
    }
    const lowered = readings.get('guaranteed');
    // Lowering an oom_score_adj below the process's current value needs CAP_SYS_RESOURCE; a kind node
    // container whose bounding set lacks it cannot give a Guaranteed container -997.
    if (lowered !== undefined && lowered.measured !== lowered.expected && (await nodeContainerExists(nodeName))) {
      const bounding = await nodeBoundingCapabilities(nodeName);
      if ((bounding & (1n << capSysResource)) === 0n) {
        const seen = [...readings].map(([name, r]) => `${name} ${r.measured} (documented ${r.expected})`).join(', ');
        notApplicable(
          testInfo,
          `the host forbids lowering oom_score_adj: node container ${nodeName} CapBnd 0x${bounding.toString(16)} lacks CAP_SYS_RESOURCE (bit 24); read from /proc/1/oom_score_adj: ${seen}`,
        );
      }
    }
    for (const [name, reading] of readings) {
      check.fact(
        `${name} oom_score_adj`,
        String(reading.expected),
        String(reading.measured),
        `/proc/1/oom_score_adj in the container; expected from its QoS class, request and node capacity ${capacity} bytes`,
      );
    }
  },
);
