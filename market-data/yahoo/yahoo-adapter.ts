/**
 * The Yahoo provider (SPEC.md e.7): prices through yahoo-finance2 `chart()`, company profiles
 * through `quoteSummary()`, behind one politeness stack per adapter (token bucket, in-flight
 * limit, retries with jittered backoff and Retry-After, circuit breaker).
 *
 * Layers, outermost first:
 *   fetchPrices / fetchProfile  symbol policy (canonical, aliases, refusals), result mapping
 *   resilientCall               circuit admission, retries, breaker bookkeeping
 *   yahoo-finance2              URL building, crumb/cookie flow, JSON and schema validation
 *   gatedFetch (per call)       rate limit, circuit re-check, counting, status classification
 *   withTimeout                 per-request timeout + caller's signal, body buffered
 *   transport                   globalThis.fetch, or the test mock's URL-rewriting fetch
 *
 * Expected failures come back as outcomes; only a cancelled signal rejects (with its reason).
 */
import type { Clock } from '../../core/ports/clock';
import { addCalendarDays } from '../../core/domain/iso-date';
import type {
  FetchOutcome,
  PriceRequest,
  PriceResponse,
  PriceSource,
  ProfileResponse,
  ProfileSource,
  ProviderMetricListener,
} from '../../core/ports/market-data';
import type { Random } from '../../core/ports/random';
import type { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { CircuitBreaker, type CircuitSnapshot } from '../resilience/circuit-breaker';
import { gatedFetch } from '../resilience/gated-fetch';
import { outcomeOfFailure, ProviderFailureError, type ProviderFailure } from '../resilience/provider-failure';
import { RequestLimiter } from '../resilience/request-limiter';
import { resilientCall, type AttemptContext, type CallResult } from '../resilience/resilient-call';
import { realSleep, type Sleep } from '../resilience/sleep';
import { withTimeout, type FetchLike } from '../resilience/timed-fetch';
import { quotesFromChart, type ChartQuotes } from './chart-quotes';
import { profileFromQuoteSummary } from './company-profile-mapping';
import { describeRefusal, planProviderSymbol } from './provider-symbol';
import type { ProviderLogger } from './provider-logger';
import { createYahooClient, type YahooClient, type YahooClientOptions } from './yahoo-client';
import { yahooConfigSchema, type YahooConfig, type YahooConfigInput } from './yahoo-config';
import { classifyYahooError, classifyYahooResponse, isAssetProfileValidationError } from './yahoo-failures';

export const PROFILE_MODULES = ['price', 'summaryDetail', 'assetProfile'] as const;
export const PROFILE_FALLBACK_MODULES = ['price', 'summaryDetail'] as const;

export interface YahooAdapterOptions {
  /** Parsed with yahooConfigSchema; omitted fields take the SPEC defaults. */
  readonly config?: YahooConfigInput;
  readonly logger: ProviderLogger;
  /** The network. Default: globalThis.fetch. Tests pass the mock's URL-rewriting fetch. */
  readonly transport?: FetchLike;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  /** Default: a fresh jar per adapter. */
  readonly cookieJar?: ExtendedCookieJar;
  readonly onMetric?: ProviderMetricListener;
}

const systemClock: Clock = { now: () => Date.now() };
const systemRandom: Random = { next: () => Math.random() };

export class YahooAdapter implements PriceSource, ProfileSource {
  readonly name = 'yahoo' as const;
  readonly config: YahooConfig;
  private readonly logger: ProviderLogger;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly random: Random;
  private readonly onMetric: ProviderMetricListener;
  private readonly breaker: CircuitBreaker;
  private readonly limiter: RequestLimiter;
  private readonly timedFetch: FetchLike;
  private readonly clientOptions: YahooClientOptions;
  private client: Promise<YahooClient> | null = null;

  constructor(options: YahooAdapterOptions) {
    this.config = yahooConfigSchema.parse(options.config ?? {});
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? systemRandom;
    this.onMetric = options.onMetric ?? (() => {});
    this.breaker = new CircuitBreaker(this.config.circuit, this.clock, (state, cause) => {
      this.onMetric({ name: 'circuit_state', provider: 'yahoo', state, cause });
      const log = state === 'open' ? this.logger.warn : this.logger.info;
      log.call(this.logger, `yahoo circuit ${state}${cause ? ` (${cause})` : ''}`);
    });
    this.limiter = new RequestLimiter(this.config, this.clock, this.sleep);
    this.timedFetch = withTimeout(options.transport ?? ((input, init) => globalThis.fetch(input, init)), this.config.timeoutMs);
    this.clientOptions = {
      fetch: this.timedFetch,
      logger: this.logger,
      ...(options.cookieJar ? { cookieJar: options.cookieJar } : {}),
      queueConcurrency: Math.max(4, this.config.maxInFlight * 2),
    };
  }

  /** The yahoo-finance2 client, made on the first request (yahoo-client.ts loads the library then). */
  private yahoo(): Promise<YahooClient> {
    this.client ??= createYahooClient(this.clientOptions);
    return this.client;
  }

  /** The circuit breaker's current state (for diagnostics and tests). */
  circuit(): CircuitSnapshot {
    return this.breaker.snapshot();
  }

  /**
   * Daily quotes for [start, end] (SPEC.md e.7). `chart(symbol, { period1, period2: end + 1
   * day, interval: '1d' })`; see chart-quotes.ts for the mapping. An answer without quotes in
   * the range, or Yahoo's "not found", is `no_data`.
   *
   * period1 is start - 1 day, not start: Yahoo compares bar timestamps with period1 as a UTC
   * instant, and an exchange east of UTC opens before UTC midnight (Sydney 10:00 AEDT = 23:00
   * UTC the day before), so `start` at UTC midnight would drop its first day. The extra day
   * is cut again by the exchange-date filter, so the answer covers exactly [start, end].
   */
  async fetchPrices(request: PriceRequest, signal: AbortSignal): Promise<PriceResponse> {
    if (request.start > request.end) throw new RangeError(`price request range is reversed: ${request.start} > ${request.end}`);
    const plan = planProviderSymbol(request.symbol, this.config.providerAliases);
    const base = { symbol: plan.canonical, start: request.start, end: request.end };
    if (!plan.request) {
      return { ...base, outcome: 'no_data', quotes: [], firstTradeDate: null, error: describeRefusal(plan.reason), rateLimited: false, circuitOpen: false, httpRequests: 0, retries: 0 };
    }
    const providerSymbol = plan.providerSymbol;
    const result = await this.call(plan.canonical, signal, async (context): Promise<ChartQuotes> => {
      const client = await this.yahoo();
      const raw = await client.chart(
        providerSymbol,
        { period1: addCalendarDays(request.start, -1), period2: addCalendarDays(request.end, 1), interval: '1d' },
        { fetch: this.gated(plan.canonical, context) as typeof fetch },
      );
      const parsed = quotesFromChart(raw, request);
      if (!parsed.ok) throw invalid(parsed.message);
      if (parsed.value.timeZoneFellBack) {
        this.logger.warn(`yahoo chart ${providerSymbol}: exchange time zone missing or unknown, dates read in ${parsed.value.timeZone}`);
      }
      return parsed.value;
    });
    const counts = { httpRequests: result.requests, retries: result.retries };
    switch (result.status) {
      case 'ok': {
        const { quotes, firstTradeDate } = result.value;
        const outcome: FetchOutcome = quotes.length > 0 ? 'ok' : 'no_data';
        const error = quotes.length > 0 ? null : 'no quotes in the requested range';
        return { ...base, outcome, quotes, firstTradeDate, error, rateLimited: false, circuitOpen: false, ...counts };
      }
      case 'failed':
        this.logFailure('chart', providerSymbol, result.failure);
        return { ...base, ...failureFields(result.failure), quotes: [], firstTradeDate: null, ...counts };
      case 'refused':
        return { ...base, ...refusalFields(result.cause, result.retryInMs), quotes: [], firstTradeDate: null, ...counts };
    }
  }

  /**
   * Company profile (SPEC.md e.7): quoteSummary with price, summaryDetail and assetProfile;
   * when a module is unavailable (common for funds) one more request with price and
   * summaryDetail only. See company-profile-mapping.ts for the fields.
   */
  async fetchProfile(symbol: string, signal: AbortSignal): Promise<ProfileResponse> {
    const plan = planProviderSymbol(symbol, this.config.providerAliases);
    if (!plan.request) {
      return { symbol: plan.canonical, outcome: 'no_data', profile: null, error: describeRefusal(plan.reason), rateLimited: false, circuitOpen: false, httpRequests: 0, retries: 0 };
    }
    const providerSymbol = plan.providerSymbol;
    let modules: readonly string[] = PROFILE_MODULES;
    const result = await this.call(plan.canonical, signal, async (context) => {
      const fetch = this.gated(plan.canonical, context) as typeof globalThis.fetch;
      const client = await this.yahoo();
      let raw: unknown;
      try {
        raw = await client.quoteSummary(providerSymbol, { modules: [...modules] as never }, { fetch });
      } catch (error) {
        if (modules === PROFILE_FALLBACK_MODULES || !moduleUnavailable(error)) throw error;
        this.logger.info(`yahoo quoteSummary ${providerSymbol}: a module is unavailable, retrying with ${PROFILE_FALLBACK_MODULES.join(', ')}`);
        modules = PROFILE_FALLBACK_MODULES;
        raw = await client.quoteSummary(providerSymbol, { modules: [...modules] as never }, { fetch });
      }
      const parsed = profileFromQuoteSummary(plan.canonical, raw);
      if (!parsed.ok) {
        if (parsed.kind === 'empty') throw new ProviderFailureError({ kind: 'not_found', message: parsed.message, status: null, retryAfterMs: null });
        throw invalid(parsed.message);
      }
      return parsed.profile;
    });
    const counts = { httpRequests: result.requests, retries: result.retries };
    switch (result.status) {
      case 'ok':
        return { symbol: plan.canonical, outcome: 'ok', profile: result.value, error: null, rateLimited: false, circuitOpen: false, ...counts };
      case 'failed':
        this.logFailure('quoteSummary', providerSymbol, result.failure);
        return { symbol: plan.canonical, ...failureFields(result.failure), profile: null, ...counts };
      case 'refused':
        return { symbol: plan.canonical, ...refusalFields(result.cause, result.retryInMs), profile: null, ...counts };
    }
  }

  private call<T>(symbol: string, signal: AbortSignal, attempt: (context: AttemptContext) => Promise<T>): Promise<CallResult<T>> {
    return resilientCall(
      { policy: this.config, breaker: this.breaker, sleep: this.sleep, random: this.random },
      {
        signal,
        attempt,
        classify: classifyYahooError,
        onRetry: (notice) => {
          this.onMetric({ name: 'provider_retry', provider: 'yahoo', symbol, attempt: notice.attempt, delayMs: notice.delayMs, cause: notice.failure.kind });
          this.logger.debug(`yahoo ${symbol}: retry ${notice.attempt} in ${notice.delayMs} ms after ${notice.failure.message}`);
        },
      },
    ).then((result) => {
      if (result.status === 'refused') {
        this.onMetric({ name: 'provider_http_request', provider: 'yahoo', symbol, status: 'circuit_open', durationMs: 0 });
      }
      return result;
    });
  }

  private gated(symbol: string, context: AttemptContext): FetchLike {
    return gatedFetch(
      {
        fetch: this.timedFetch,
        limiter: this.limiter,
        breaker: this.breaker,
        clock: this.clock,
        classify: classifyYahooResponse,
        onRequest: (event) => this.onMetric({ name: 'provider_http_request', provider: 'yahoo', symbol, status: event.status, durationMs: event.durationMs }),
      },
      context,
    );
  }

  private logFailure(endpoint: string, providerSymbol: string, failure: ProviderFailure): void {
    const outcome = outcomeOfFailure(failure.kind);
    const log = outcome === 'no_data' ? this.logger.debug : this.logger.warn;
    log.call(this.logger, `yahoo ${endpoint} ${providerSymbol}: ${outcome} (${failure.kind}): ${failure.message}`);
  }
}

export function createYahooAdapter(options: YahooAdapterOptions): YahooAdapter {
  return new YahooAdapter(options);
}

function invalid(message: string): ProviderFailureError {
  return new ProviderFailureError({ kind: 'invalid_response', message, status: null, retryAfterMs: null });
}

function moduleUnavailable(error: unknown): boolean {
  return classifyYahooError(error).kind === 'module_unavailable' || isAssetProfileValidationError(error);
}

function failureFields(failure: ProviderFailure): { outcome: FetchOutcome; error: string; rateLimited: boolean; circuitOpen: false } {
  return { outcome: outcomeOfFailure(failure.kind), error: failure.message, rateLimited: failure.kind === 'rate_limited', circuitOpen: false };
}

/** "20 ms" under a second (shrunk cooldowns, m.17), else whole seconds rounded up: "60 s". */
function describeWait(ms: number): string {
  return ms < 1000 ? `${Math.ceil(ms)} ms` : `${Math.ceil(ms / 1000)} s`;
}

function refusalFields(cause: 'rate_limited' | 'errors', retryInMs: number): { outcome: FetchOutcome; error: string; rateLimited: boolean; circuitOpen: true } {
  const rateLimited = cause === 'rate_limited';
  return {
    outcome: rateLimited ? 'rate_limited' : 'provider_error',
    error: `circuit open after ${rateLimited ? 'rate limiting' : 'provider errors'}; not requested (retry in ${describeWait(retryInMs)})`,
    rateLimited,
    circuitOpen: true,
  };
}
