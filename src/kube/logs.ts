/**
 * Container logs: read (current or previous instance) or followed until a line appears.
 */
import { Writable } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';
import { unlessNotFound, httpStatusOf } from './api-errors.ts';
import type { NamedTimeout } from './named-timeout.ts';
import { WaitTimeoutError } from './wait.ts';

export async function readContainerLog(
  kube: KubeClients,
  namespace: string,
  pod: string,
  container: string,
  options: { readonly previous?: boolean; readonly tailLines?: number } = {},
): Promise<string | undefined> {
  try {
    return await unlessNotFound(() =>
      kube.core.readNamespacedPodLog({
        name: pod,
        namespace,
        container,
        previous: options.previous ?? false,
        timestamps: true,
        ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
      }),
    );
  } catch (error) {
    // 400 is how the API says "no such container instance" (e.g. no previous one yet).
    if (httpStatusOf(error) === 400) return undefined;
    throw error;
  }
}

/**
 * Follows a container's log (a stream, like `kubectl logs -f`) until a line matches,
 * and resolves with the match; rejects after the named timeout with the lines seen.
 */
export async function waitForLogLine(
  kube: KubeClients,
  target: { readonly namespace: string; readonly pod: string; readonly container: string },
  pattern: RegExp,
  timeout: NamedTimeout,
): Promise<RegExpExecArray> {
  const seen: string[] = [];
  let pending = '';
  let controller: AbortController | undefined;
  let deadline: NodeJS.Timeout | undefined;
  try {
    return await new Promise<RegExpExecArray>((resolve, reject) => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback): void {
          pending += chunk.toString('utf8');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            seen.push(line);
            const match = pattern.exec(line);
            if (match !== null) resolve(match);
          }
          callback();
        },
      });
      // client-node pipes the response into the sink without an error handler; aborting
      // the request (which ends every follow) would then surface as an uncaught error.
      sink.on('pipe', (source: NodeJS.ReadableStream) => {
        source.on('error', (error: unknown) => {
          if (controller?.signal.aborted !== true) reject(error);
        });
      });
      deadline = setTimeout(() => {
        reject(
          new WaitTimeoutError(
            `a line matching ${String(pattern)} in the log of ${target.namespace}/${target.pod}[${target.container}]`,
            timeout,
            seen.slice(-20),
          ),
        );
      }, timeout.ms);
      new Log(kube.config)
        .log(target.namespace, target.pod, target.container, sink, { follow: true })
        .then((c) => {
          controller = c;
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(deadline);
    controller?.abort();
  }
}
