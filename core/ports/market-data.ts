/**
 * Market-data ports (SPEC.md e.1, e.7, e.8). Adapters (yahoo-finance2, CSV directory,
 * synthetic generator) implement them in market-data/; the market_data and fundamentals
 * phases call them. Adapters never throw for expected failures: they return an outcome.
 */
import type { AbortSignalLike } from '../domain/abort-signal';
import type { IsoDate } from '../domain/iso-date';

export type PriceSourceName = 'yahoo' | 'csv' | 'synthetic';

/** Outcome of one logical request (after its retries), as stored in market_data_fetch_log. */
export type FetchOutcome = 'ok' | 'no_data' | 'rate_limited' | 'provider_error' | 'invalid';

/** Where a quote was read, when its source can say (the CSV directory source: file and line). */
export interface QuoteOrigin {
  readonly file: string;
  readonly line: number;
}

/** One daily quote as the source returned it; validation (SPEC.md e.4) happens in core. */
export interface Quote {
  readonly date: IsoDate;
  readonly close: number;
  readonly volume: number | null;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  /** Set by sources that read rows from files, so that validation can point at the row (e.4). */
  readonly origin?: QuoteOrigin;
}

export interface PriceRequest {
  /** Canonical symbol (SPEC.md e.5); the adapter applies its own aliases. */
  readonly symbol: string;
  /** Inclusive range. */
  readonly start: IsoDate;
  readonly end: IsoDate;
}

export interface PriceResponse {
  readonly symbol: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly outcome: FetchOutcome;
  readonly quotes: readonly Quote[];
  /** From provider metadata when known. */
  readonly firstTradeDate: IsoDate | null;
  /** Provider error text, or null. */
  readonly error: string | null;
  /** True when the failure came from rate limiting (HTTP 429, or a circuit opened by it). */
  readonly rateLimited: boolean;
  /** True when the circuit breaker refused the request without contacting the source. */
  readonly circuitOpen: boolean;
  /**
   * HTTP requests actually sent for this answer, retries included: none for the sources that
   * send none (the CSV folder, the synthetic generator). The engine's request count has its own
   * unit, one per symbol range asked of a provider (fetch-range.ts).
   */
  readonly httpRequests: number;
  /** Of the HTTP requests, the retries. */
  readonly retries: number;
}

export interface PriceSource {
  readonly name: PriceSourceName;
  /**
   * Asking it only reads local files and changes nothing (the CSV folder): a dry run asks it to
   * know what it covers, so its estimate counts the requests the later sources of the chain get
   * for what it lacks (SPEC.md g.4). Any other source is never asked by a dry run.
   */
  readonly askedInDryRun?: boolean;
  fetchPrices(request: PriceRequest, signal: AbortSignalLike): Promise<PriceResponse>;
}

/** SPEC.md b.2 company_profiles.description: at most 1,000 characters (the Yahoo mapping and the profiles CSV both hold to it). */
export const PROFILE_DESCRIPTION_MAX_CHARS = 1000;

/** Kept profile fields (SPEC.md b.2 company_profiles, e.7 mapping). */
export interface CompanyProfile {
  readonly symbol: string;
  readonly companyName: string | null;
  readonly sector: string | null;
  readonly industry: string | null;
  readonly exchange: string | null;
  readonly country: string | null;
  readonly marketCap: number | null;
  readonly description: string | null;
  readonly isEtf: boolean;
  readonly isFund: boolean;
  readonly beta: number | null;
  readonly peRatio: number | null;
  readonly forwardPe: number | null;
  readonly dividendYield: number | null;
  readonly week52High: number | null;
  readonly week52Low: number | null;
  readonly employees: number | null;
  readonly website: string | null;
  readonly dataSource: string;
}

export interface ProfileResponse {
  readonly symbol: string;
  readonly outcome: FetchOutcome;
  readonly profile: CompanyProfile | null;
  readonly error: string | null;
  readonly rateLimited: boolean;
  readonly circuitOpen: boolean;
  /** HTTP requests actually sent, retries included (as PriceResponse.httpRequests). */
  readonly httpRequests: number;
  readonly retries: number;
}

export interface ProfileSource {
  readonly name: PriceSourceName;
  fetchProfile(symbol: string, signal: AbortSignalLike): Promise<ProfileResponse>;
}

/**
 * Provider-level telemetry the adapters report: each HTTP request (provider_http_request; the
 * engine's provider_request counts symbol ranges asked, SPEC.md h.2), each retry
 * (provider_retry) and each circuit change (circuit_state). The host wires it to recordMetric.
 */
export type ProviderMetric =
  | { readonly name: 'provider_http_request'; readonly provider: PriceSourceName; readonly symbol: string; readonly status: number | 'network_error' | 'timeout' | 'circuit_open'; readonly durationMs: number }
  | { readonly name: 'provider_retry'; readonly provider: PriceSourceName; readonly symbol: string; readonly attempt: number; readonly delayMs: number; readonly cause: string }
  | { readonly name: 'circuit_state'; readonly provider: PriceSourceName; readonly state: 'closed' | 'open' | 'half_open'; readonly cause: 'rate_limited' | 'errors' | null };

export type ProviderMetricListener = (metric: ProviderMetric) => void;
