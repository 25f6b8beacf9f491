/**
 * The cluster's timing settings, each with its source. Control-plane flags come from
 * the static pods' commands in kube-system, kubelet settings from each node's configz
 * and metrics; whatever cannot be read falls back to the documented default for the
 * server's version, and says so.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { documentedDefaults } from './defaults.ts';
import type { DocumentedDefault, DocumentedDefaults, ProbeDefaults } from './defaults.ts';
import type { FeatureGateStates } from './feature-gates.ts';
import { parseFlags } from './flags.ts';
import { parseGoDuration } from './go-duration.ts';
import { readKubelet } from './kubelet.ts';
import type { KubeletView } from './kubelet.ts';
import { fromCluster, fromDefault } from './sourced-setting.ts';
import type { Setting } from './sourced-setting.ts';
import type { ServerVersion } from './version.ts';
import { versionLabel } from './version.ts';

export interface KubeletTiming {
  readonly node: string;
  readonly nodeStatusUpdateFrequencyMs: Setting<number>;
  readonly evictionPressureTransitionPeriodMs: Setting<number>;
  readonly evictionHard: Setting<Readonly<Record<string, string>>>;
  readonly crashLoopBackOffInitialMs: Setting<number>;
  readonly crashLoopBackOffMaxMs: Setting<number>;
}

export interface ClusterTiming {
  readonly version: ServerVersion;
  readonly nodeMonitorGracePeriodMs: Setting<number>;
  readonly nodeMonitorPeriodMs: Setting<number>;
  readonly nodeEvictionRate: Setting<number>;
  readonly unhealthyZoneThreshold: Setting<number>;
  readonly defaultNotReadyTolerationSeconds: Setting<number>;
  readonly defaultUnreachableTolerationSeconds: Setting<number>;
  readonly terminationGracePeriodSeconds: Setting<number>;
  readonly preStopGraceExtensionSeconds: Setting<number>;
  readonly probeDefaults: Setting<ProbeDefaults>;
  /** By node name. */
  readonly kubelets: Readonly<Record<string, KubeletTiming>>;
}

/** Flags of one control-plane component, or why they could not be read. */
export type ComponentFlags =
  | { readonly readable: true; readonly component: string; readonly flags: ReadonlyMap<string, string> }
  | { readonly readable: false; readonly component: string; readonly reason: string };

export interface TimingInputs {
  readonly version: ServerVersion;
  readonly controllerManager: ComponentFlags;
  readonly apiServer: ComponentFlags;
  readonly kubelets: readonly KubeletView[];
}

function documented<T>(value: DocumentedDefault<T>, version: ServerVersion, why: string): Setting<T> {
  return fromDefault(value.value, `${value.reference}; ${versionLabel(version)}; ${why}`);
}

function flagSetting<T>(
  component: ComponentFlags,
  flag: string,
  parse: (text: string) => T,
  fallback: DocumentedDefault<T>,
  version: ServerVersion,
): Setting<T> {
  if (!component.readable) return documented(fallback, version, `${component.component} flags not readable: ${component.reason}`);
  const text = component.flags.get(flag);
  if (text === undefined) return documented(fallback, version, `--${flag} not set on ${component.component}`);
  return fromCluster(parse(text), `${component.component} --${flag}=${text}`);
}

const seconds = (text: string): number => Number.parseInt(text, 10);

export function crashLoopBackOff(
  view: KubeletView,
  defaults: DocumentedDefaults,
  version: ServerVersion,
): { readonly initialMs: Setting<number>; readonly maxMs: Setting<number> } {
  const gates: FeatureGateStates | undefined = view.featureGates;
  if (gates === undefined) {
    const why = `kubelet metrics on ${view.node} not readable: ${view.featureGatesError ?? 'unknown'}`;
    return {
      initialMs: documented(defaults.crashLoopBackOffInitialMs, version, why),
      maxMs: documented(defaults.crashLoopBackOffMaxMs, version, why),
    };
  }
  // Mirrors the kubelet's newCrashLoopBackOff: the reduced decay gate lowers both ends,
  // the max gate makes the configured maxContainerRestartPeriod win.
  const reduced = gates.get('ReduceDefaultCrashLoopBackOffDecay') === true;
  let initialMs = reduced ? 1_000 : defaults.crashLoopBackOffInitialMs.value;
  let maxMs = reduced ? 60_000 : defaults.crashLoopBackOffMaxMs.value;
  const parts = [`ReduceDefaultCrashLoopBackOffDecay=${reduced}`];
  // A value is "cluster" only when it was read from the cluster (configz); the kubelet's
  // built-in constants (kubelet.go initialCrashLoopBackOff, MaxCrashLoopBackOff and their
  // reduced variants) stay "default", the gates read from metrics only select among them.
  let maxFromConfigz = false;
  let initialFromConfigz = false;
  if (gates.get('KubeletCrashLoopBackOffMax') === true) {
    const configured = view.configz?.crashLoopBackOff?.maxContainerRestartPeriod;
    parts.push('KubeletCrashLoopBackOffMax=true');
    if (configured !== undefined) {
      maxMs = parseGoDuration(configured);
      maxFromConfigz = true;
      parts.push(`maxContainerRestartPeriod=${configured}`);
      if (maxMs < initialMs) {
        initialMs = maxMs;
        initialFromConfigz = true;
      }
    }
  }
  const detail = `kubelet ${view.node} feature gates (metrics) and configz: ${parts.join(', ')}`;
  const constant = `kubelet built-in constant (pkg/kubelet/kubelet.go newCrashLoopBackOff) selected by ${detail}`;
  return {
    initialMs: initialFromConfigz ? fromCluster(initialMs, detail) : fromDefault(initialMs, constant),
    maxMs: maxFromConfigz ? fromCluster(maxMs, detail) : fromDefault(maxMs, constant),
  };
}

