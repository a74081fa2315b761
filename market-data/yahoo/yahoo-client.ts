/**
 * The yahoo-finance2 client, configured the SPEC.md e.7 way: our fetch (timeout, and in tests
 * the URL rewrite to the mock), no version check (it would call registry.npmjs.org with the
 * global fetch, bypassing ours), notices suppressed, the host's logger (which also receives
 * the library's "Unsupported environment: Requires Node >= 22" warning on Node 20), and a
 * cookie jar of its own (the library's default jar is one object shared by the process).
 * Results are still validated against the library's schemas (a failure is provider_error).
 *
 * The library is imported when the first client is made, not with this module: it is a tenth
 * of a second of loading that every CLI command would otherwise pay, and most runs (synthetic,
 * offline, CSV) never call Yahoo.
 */
import type YahooFinance from 'yahoo-finance2';
import type { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import type { FetchLike } from '../resilience/timed-fetch';
import { yahooLibraryLogger, type ProviderLogger } from './provider-logger';

export type YahooClient = InstanceType<typeof YahooFinance>;

export interface YahooClientOptions {
  readonly fetch: FetchLike;
  readonly logger: ProviderLogger;
  /** Defaults to a fresh jar, so the cookie/crumb flow is per client. */
  readonly cookieJar?: ExtendedCookieJar;
  /** The library's own queue; keep it at least our in-flight limit so it never throttles. */
  readonly queueConcurrency: number;
}

export async function createYahooClient(options: YahooClientOptions): Promise<YahooClient> {
  const [{ default: YahooFinance }, { ExtendedCookieJar }] = await Promise.all([import('yahoo-finance2'), import('yahoo-finance2/lib/cookieJar')]);
  return new YahooFinance({
    fetch: options.fetch as typeof fetch,
    versionCheck: false,
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    logger: yahooLibraryLogger(options.logger),
    cookieJar: options.cookieJar ?? new ExtendedCookieJar(),
    queue: { concurrency: options.queueConcurrency },
    // The adapter logs a failed validation itself, once, with the failing paths; the library's
    // own report is a page of issue-tracker advice at error level.
    validation: { logErrors: false, logOptionsErrors: true, allowAdditionalProps: true },
  });
}
