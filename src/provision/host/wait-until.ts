/**
 * Waits for a host-side condition (a daemon answering on its socket) by re-checking
 * with a growing interval. Kubernetes objects are never awaited this way — those use
 * watches; a Unix socket or a CLI has nothing to watch.
 */
import { setTimeout as delay } from 'node:timers/promises';

export async function waitUntil(options: {
  what: string;
  timeoutMs: number;
  check: () => Promise<boolean>;
  onTimeout: () => Error;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = 100;
  for (;;) {
    if (await options.check()) return;
    if (Date.now() >= deadline) throw options.onTimeout();
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
    interval = Math.min(interval * 2, 2_000);
  }
}
