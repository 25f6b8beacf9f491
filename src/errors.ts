/**
 * Errors a user can act on. Every one renders as a single line that says what is
 * wrong and how to fix it, and maps to its own process exit code so that CI and
 * wrapper scripts can branch on the kind of failure without parsing text.
 */

export const exitCodes = {
  lawsFailed: 1,
  usage: 2,
  noPermission: 10,
  diskSpace: 11,
  dockerd: 12,
  portTaken: 13,
  build: 14,
  cluster: 15,
  destructiveOptIn: 16,
  kubeconfig: 17,
  liveRuns: 18,
  cleanIncomplete: 19,
  forbidden: 20,
  interrupted: 130,
} as const;

export type PodlawErrorKind = keyof typeof exitCodes;

export class PodlawError extends Error {
  readonly kind: PodlawErrorKind;
  readonly exitCode: number;
  /** What the user should do about it; appended to the one-line message. */
  readonly hint: string;
  /** Extra lines (a log tail, the last object seen) printed under the one-line message. */
  readonly detail: string | undefined;

  constructor(kind: PodlawErrorKind, message: string, hint: string, options?: { detail?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PodlawError';
    this.kind = kind;
    this.exitCode = exitCodes[kind];
    this.hint = hint;
    this.detail = options?.detail;
  }

  oneLine(): string {
    return `podlaw: ${this.message} — ${this.hint}`;
  }
}

export function isPodlawError(error: unknown): error is PodlawError {
  return error instanceof PodlawError;
}

/**
 * Prints the error the way every podlaw entry point does and returns the exit code:
 * one line for errors podlaw understands, the stack for anything else (a bug).
 */
export function reportFatal(error: unknown, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  error = forbiddenAsPodlawError(error) ?? error;
  if (isPodlawError(error)) {
    write(error.oneLine());
    if (error.detail !== undefined && error.detail.trim() !== '') write(error.detail.trimEnd());
    return error.exitCode;
  }
  write(`podlaw: unexpected internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 70;
}

/**
 * How every entry point (scripts/*.ts, src/cli/main.ts) runs its command: the command's
 * exit code (0 when it returns nothing) or the code reportFatal chooses for its error.
 */
export async function runEntryPoint(command: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await command()) ?? 0;
  } catch (error) {
    process.exitCode = reportFatal(error);
  }
}

/** The checked-in least-privilege manifest a refused request points to. */
export const rbacManifestPath = 'deploy/rbac/podlaw.yaml';

/**
 * The API server's refusal (HTTP 403, its Status message naming user, verb, resource and
 * scope) as one actionable line. client-node raises ApiException with `code` and the
 * Status as `body` (a JSON string); checked by shape so the base layer needs no client import.
 * undefined when the error is not a 403.
 */
export function forbiddenAsPodlawError(error: unknown): PodlawError | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== 403) return undefined;
  const body: unknown = 'body' in error ? error.body : undefined;
  let message: unknown;
  try {
    message = (typeof body === 'string' ? (JSON.parse(body) as { message?: unknown }) : (body as { message?: unknown } | undefined))
      ?.message;
  } catch {
    message = undefined;
  }
  const refusal = typeof message === 'string' && message !== '' ? message : 'the API server refused a request (HTTP 403)';
  return new PodlawError(
    'forbidden',
    `permission missing: ${refusal}`,
    `grant it with ${rbacManifestPath} (README "Least-privilege access"; node faults need its podlaw-destructive role)`,
    { cause: error },
  );
}
