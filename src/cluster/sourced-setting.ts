/**
 * A timing value together with where it came from: read from the cluster, or the
 * documented default because the cluster would not tell.
 */
export type SettingSource = 'cluster' | 'default';

export interface Setting<T> {
  readonly value: T;
  readonly source: SettingSource;
  /** Which flag, file or document, and why that source was used. */
  readonly detail: string;
}

export function fromCluster<T>(value: T, detail: string): Setting<T> {
  return { value, source: 'cluster', detail };
}

export function fromDefault<T>(value: T, detail: string): Setting<T> {
  return { value, source: 'default', detail };
}

export function describeSource(setting: Setting<unknown>): string {
  return setting.source === 'cluster' ? `cluster (${setting.detail})` : `documented default (${setting.detail})`;
}
