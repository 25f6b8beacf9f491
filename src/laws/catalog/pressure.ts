/** Laws of the family "Node-pressure eviction and QoS": node-pressure eviction, QoS classes and the OOM killer. */
import type { LawDefinition } from './law.ts';

const pressure = 'Node-pressure eviction and QoS';

export const pressureLaws = [
  {
    id: 'QOS-1',
    family: pressure,
    statement:
      'QoS class: Guaranteed when every container (init included) sets cpu and memory requests equal to limits; BestEffort when none sets any request or limit; otherwise Burstable.',
    defaults: '',
    observe: 'status.qosClass',
    docs: ['QOS'],
    upstreamTest: 'test/e2e/node/pods.go',
    timing: undefined,
  },
  {
    id: 'NPE-1',
    family: pressure,
    statement: 'Default hard thresholds apply only when no threshold is set; setting one zeroes the others unless merged.',
    defaults: 'memory.available<100Mi, nodefs.available<10%, imagefs.available<15%, nodefs.inodesFree<5%',
    observe: 'kubelet /configz',
    docs: ['NPE'],
    upstreamTest: undefined,
    timing: undefined,
  },
  {
    id: 'NPE-2',
    family: pressure,
    statement: "memory.available = capacity - working set of the node's root cgroup, sampled every housekeeping interval.",
    defaults: '10 s',
    observe: 'summary API node.memory.availableBytes',
    docs: ['NPE'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: 'housekeeping interval (10 s)',
  },
  {
    id: 'NPE-3',
    family: pressure,
    statement:
      'When a memory threshold is crossed the node gets condition MemoryPressure=True and taint node.kubernetes.io/memory-pressure:NoSchedule; the condition stays True for the transition period after relief.',
    defaults: 'transition period 5 min',
    observe: 'node conditions and taints; new BestEffort pods not scheduled there',
    docs: ['NPE', 'TAINTS'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: "the node's kubelet evictionPressureTransitionPeriod (configz, else 5 min)",
  },
  {
    id: 'NPE-4',
    family: pressure,
    statement: 'Hard eviction kills with 0 s grace, ignoring terminationGracePeriodSeconds and PodDisruptionBudgets.',
    defaults: '',
    observe: 'time from eviction to container exit',
    docs: ['NPE'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: undefined,
  },
  {
    id: 'NPE-5',
    family: pressure,
    statement:
      'Eviction ranking: first pods whose usage exceeds their request, then by Priority, then by usage minus request. QoS class itself is not consulted: Guaranteed pods and Burstable pods under their request go last, by priority. The popular "BestEffort, then Burstable, then Guaranteed" is a consequence in simple cases, not the rule.',
    defaults: '',
    observe: 'the order in which pods turn Failed/Evicted',
    docs: ['NPE'],
    upstreamTest: 'test/e2e_node/eviction_test.go (PriorityMemoryEvictionOrdering)',
    timing: undefined,
  },
  {
    id: 'NPE-6',
    family: pressure,
    statement:
      'An evicted pod gets phase Failed, reason Evicted, a message naming the starved resource, a DisruptionTarget condition, and one Evicted event; it is not restarted; its controller replaces it.',
    defaults: '',
    observe: 'status, conditions, events',
    docs: ['NPE', 'DISRUPTIONS'],
    upstreamTest: 'test/e2e_node/eviction_test.go',
    timing: undefined,
  },
  {
    id: 'NPE-7',
    family: pressure,
    statement:
      'If memory runs out before the kubelet acts, the kernel OOM killer chooses by oom_score_adj: Guaranteed -997, BestEffort 1000, Burstable in between by request.',
    defaults: '',
    observe: 'OOMKilled without Evicted',
    docs: ['NPE'],
    upstreamTest: undefined,
    timing: undefined,
  },
] as const satisfies readonly LawDefinition[];
