/**
 * The upstream e2e tests (k8s.io/kubernetes/test/e2e of the pinned release) that check the
 * same rules as podlaw's laws and run on kind without a cloud provider. Each row names
 * upstream's own spec texts (matched as a Ginkgo focus); nothing of upstream's code is copied.
 * Tests whose pods run /bin/bash or curl in agnhost are left out: podlaw's agnhost image
 * carries busybox's sh and wget, not bash or curl (src/provision/build/agnhost-image.ts).
 */

/** An upstream spec: its container's text and its It's text (Ginkgo joins them, labels such as [Serial] between). */
export type UpstreamSpec = readonly [container: string, it: string];

export interface UpstreamRule {
  /** The podlaw law checking the same rule (an id of src/laws/catalog). */
  readonly law: string;
  /** The rule in a few words. */
  readonly rule: string;
  readonly specs: readonly UpstreamSpec[];
  /** Why upstream's verdict can differ from podlaw's on this cluster, when it can. */
  readonly note?: string;
}

const probing = 'Probing container';
const hooks = 'Container Lifecycle Hook when create a pod with lifecycle hook';
const taints = 'NoExecuteTaintManager Single Pod';

export const upstreamRules: readonly UpstreamRule[] = [
  {
    law: 'PRB-2',
    rule: 'liveness failures restart the container',
    specs: [[probing, 'should be restarted with a exec "cat /tmp/health" liveness probe']],
  },
  {
    law: 'PRB-3',
    rule: 'readiness gates Ready and never restarts',
    specs: [
      [probing, 'with readiness probe should not be ready before initial delay and never restart'],
      [probing, 'with readiness probe that fails should never be ready and never restart'],
    ],
  },
  {
    law: 'PRB-4',
    rule: 'a startup probe holds liveness off; its failure restarts',
    specs: [
      [probing, 'should be restarted startup probe fails'],
      [probing, 'should *not* be restarted by liveness probe because startup probe delays it'],
    ],
  },
  {
    law: 'PRB-5',
    rule: "a liveness kill uses the probe's grace period",
    specs: [[probing, 'should override timeoutGracePeriodSeconds when LivenessProbe field is set']],
  },
  { law: 'RST-1', rule: 'restarts count up, with back-off', specs: [[probing, 'should have monotonically increasing restart count']] },
  {
    law: 'HK-1',
    rule: 'postStart and preStop hooks run',
    // The http variants: upstream's exec variants run curl inside agnhost, which podlaw's image does not carry.
    specs: [
      [hooks, 'should execute poststart http hook properly'],
      [hooks, 'should execute prestop http hook properly'],
    ],
  },
  {
    law: 'TRM-2',
    rule: 'deletion waits for preStop within the grace period',
    specs: [['PreStop', 'graceful pod terminated should wait until preStop hook completes the process']],
  },
  {
    law: 'NOD-5',
    rule: 'NoExecute taints evict; tolerationSeconds delay; removal cancels',
    specs: [
      [taints, 'evicts pods from tainted nodes'],
      [taints, 'eventually evict pod with finite tolerations from tainted nodes'],
      [taints, 'removing taint cancels eviction'],
    ],
  },
  {
    law: 'EVA-1',
    rule: 'the Eviction API honours disruption budgets',
    specs: [['DisruptionController', 'should block an eviction until the PDB is updated to allow it']],
  },
];

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A Ginkgo focus regex for one spec: its container's text right after the SIG label (so
 * "Restartable Init Container Lifecycle Hook" does not match "Container Lifecycle Hook"),
 * anything between (labels), its It's text.
 */
export function focusFor([container, it]: UpstreamSpec): string {
  return `(^|\\] )${escaped(container)}.* ${escaped(it)}`;
}

/** Whether a spec's full text (containers and It joined by spaces) is this upstream spec. */
export function matchesSpec(fullText: string, spec: UpstreamSpec): boolean {
  return new RegExp(focusFor(spec)).test(fullText);
}
