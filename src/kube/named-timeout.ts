/**
 * A timeout is never a bare number: it carries the name of the documented value it
 * derives from, so a timeout message says what the harness expected and why.
 */
export interface NamedTimeout {
  /** What the duration is made of, e.g. "liveness 3×2 s + 1 period jitter + status slack 5 s". */
  readonly name: string;
  readonly ms: number;
}

export function namedTimeout(name: string, ms: number): NamedTimeout {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`timeout "${name}" must be a positive duration, got ${ms} ms`);
  return { name, ms };
}

/** Adds a named allowance to a timeout: "<base> + <allowance name>". */
export function plus(base: NamedTimeout, allowance: NamedTimeout): NamedTimeout {
  return namedTimeout(`${base.name} + ${allowance.name}`, base.ms + allowance.ms);
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (Number.isInteger(seconds)) return `${seconds} s`;
  return `${seconds.toFixed(1)} s`;
}

export function describeTimeout(timeout: NamedTimeout): string {
  return `${formatSeconds(timeout.ms)} (${timeout.name})`;
}
