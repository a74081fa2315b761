/**
 * One logical provider request with the SPEC.md e.7 politeness rules around it: circuit
 * admission, retries of retryable failures with backoff (or Retry-After), and the result fed
 * back to the breaker. A half-open trial is not retried. The HTTP layer (the attempt) does the rate limiting per HTTP request,
 * counts requests, and re-checks the circuit before each one (CircuitRefusalError).
 *
 * Cancellation is not a failure: when `signal` aborts, the call rejects with the signal's
 * reason and records nothing.
 */
import type { Random } from '../../core/ports/random';
import { retryDelay } from './backoff';
import type { CircuitBreaker, CircuitCause, CircuitPermit } from './circuit-breaker';
import {
  CircuitRefusalError,
  countsAgainstCircuit,
  isRetryable,
  type ProviderFailure,
} from './provider-failure';
import type { ProviderPolicy } from './retry-policy';
import type { Sleep } from './sleep';

/** What one attempt gets: its circuit permit, the cancellation signal, and the request counter. */
export interface AttemptContext {
  readonly permit: CircuitPermit;
  readonly signal: AbortSignal;
  /** The HTTP layer calls this once per HTTP request actually sent. */
  countRequest(): void;
}

export interface RetryNotice {
  /** Retry number, 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly failure: ProviderFailure;
}

export type CallEnd<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'failed'; readonly failure: ProviderFailure }
  | { readonly status: 'refused'; readonly cause: CircuitCause; readonly retryInMs: number; readonly lastFailure: ProviderFailure | null };

export type CallResult<T> = CallEnd<T> & {
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  readonly retries: number;
};

export interface ResilientCallDeps {
  readonly policy: Pick<ProviderPolicy, 'maxRetries' | 'backoffBaseMs' | 'backoffCapMs' | 'retryAfterCapMs'>;
  readonly breaker: CircuitBreaker;
  readonly sleep: Sleep;
  readonly random: Random;
}

export interface ResilientCallInput<T> {
  readonly signal: AbortSignal;
  readonly attempt: (context: AttemptContext) => Promise<T>;
  /** Maps anything the attempt threw to a failure (ProviderFailureError carries its own). */
  readonly classify: (error: unknown) => ProviderFailure;
  readonly onRetry?: (notice: RetryNotice) => void;
}

export async function resilientCall<T>(deps: ResilientCallDeps, input: ResilientCallInput<T>): Promise<CallResult<T>> {
  const { signal } = input;
  signal.throwIfAborted();
  const admission = deps.breaker.admit();
  if (!admission.admitted) {
    return { status: 'refused', cause: admission.cause, retryInMs: admission.retryInMs, lastFailure: null, requests: 0, retries: 0 };
  }
  const { permit } = admission;
  let requests = 0;
  let retries = 0;
  const context: AttemptContext = { permit, signal, countRequest: () => void (requests += 1) };

  for (;;) {
    let failure: ProviderFailure;
    try {
      const value = await input.attempt(context);
      deps.breaker.recordSuccess(permit);
      return { status: 'ok', value, requests, retries };
    } catch (error) {
      if (signal.aborted) {
        deps.breaker.abandon(permit);
        throw signal.reason;
      }
      if (error instanceof CircuitRefusalError) {
        return { status: 'refused', cause: error.circuitCause, retryInMs: error.retryInMs, lastFailure: null, requests, retries };
      }
      failure = input.classify(error);
    }

    // A half-open trial is one request: its failure re-opens the circuit without retries.
    const giveUp =
      !isRetryable(failure.kind) ||
      permit.trial ||
      retries >= deps.policy.maxRetries ||
      deps.breaker.recheck(permit) !== null;
    if (giveUp) {
      if (countsAgainstCircuit(failure.kind)) deps.breaker.recordFailure(permit, failure.kind === 'rate_limited');
      else deps.breaker.recordSuccess(permit);
      return { status: 'failed', failure, requests, retries };
    }

    retries += 1;
    const { delayMs } = retryDelay({
      k: retries,
      baseMs: deps.policy.backoffBaseMs,
      capMs: deps.policy.backoffCapMs,
      retryAfterMs: failure.retryAfterMs,
      retryAfterCapMs: deps.policy.retryAfterCapMs,
      random: deps.random,
    });
    input.onRetry?.({ attempt: retries, delayMs, failure });
    try {
      await deps.sleep(delayMs, signal);
    } catch (error) {
      deps.breaker.abandon(permit);
      throw signal.aborted ? signal.reason : error;
    }
  }
}
