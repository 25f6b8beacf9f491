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

export class ExecFailedError extends Error {
  readonly target: ContainerRef;
  readonly command: readonly string[];
  readonly result: ExecResult | undefined;

  constructor(target: ContainerRef, command: readonly string[], result: ExecResult | undefined, cause?: unknown) {
    const what = result === undefined ? 'could not be started' : describeOutcome(result);
    super(`exec ${JSON.stringify(command)} in ${target.namespace}/${target.pod}[${target.container}] ${what}`, {
      cause,
    });
    this.name = 'ExecFailedError';
    this.target = target;
    this.command = command;
    this.result = result;
  }
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
        socket.on('close', () => {
          // A socket closed without a status message means the command never reported an exit.
          reject(new ExecFailedError(target, command, undefined, new Error('exec stream closed without a status')));
        });
        socket.on('error', (error: unknown) => reject(new ExecFailedError(target, command, undefined, error)));
      })
      .catch((error: unknown) => reject(new ExecFailedError(target, command, undefined, error)));
  });
  return { outcome: execOutcomeFromStatus(status), stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs a command that must exit 0; returns its stdout. */
export async function execOk(kube: KubeClients, target: ContainerRef, command: readonly string[]): Promise<string> {
  const result = await execInContainer(kube, target, command);
  if (result.outcome.kind !== 'exited' || result.outcome.exitCode !== 0) throw new ExecFailedError(target, command, result);
  return result.stdout;
}
