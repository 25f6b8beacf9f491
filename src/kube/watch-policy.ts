/**
 * What a resumable watch does when a watch connection ends. Pure, so the rules are
 * unit-tested: 410 Gone means the resourceVersion is too old and only a fresh list
 * can resynchronise; a clean close or an idle timeout resumes from the last version
 * seen; transport errors resume after a growing back-off; refusals stop the watch.
 */

export type WatchEnd =
  | { readonly kind: 'stopped' }
  /** The server said 410 Gone (HTTP status or an ERROR event with code 410). */
  | { readonly kind: 'gone' }
  /** The server closed the stream, or it was idle past the client's inactivity timeout. */
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly httpStatus: number | undefined; readonly error: unknown };

export type WatchAction =
  | { readonly action: 'stop' }
  | { readonly action: 'fatal'; readonly reason: string }
  | { readonly action: 'relist' }
  | { readonly action: 'resume'; readonly delayMs: number };

/** Delay before reconnecting after the n-th consecutive failure: 250 ms doubling to 5 s. */
export function reconnectDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(5_000, 250 * 2 ** (consecutiveFailures - 1));
}

export function nextWatchAction(end: WatchEnd, consecutiveFailures: number): WatchAction {
  switch (end.kind) {
    case 'stopped':
      return { action: 'stop' };
    case 'gone':
      return { action: 'relist' };
    case 'closed':
      return { action: 'resume', delayMs: 0 };
    case 'failed':
      if (end.httpStatus === 410) return { action: 'relist' };
      if (end.httpStatus === 401 || end.httpStatus === 403) {
        return { action: 'fatal', reason: `the API server refused the watch with HTTP ${end.httpStatus}` };
      }
      return { action: 'resume', delayMs: reconnectDelayMs(consecutiveFailures) };
  }
}

/** A watch ERROR event carries a Status object; 410 in it means "resourceVersion too old". */
export function isGoneStatus(object: unknown): boolean {
  return typeof object === 'object' && object !== null && 'code' in object && object.code === 410;
}