export function kubeletTiming(view: KubeletView, defaults: DocumentedDefaults, version: ServerVersion): KubeletTiming {
  const config = view.configz;
  const unreadable = `configz of ${view.node} not readable: ${view.configzError ?? 'unknown'}`;
  const durationField = (field: string | undefined, name: string, fallback: DocumentedDefault<number>): Setting<number> => {
    if (config === undefined) return documented(fallback, version, unreadable);
    if (field === undefined) return documented(fallback, version, `${name} absent from configz of ${view.node}`);
    return fromCluster(parseGoDuration(field), `kubelet ${view.node} configz ${name}=${field}`);
  };
  const backOff = crashLoopBackOff(view, defaults, version);
  return {
    node: view.node,
    nodeStatusUpdateFrequencyMs: durationField(
      config?.nodeStatusUpdateFrequency,
      'nodeStatusUpdateFrequency',
      defaults.nodeStatusUpdateFrequencyMs,
    ),
    evictionPressureTransitionPeriodMs: durationField(
      config?.evictionPressureTransitionPeriod,
      'evictionPressureTransitionPeriod',
      defaults.evictionPressureTransitionPeriodMs,
    ),
    evictionHard:
      config === undefined
        ? documented(defaults.evictionHard, version, unreadable)
        : config.evictionHard === undefined
          ? documented(defaults.evictionHard, version, `evictionHard absent from configz of ${view.node}`)
          : fromCluster(config.evictionHard, `kubelet ${view.node} configz evictionHard`),
    crashLoopBackOffInitialMs: backOff.initialMs,
    crashLoopBackOffMaxMs: backOff.maxMs,
  };
}

/** Pure: turns what could be read into settings with sources. */
export function deriveClusterTiming(inputs: TimingInputs): ClusterTiming {
  const { version } = inputs;
  const defaults = documentedDefaults(version);
  const kcm = inputs.controllerManager;
  const api = inputs.apiServer;
  const noApiFor = 'the API offers no way to read it';
  return {
    version,
    nodeMonitorGracePeriodMs: flagSetting(kcm, 'node-monitor-grace-period', parseGoDuration, defaults.nodeMonitorGracePeriodMs, version),
    nodeMonitorPeriodMs: flagSetting(kcm, 'node-monitor-period', parseGoDuration, defaults.nodeMonitorPeriodMs, version),
    nodeEvictionRate: flagSetting(kcm, 'node-eviction-rate', Number, defaults.nodeEvictionRate, version),
    unhealthyZoneThreshold: flagSetting(kcm, 'unhealthy-zone-threshold', Number, defaults.unhealthyZoneThreshold, version),
    defaultNotReadyTolerationSeconds: flagSetting(
      api,
      'default-not-ready-toleration-seconds',
      seconds,
      defaults.defaultNotReadyTolerationSeconds,
      version,
    ),
    defaultUnreachableTolerationSeconds: flagSetting(
      api,
      'default-unreachable-toleration-seconds',
      seconds,
      defaults.defaultUnreachableTolerationSeconds,
      version,
    ),
    terminationGracePeriodSeconds: documented(defaults.terminationGracePeriodSeconds, version, noApiFor),
    preStopGraceExtensionSeconds: documented(defaults.preStopGraceExtensionSeconds, version, noApiFor),
    probeDefaults: documented(defaults.probe, version, 'applied by API defaulting'),
    kubelets: Object.fromEntries(inputs.kubelets.map((view) => [view.node, kubeletTiming(view, defaults, version)])),
  };
}

/** The kubelet settings of a node, or the documented ones when that node was not read. */
export function kubeletTimingFor(timing: ClusterTiming, node: string): KubeletTiming {
  const known = timing.kubelets[node];
  if (known !== undefined) return known;
  return kubeletTiming(
    { node, configz: undefined, configzError: 'node not read', featureGates: undefined, featureGatesError: 'node not read' },
    documentedDefaults(timing.version),
    timing.version,
  );
}

async function readComponentFlags(kube: KubeClients, component: string): Promise<ComponentFlags> {
  let pods: V1Pod[];
  try {
    pods = (await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: `component=${component}` })).items;
  } catch (error) {
    return { readable: false, component, reason: error instanceof Error ? error.message : String(error) };
  }
  const container = pods[0]?.spec?.containers[0];
  if (container === undefined) {
    return { readable: false, component, reason: `no pod labelled component=${component} in kube-system (managed control plane?)` };
  }
  return { readable: true, component, flags: parseFlags([...(container.command ?? []), ...(container.args ?? [])]) };
}

/**
 * Reads the control plane's flags and every node's kubelet (or only `onlyNodes`' kubelets: a check of what a user may
 * read need not wait for a node another test holds paused).
 */
export async function readClusterTiming(kube: KubeClients, version: ServerVersion, onlyNodes?: readonly string[]): Promise<ClusterTiming> {
  const nodes = onlyNodes ?? (await kube.core.listNode()).items.map((n) => n.metadata?.name).filter((n): n is string => n !== undefined);
  const [controllerManager, apiServer, kubelets] = await Promise.all([
    readComponentFlags(kube, 'kube-controller-manager'),
    readComponentFlags(kube, 'kube-apiserver'),
    Promise.all(nodes.map((node) => readKubelet(kube, node))),
  ]);
  return deriveClusterTiming({ version, controllerManager, apiServer, kubelets });
}
