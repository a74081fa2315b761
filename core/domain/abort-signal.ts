/**
 * The part of the platform AbortSignal that core uses. core has no DOM or Node types, so it
 * names this structural subset; a real AbortSignal satisfies it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
