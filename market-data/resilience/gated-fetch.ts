/**
 * The fetch one logical request hands to the provider library: every HTTP request it makes
 * (retries and cookie/crumb calls included) is checked against the circuit, waits for the rate
 * limiter (a circuit opening meanwhile ends the wait with its refusal), is re-checked, is counted, reports a provider_http_request metric, and has its HTTP status
 * classified here, where the status and headers are still known.
 */
import type { Clock } from '../../core/ports/clock';
import type { CircuitBreaker } from './circuit-breaker';
import { CircuitRefusalError, ProviderFailureError, type ProviderFailure } from './provider-failure';
import type { RequestLimiter } from './request-limiter';
import type { AttemptContext } from './resilient-call';
import type { FetchLike } from './timed-fetch';

export interface RequestEvent {
  readonly url: string;
  readonly status: number | 'network_error' | 'timeout';
  readonly durationMs: number;
}

/**
 * Decides what an HTTP response means: null lets it through to the library, a failure is
 * thrown as ProviderFailureError. `nowMs` is the response time (for an HTTP-date Retry-After).
 */
export type ResponseClassifier = (response: Response, bodyText: string, nowMs: number) => ProviderFailure | null;

export interface GatedFetchDeps {
  /** The timed fetch (withTimeout over the transport). */
  readonly fetch: FetchLike;
  readonly limiter: RequestLimiter;
  readonly breaker: CircuitBreaker;
  readonly clock: Clock;
  readonly classify: ResponseClassifier;
  readonly onRequest?: (event: RequestEvent) => void;
}

export function gatedFetch(deps: GatedFetchDeps, context: AttemptContext): FetchLike {
  return async (input, init) => {
    const { signal } = context;
    const refuseIfOpen = (): void => {
      const refusal = deps.breaker.recheck(context.permit);
      if (refusal) throw new CircuitRefusalError(refusal.cause, refusal.retryInMs);
    };
    refuseIfOpen();
    // A circuit that opens while this request waits for a slot or a token refuses it at once.
    const release = await deps.limiter.acquire(AbortSignal.any([signal, deps.breaker.openedSignal]));
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let response: Response;
    const started = deps.clock.now();
    try {
      refuseIfOpen();
      context.countRequest();
      try {
        response = await deps.fetch(input, { ...init, signal });
      } catch (error) {
        if (error instanceof ProviderFailureError) {
          const status = error.failure.kind === 'timeout' ? 'timeout' : 'network_error';
          deps.onRequest?.({ url, status, durationMs: deps.clock.now() - started });
        }
        throw error;
      }
    } finally {
      release();
    }
    const now = deps.clock.now();
    deps.onRequest?.({ url, status: response.status, durationMs: now - started });
    if (response.status < 400) return response;
    const body = await response.text();
    const failure = deps.classify(response, body, now);
    if (failure) throw new ProviderFailureError(failure);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
