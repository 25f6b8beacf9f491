/**
 * Running a command inside a container through the API server (the exec subresource),
 * the way `kubectl exec` does.
 */
import { Writable } from 'node:stream';
import { Exec } from '@kubernetes/client-node';
import type { V1Status } from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';
import { execOutcomeFromStatus } from './exec-status.ts';
import type { ExecOutcome } from './exec-status.ts';

export interface ContainerRef {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export interface ExecResult {
  readonly outcome: ExecOutcome;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * How far an exec got, for callers that must tell "the command never ran" from "the
 * command ran and its session died before reporting": the second happens when the
 * container dies under the command (a kill of the container's own PID 1).
 */
export type ExecFailure =
  /** The API server or kubelet refused the session (no such pod or container, not running…): nothing ran. */
  | { readonly stage: 'not-started'; readonly cause: unknown }
  /** The session opened, then closed or broke without the Status that carries the exit code. */
  | { readonly stage: 'no-status'; readonly cause: unknown }
  /** The command ran to an outcome other than exit 0. */
  | { readonly stage: 'completed'; readonly result: ExecResult };

export class ExecFailedError extends Error {
  readonly target: ContainerRef;
  readonly command: readonly string[];
  readonly failure: ExecFailure;

  constructor(target: ContainerRef, command: readonly string[], failure: ExecFailure) {
    super(`exec ${JSON.stringify(command)} in ${target.namespace}/${target.pod}[${target.container}] ${describeFailure(failure)}`, {
      cause: failure.stage === 'completed' ? undefined : failure.cause,
    });
    this.name = 'ExecFailedError';
    this.target = target;
    this.command = command;
    this.failure = failure;
  }

  /** The command's outcome, when it ran to one. */
  get result(): ExecResult | undefined {
    return this.failure.stage === 'completed' ? this.failure.result : undefined;
  }
}

function describeFailure(failure: ExecFailure): string {
  if (failure.stage === 'not-started') return 'could not be started';
  if (failure.stage === 'no-status') return 'ended without reporting an exit status (the session closed)';
  return describeOutcome(failure.result);
}

function describeOutcome(result: ExecResult): string {
  const stderr = result.stderr.trim() === '' ? '' : `: ${result.stderr.trim()}`;
  if (result.outcome.kind === 'exited') return `exited ${result.outcome.exitCode}${stderr}`;
  return `failed (${result.outcome.reason}: ${result.outcome.message})${stderr}`;
}

class Collector extends Writable {
  readonly #chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#chunks.push(Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/** Runs a command and returns its outcome, whatever the exit code. */
export async function execInContainer(kube: KubeClients, target: ContainerRef, command: readonly string[]): Promise<ExecResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const exec = new Exec(kube.config);
  const status = await new Promise<V1Status>((resolve, reject) => {
    exec
      .exec(target.namespace, target.pod, target.container, [...command], stdout, stderr, null, false, resolve)
      .then((socket) => {
        // The status message resolves first when there is one; a later close or error is then ignored.
        socket.on('close', () => {
          reject(new ExecFailedError(target, command, { stage: 'no-status', cause: new Error('exec stream closed without a status') }));
        });
        socket.on('error', (error: unknown) => reject(new ExecFailedError(target, command, { stage: 'no-status', cause: error })));
      })
      .catch((error: unknown) => reject(new ExecFailedError(target, command, { stage: 'not-started', cause: error })));
  });
  return { outcome: execOutcomeFromStatus(status), stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs a command that must exit 0; returns its stdout. */
export async function execOk(kube: KubeClients, target: ContainerRef, command: readonly string[]): Promise<string> {
  const result = await execInContainer(kube, target, command);
  if (result.outcome.kind !== 'exited' || result.outcome.exitCode !== 0) {
    throw new ExecFailedError(target, command, { stage: 'completed', result });
  }
  return result.stdout;
}
