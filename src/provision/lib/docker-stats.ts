/** Parsing of `docker stats` output. */

/** docker stats' "123.4MiB / 23.4GiB" → MiB. */
export function parseMemUsageMiB(usage: string): number {
  const match = /^([\d.]+)\s*([KMG]i?B)/.exec(usage.trim());
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`unreadable docker memory usage: ${usage}`);
  const factor: Record<string, number> = { KiB: 1 / 1024, KB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };
  return Number(match[1]) * (factor[match[2]] ?? Number.NaN);
}
