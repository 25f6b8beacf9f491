/**
 * Go's time.Duration text form, as flags and kubelet configz print it
 * ("40s", "5m0s", "1h2m3.5s", "100ms"). Returns milliseconds.
 */
const units: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export function parseGoDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const body = trimmed.replace(/^[-+]/, '');
  pattern.lastIndex = 0;
  while ((match = pattern.exec(body)) !== null) {
    const unit = units[match[2] ?? ''];
    if (unit === undefined) break;
    total += Number(match[1]) * unit;
    consumed = pattern.lastIndex;
  }
  if (body === '' || consumed !== body.length) throw new Error(`not a Go duration: ${JSON.stringify(text)}`);
  return sign * total;
}
