/** Kubernetes timestamps as client-node hands them over. Pure. */

/** A Time or MicroTime: a Date, or the RFC 3339 string off the wire (NaN when absent or unreadable). */
export function timeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
