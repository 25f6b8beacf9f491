/**
 * Names podlaw gives to what it creates. Pure.
 */
const maxLabel = 63;

export function slug(text: string, max: number): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned.slice(0, max).replace(/-+$/g, '');
}

/** `podlaw-<run>-<test slug>-<suffix>`, a valid DNS label (≤ 63 characters). */
export function namespaceName(runId: string, testTitle: string, suffix: string): string {
  const fixed = `podlaw-${runId}--${suffix}`;
  const room = Math.max(0, maxLabel - fixed.length);
  const middle = slug(testTitle, room);
  return middle === '' ? `podlaw-${runId}-${suffix}` : `podlaw-${runId}-${middle}-${suffix}`;
}

export function randomSuffix(random: () => number = Math.random): string {
  return Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
}

export const runLabels = {
  managedBy: 'app.kubernetes.io/managed-by',
  runId: 'podlaw.dev/run-id',
  testId: 'podlaw.dev/test-id',
} as const;
