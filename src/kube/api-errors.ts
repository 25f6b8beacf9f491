/**
 * Typed checks on API failures. client-node raises ApiException with the HTTP status
 * in `code`; branching happens on that number, never on message text.
 */
import { ApiException } from '@kubernetes/client-node';

export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  // The Watch helper throws a plain Error carrying statusCode.
  if (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number') {
    return error.statusCode;
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return httpStatusOf(error) === 404;
}

export function isConflict(error: unknown): boolean {
  return httpStatusOf(error) === 409;
}

export function isInvalid(error: unknown): boolean {
  return httpStatusOf(error) === 422;
}

/** The Status body the API server sent with an error, if any. */
export function statusBodyOf(error: unknown): unknown {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Runs a call and turns "not found" into undefined. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
