/**
 * Flags of a control-plane component as written in its static pod's command.
 * Accepts `--name=value`, `--name value` and bare boolean `--name`.
 */
export function parseFlags(command: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < command.length; i += 1) {
    const arg = command[i] ?? '';
    if (!arg.startsWith('--')) continue;
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags.set(body.slice(0, eq), body.slice(eq + 1));
      continue;
    }
    const next = command[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(body, next);
      i += 1;
    } else {
      flags.set(body, 'true');
    }
  }
  return flags;
}
