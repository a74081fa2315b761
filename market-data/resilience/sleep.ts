/**
 * Waiting, as a port: the resilience code never calls setTimeout itself, so tests can run
 * retries, Retry-After waits, token-bucket pauses and circuit cooldowns on a virtual clock.
 */

/** Resolves after `ms` milliseconds; rejects with the signal's reason when it is aborted. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real wait, on the host's timers. A non-positive `ms` still yields once. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
