/**
 * Effective feature gates of a component, read from its /metrics endpoint: every
 * component exports `kubernetes_feature_enabled{name="Gate",stage="BETA"} 1`. That is
 * the only place the effective value of a gate left at its default can be read.
 */
export type FeatureGateStates = ReadonlyMap<string, boolean>;

const metricLine = /^kubernetes_feature_enabled\{([^}]*)\}\s+([0-9.eE+-]+)\s*$/;
const label = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export function parseFeatureGateMetrics(metricsText: string): FeatureGateStates {
  const gates = new Map<string, boolean>();
  for (const line of metricsText.split('\n')) {
    const match = metricLine.exec(line.trim());
    if (match === null) continue;
    const labels = new Map([...(match[1] ?? '').matchAll(label)].map((m) => [m[1] ?? '', m[2] ?? ''] as const));
    const name = labels.get('name');
    if (name === undefined) continue;
    gates.set(name, Number(match[2]) === 1);
  }
  return gates;
}
