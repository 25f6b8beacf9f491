/**
 * What admission changed between the manifest podlaw sent and the object as stored. Pure.
 * Expectations are computed from the stored object; each difference is reported as
 * "admission changed X from A to B", and the law is judged against what the documentation
 * promises for what was sent (issue 7 item 2).
 */

export interface AdmissionChange {
  readonly path: string;
  readonly sent: unknown;
  readonly stored: unknown;
}

/** Differences at the given dotted paths ("spec.terminationGracePeriodSeconds", "spec.tolerations"). */
export function admissionChanges(sent: unknown, stored: unknown, paths: readonly string[]): AdmissionChange[] {
  return paths
    .map((path) => ({ path, sent: at(sent, path), stored: at(stored, path) }))
    .filter((change) => JSON.stringify(change.sent) !== JSON.stringify(change.stored));
}

export function describeChange(change: AdmissionChange): string {
  const show = (value: unknown): string => (value === undefined ? 'unset' : JSON.stringify(value));
  return `admission changed ${change.path} from ${show(change.sent)} to ${show(change.stored)}`;
}

function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Every value podlaw sent under `root` ("spec") that the stored object holds otherwise:
 * leaves of the sent manifest only, so fields the API server defaults (which podlaw did
 * not send) are not reported as changes, while a rewritten or removed value is.
 */
export function sentFieldChanges(sent: unknown, stored: unknown, root: string): AdmissionChange[] {
  return leafPaths(at(sent, root), root)
    .map((path) => ({ path, sent: at(sent, path), stored: at(stored, path) }))
    .filter((change) => JSON.stringify(change.sent) !== JSON.stringify(change.stored));
}

function leafPaths(value: unknown, prefix: string): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([key, inner]) => leafPaths(inner, `${prefix}.${key}`));
}
