/**
 * The exit code of a command run through the exec subresource. The API server ends
 * the stream with a Status: Success for exit 0, or Failure with reason
 * NonZeroExitCode and a cause of reason ExitCode whose message is the code.
 */
import type { V1Status } from '@kubernetes/client-node';

export type ExecOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  /** The command did not run to an exit code (container gone, command not found…). */
  | { readonly kind: 'error'; readonly reason: string; readonly message: string };

export function execOutcomeFromStatus(status: V1Status): ExecOutcome {
  if (status.status === 'Success') return { kind: 'exited', exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = cause?.message !== undefined ? Number.parseInt(cause.message, 10) : Number.NaN;
    if (Number.isInteger(code)) return { kind: 'exited', exitCode: code };
  }
  return { kind: 'error', reason: status.reason ?? 'Unknown', message: status.message ?? '' };
}
