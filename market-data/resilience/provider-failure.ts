/**
 * What went wrong with one provider request, in the words the engine needs (SPEC.md e.6, e.7).
 *
 * Retryable: network errors, timeouts, HTTP 429, HTTP 5xx. Not retryable: "not found / no
 * data" answers (outcome no_data), responses that fail the library's or our validation, and
 * any other HTTP error (outcome provider_error).
 */
import type { FetchOutcome } from '../../core/ports/market-data';

export type ProviderFailureKind =
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'not_found'
  | 'module_unavailable'
  | 'invalid_response'
  | 'http_error';

export interface ProviderFailure {
  readonly kind: ProviderFailureKind;
  readonly message: string;
  /** HTTP status when there was a response. */
  readonly status: number | null;
  /** Parsed Retry-After (ms from the response time), or null. */
  readonly retryAfterMs: number | null;
}

export function isRetryable(kind: ProviderFailureKind): boolean {
  return kind === 'network' || kind === 'timeout' || kind === 'rate_limited' || kind === 'server_error';
}

/** The fetch-log outcome of a request that ended with this failure. */
export function outcomeOfFailure(kind: ProviderFailureKind): FetchOutcome {
  switch (kind) {
    case 'not_found':
    case 'module_unavailable':
      return 'no_data';
    case 'rate_limited':
      return 'rate_limited';
    default:
      return 'provider_error';
  }
}

/**
 * True when the failure means the provider is unhealthy (counts against the circuit breaker).
 * A "not found" answer is a healthy answer.
 */
export function countsAgainstCircuit(kind: ProviderFailureKind): boolean {
  return outcomeOfFailure(kind) !== 'no_data';
}

/**
 * An error carrying a ProviderFailure. The HTTP layer throws it from inside yahoo-finance2's
 * call chain (the library passes fetch errors through unchanged), so the classification made
 * where the response was seen survives to the retry loop.
 */
export class ProviderFailureError extends Error {
  constructor(readonly failure: ProviderFailure) {
    super(failure.message);
    this.name = 'ProviderFailureError';
  }
}

/** Thrown before an HTTP request when the circuit opened while the request waited. */
export class CircuitRefusalError extends Error {
  constructor(
    readonly circuitCause: 'rate_limited' | 'errors',
    readonly retryInMs: number,
  ) {
    super(`circuit open (${circuitCause}); retry in ${retryInMs} ms`);
    this.name = 'CircuitRefusalError';
  }
}
