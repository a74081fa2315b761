/**
 * Circuit breaker for one provider (SPEC.md e.7).
 *
 * - closed -> open after `consecutiveFailures` failed logical requests in a row (after their
 *   retries), or when at least `windowFailureRatio` of the last `windowSize` requests failed
 *   and the window holds at least `windowMinRequests`;
 * - open: every request is refused at once for the cooldown (`cooldownMs`, doubled at each
 *   re-opening, at most `cooldownMaxMs`);
 * - after the cooldown, half-open: one trial request is admitted, the rest are refused; its
 *   success closes the circuit and resets the cooldown, its failure opens it again.
 *
 * The circuit remembers why it opened: `rate_limited` when at least half of the failures that
 * tripped it were HTTP 429 answers, else `errors`. Refusals report that cause (e.6 reasons).
 *
 * Results of requests admitted before the latest state change are ignored (a slow failure from
 * before the circuit opened must not re-open it or extend the cooldown).
 */
import type { Clock } from '../../core/ports/clock';
import { CircuitRefusalError } from './provider-failure';

export type CircuitState = 'closed' | 'open' | 'half_open';
export type CircuitCause = 'rate_limited' | 'errors';

export interface CircuitBreakerOptions {
  readonly consecutiveFailures: number;
  readonly windowSize: number;
  readonly windowMinRequests: number;
  readonly windowFailureRatio: number;
  readonly cooldownMs: number;
  readonly cooldownMaxMs: number;
}

/** Proof that a logical request was admitted; pass it back with the result. */
export interface CircuitPermit {
  readonly generation: number;
  readonly trial: boolean;
}

export type Admission =
  | { readonly admitted: true; readonly permit: CircuitPermit }
  | { readonly admitted: false; readonly cause: CircuitCause; readonly retryInMs: number };

export interface CircuitSnapshot {
  readonly state: CircuitState;
  readonly cause: CircuitCause | null;
  /** Cooldown that applies to the current (or next) opening, in ms. */
  readonly cooldownMs: number;
  /** Epoch ms when an open circuit becomes half-open, else null. */
  readonly openUntil: number | null;
  readonly consecutiveFailures: number;
  /** Results in the sliding window (true = failed). */
  readonly window: readonly boolean[];
}

export type CircuitStateListener = (state: CircuitState, cause: CircuitCause | null) => void;

interface Result {
  readonly failed: boolean;
  readonly rateLimited: boolean;
}

export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private cause: CircuitCause | null = null;
  private generation = 0;
  private cooldown: number;
  private openUntil = 0;
  private trialOut = false;
  private consecutive: Result[] = [];
  private window: Result[] = [];
  private opening = new AbortController();

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
    private readonly onStateChange: CircuitStateListener = () => {},
  ) {
    this.cooldown = options.cooldownMs;
  }

  /** Asks to start a logical request. */
  admit(): Admission {
    this.advance();
    if (this.state === 'closed') return { admitted: true, permit: { generation: this.generation, trial: false } };
    if (this.state === 'half_open' && !this.trialOut) {
      this.trialOut = true;
      return { admitted: true, permit: { generation: this.generation, trial: true } };
    }
    return this.refusal();
  }

  /**
   * Re-checks an admitted request before each of its HTTP requests (retries, crumb calls), so
   * a circuit that opened meanwhile stops requests already queued. Returns null when the
   * request may go ahead, else the refusal.
   */
  recheck(permit: CircuitPermit): Extract<Admission, { admitted: false }> | null {
    this.advance();
    if (this.state === 'closed') return null;
    if (this.state === 'half_open' && permit.trial && permit.generation === this.generation) return null;
    return this.refusal();
  }

  /**
   * Aborts when the circuit next opens, with the refusal (a CircuitRefusalError) as reason: a
   * request waiting for the rate limiter stops waiting then, since it would only be refused.
   */
  get openedSignal(): AbortSignal {
    return this.opening.signal;
  }

  recordSuccess(permit: CircuitPermit): void {
    this.record(permit, { failed: false, rateLimited: false });
  }

  recordFailure(permit: CircuitPermit, rateLimited: boolean): void {
    this.record(permit, { failed: true, rateLimited });
  }

  /** The request ended without a result (cancelled): a trial slot becomes free again. */
  abandon(permit: CircuitPermit): void {
    if (permit.trial && permit.generation === this.generation && this.state === 'half_open') this.trialOut = false;
  }

  snapshot(): CircuitSnapshot {
    this.advance();
    return {
      state: this.state,
      cause: this.cause,
      cooldownMs: this.cooldown,
      openUntil: this.state === 'open' ? this.openUntil : null,
      consecutiveFailures: this.consecutive.length,
      window: this.window.map((r) => r.failed),
    };
  }

  private record(permit: CircuitPermit, result: Result): void {
    this.advance();
    if (permit.generation !== this.generation) return;
    if (this.state === 'half_open') {
      if (!permit.trial) return;
      if (result.failed) {
        this.cooldown = Math.min(this.options.cooldownMaxMs, this.cooldown * 2);
        this.open(result.rateLimited ? 'rate_limited' : 'errors');
      } else {
        this.cooldown = this.options.cooldownMs;
        this.close();
      }
      return;
    }
    if (this.state !== 'closed') return;
    this.window.push(result);
    if (this.window.length > this.options.windowSize) this.window.shift();
    if (!result.failed) {
      this.consecutive = [];
      return;
    }
    this.consecutive.push(result);
    if (this.consecutive.length >= this.options.consecutiveFailures) {
      this.open(causeOf(this.consecutive));
      return;
    }
    const failures = this.window.filter((r) => r.failed);
    if (
      this.window.length >= this.options.windowMinRequests &&
      failures.length >= this.options.windowFailureRatio * this.window.length
    ) {
      this.open(causeOf(failures));
    }
  }

  private open(cause: CircuitCause): void {
    this.transition('open', cause);
    this.openUntil = this.clock.now() + this.cooldown;
    const opened = this.opening;
    this.opening = new AbortController();
    opened.abort(new CircuitRefusalError(cause, this.cooldown));
  }

  private close(): void {
    this.consecutive = [];
    this.window = [];
    this.transition('closed', null);
  }

  private advance(): void {
    if (this.state === 'open' && this.clock.now() >= this.openUntil) {
      this.trialOut = false;
      this.transition('half_open', this.cause);
    }
  }

  private transition(state: CircuitState, cause: CircuitCause | null): void {
    this.state = state;
    this.cause = cause;
    this.generation += 1;
    this.onStateChange(state, cause);
  }

  private refusal(): Extract<Admission, { admitted: false }> {
    const retryInMs = this.state === 'open' ? Math.max(0, this.openUntil - this.clock.now()) : 0;
    return { admitted: false, cause: this.cause ?? 'errors', retryInMs };
  }
}

function causeOf(failures: readonly Result[]): CircuitCause {
  const limited = failures.filter((r) => r.rateLimited).length;
  return limited * 2 >= failures.length ? 'rate_limited' : 'errors';
}
