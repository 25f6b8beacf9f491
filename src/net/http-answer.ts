/**
 * Waits until an HTTP endpoint reached from the host answers. A Service's rules are
 * programmed by kube-proxy some time after its EndpointSlice says ready, and there is
 * no API object that records when; the only evidence is a request that gets through.
 * Retries are bounded by a named timeout, and the timeout error carries the last
 * network error seen (its typed code, e.g. ECONNREFUSED).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { NamedTimeout } from '../kube/named-timeout.ts';
import { describeTimeout } from '../kube/named-timeout.ts';

export class HttpAnswerTimeoutError extends Error {
  readonly url: string;
  readonly attempts: number;
  readonly lastErrorCode: string | undefined;

  constructor(url: string, timeout: NamedTimeout, attempts: number, lastErrorCode: string | undefined) {
    super(
      `no HTTP answer from ${url} within ${describeTimeout(timeout)} after ${attempts} attempts; last error: ${lastErrorCode ?? 'none'}`,
    );
    this.name = 'HttpAnswerTimeoutError';
    this.url = url;
    this.attempts = attempts;
    this.lastErrorCode = lastErrorCode;
  }
}

/** The errno-style code of a failed fetch (undici puts it on the cause), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  for (const candidate of [cause, error]) {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'TIMEOUT';
  return undefined;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly attempts: number;
  readonly elapsedMs: number;
}

export async function waitForHttpAnswer(url: string, timeout: NamedTimeout, retryEveryMs = 250): Promise<HttpAnswer> {
  const started = Date.now();
  let attempts = 0;
  let lastErrorCode: string | undefined;
  while (Date.now() - started < timeout.ms) {
    attempts += 1;
    try {
      const response = await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(Math.min(5_000, timeout.ms)) });
      return { status: response.status, body: await response.text(), attempts, elapsedMs: Date.now() - started };
    } catch (error) {
      lastErrorCode = networkErrorCode(error) ?? 'unknown';
    }
    await delay(retryEveryMs);
  }
  throw new HttpAnswerTimeoutError(url, timeout, attempts, lastErrorCode);
}
