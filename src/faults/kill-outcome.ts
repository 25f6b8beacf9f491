/**
 * What the exec of `kill -s SIG PID` inside a container tells about the kill. Pure.
 *
 * Killing the container's own PID 1 races with the exec session: when the init process
 * of a PID namespace exits, "the kernel terminates all of the processes in the namespace
 * via a SIGKILL signal" (pid_namespaces(7)) — the `kill` command included, if it has not
 * exited yet. Its session then ends with exit 137 (128 + SIGKILL), or closes before the
 * Status arrives. Both mean the signal may well have been delivered, but say nothing on
 * their own: they are a success only once the target container is seen to have ended.
 * Seen on podlaw's cluster: 3 of 24 `kill -s USR1 1` execs against a trapping shell exited 137.
 */
import type { V1ContainerStatus } from '@kubernetes/client-node';
import type { ExecFailure } from '../kube/exec.ts';

/** 128 + SIGKILL (9): how a shell reports a process the kernel killed. */
export const killedBySigkillExitCode = 128 + 9;

export type KillExecVerdict =
  /** The session died, possibly with the target: confirm the target container ended. */
  | { readonly kind: 'confirm-target-ended'; readonly why: string }
  /** The kill did not happen (no such process, command not found, session refused…). */
  | { readonly kind: 'failed'; readonly why: string };

/**
 * Judges a kill whose exec did not exit 0 (exit 0 means the signal was delivered). Only a
 * kill of PID 1 can take its own session down: for any other PID the container lives on,
 * so an ended session is a plain failure.
 */
export function judgeKillExec(failure: ExecFailure, pid: number): KillExecVerdict {
  const initKilled = pid === 1;
  switch (failure.stage) {
    case 'not-started':
      return { kind: 'failed', why: 'the exec session was refused: kill never ran' };
    case 'no-status':
      return initKilled
        ? { kind: 'confirm-target-ended', why: 'the exec session closed without an exit status' }
        : { kind: 'failed', why: `the exec session closed without an exit status, and pid ${pid} is not the container's init` };
    case 'completed': {
      const outcome = failure.result.outcome;
      if (outcome.kind === 'exited' && outcome.exitCode === killedBySigkillExitCode && initKilled) {
        return { kind: 'confirm-target-ended', why: `kill itself exited ${killedBySigkillExitCode} (SIGKILLed with the PID namespace)` };
      }
      const what = outcome.kind === 'exited' ? `exited ${outcome.exitCode}` : `failed (${outcome.reason})`;
      return { kind: 'failed', why: `kill ${what}` };
    }
  }
}

/**
 * Whether the container that was running as `containerID` has ended: the status names
 * it as terminated (now or as the last state), or another container instance runs or
 * waits in its place.
 */
export function containerInstanceEnded(status: V1ContainerStatus | undefined, containerID: string): boolean {
  if (status === undefined) return false;
  if (status.lastState?.terminated?.containerID === containerID) return true;
  if (status.state?.terminated?.containerID === containerID) return true;
  return status.containerID !== undefined && status.containerID !== containerID;
}
