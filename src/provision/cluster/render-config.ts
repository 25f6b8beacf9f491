/**
 * Renders kind-config.yaml for this host. Every kind node reports the whole host's
 * memory as its capacity, and memory.available is that capacity minus the node
 * container's own working set. A threshold of (capacity - headroom) therefore makes
 * the pressure worker enter MemoryPressure once it uses more than `headroom`, which a
 * test can reach without filling the host (shared/laws.md, pitfall 6).
 */
import { readFileSync } from 'node:fs';

export const pressureHeadroomMiB = 1536;

export function memTotalMiB(meminfo: string): number {
  const match = /^MemTotal:\s+(\d+)\s+kB$/m.exec(meminfo);
  if (match?.[1] === undefined) throw new Error('no MemTotal line in /proc/meminfo');
  return Math.floor(Number(match[1]) / 1024);
}

export function pressureThresholdMiB(totalMiB: number, headroomMiB: number = pressureHeadroomMiB): number {
  if (totalMiB <= headroomMiB * 2) throw new Error(`host memory ${totalMiB} MiB is too small for a ${headroomMiB} MiB pressure headroom`);
  return totalMiB - headroomMiB;
}

export function renderKindConfig(template: string, meminfo: string = readFileSync('/proc/meminfo', 'utf8')): string {
  const threshold = `${pressureThresholdMiB(memTotalMiB(meminfo))}Mi`;
  const rendered = template.replaceAll('{{PRESSURE_MEMORY_AVAILABLE}}', threshold);
  const leftover = /\{\{[A-Z_]+\}\}/.exec(rendered);
  if (leftover !== null) throw new Error(`kind-config.yaml has an unknown placeholder ${leftover[0]}`);
  return rendered;
}
