/**
 * The innermost HTTP wrapper (SPEC.md e.7): a per-request timeout with an AbortController,
 * the caller's AbortSignal honoured, and the body read inside the timeout. It returns a
 * buffered Response, so a server that sends headers and then stalls is a timeout too.
 *
 * Failures become ProviderFailureError (kind `timeout` or `network`); a caller's abort
 * rejects with the caller's reason unchanged.
 */
import { ProviderFailureError } from './provider-failure';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Statuses whose Response may not carry a body (Fetch standard "null body status"). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export function withTimeout(transport: FetchLike, timeoutMs: number): FetchLike {
  return async (input, init) => {
    const callerSignal = init?.signal ?? undefined;
    callerSignal?.throwIfAborted();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    try {
      const response = await transport(input, { ...init, signal });
      const body = NULL_BODY_STATUS.has(response.status) ? null : await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.signal.aborted) {
        throw new ProviderFailureError({ kind: 'timeout', message: `request timed out after ${timeoutMs} ms`, status: null, retryAfterMs: null });
      }
      if (error instanceof ProviderFailureError) throw error;
      throw new ProviderFailureError({ kind: 'network', message: `network error: ${describeNetworkError(error)}`, status: null, retryAfterMs: null });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** "fetch failed" says nothing; undici puts the useful part (ECONNREFUSED ...) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}
