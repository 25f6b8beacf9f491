/**
 * Timestamps written inside a pod by fixture scripts: one `<mark> <epoch seconds>[.<fraction>]`
 * per line. Pure. Fixtures read the clock with µs through adjtimex; a stamp written
 * with `date +%s.%N` by a busybox without %N support ("123.%N") still reads, at 1 s.
 */
export interface Stamp {
  readonly mark: string;
  readonly at: Date;
  /** Resolution of this stamp in ms: 1 ms with a fraction, 1000 without. */
  readonly resolutionMs: number;
}

const line = /^(\S+)\s+(\d+)(?:\.(\d+))?/;

export function parseStamps(text: string): Stamp[] {
  const stamps: Stamp[] = [];
  for (const raw of text.split('\n')) {
    const match = line.exec(raw.trim());
    if (match === null) continue;
    const seconds = Number(match[2]);
    const fraction = match[3];
    const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
    stamps.push({ mark: match[1] ?? '', at: new Date(seconds * 1000 + ms), resolutionMs: fraction === undefined ? 1000 : 1 });
  }
  return stamps;
}

export function firstStamp(stamps: readonly Stamp[], mark: string): Stamp | undefined {
  return stamps.find((s) => s.mark === mark);
}
