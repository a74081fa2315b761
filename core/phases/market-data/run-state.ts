/**
 * Market-data state kept for one run: what was asked of which source and how it ended (the
 * fetch log, loaded once and appended as requests are made), closes that failed validation,
 * and the counters the phase metrics and the run summary report.
 *
 * Refusals of an open circuit (SPEC.md e.7) are kept here per symbol, since they explain the
 * dates' missing-price reasons, but a refusal is written to the fetch log only when the log
 * does not already give every date of its range the same reason (logsRefusal): a backfill
 * without network would otherwise log every needed symbol again on every date while the
 * circuit stays open. So a later run reading the log gives each refused date the reason this
 * run gave it (missing-reason.ts), while a backfill logs about one row per symbol and chunk.
 */
import type { IsoDate } from '../../domain/iso-date';
import type { FetchLogEntry } from '../../ports/store';

export interface MarketDataCounters {
  /** Symbol ranges asked of the providers, one request each (SPEC.md e.3); a range asked of the CSV folder, then of Yahoo, is two. */
  requests: number;
  /** HTTP retries (Yahoo's; the other sources send no HTTP request). */
  retries: number;
  rateLimited: number;
  /** Transitions of a provider's circuit to open (circuit_state metrics), not its refusals. */
  circuitOpens: number;
  rowsUpserted: number;
  invalidPrices: number;
  jumpsFlagged: number;
  providers: Record<string, ProviderCounters>;
}

/**
 * What the run summary and the phase metrics report per provider (SPEC.md c.5, h.5). Requests
 * are symbol ranges asked, one each whatever the provider does to answer it: the unit of the
 * fetch log, of the dry run's estimate and of the run's provider_request events.
 */
export interface ProviderCounters {
  /** Symbol ranges asked of the provider. */
  requests: number;
  /** Of those, the ones answered with a failure (any outcome but ok and no_data). */
  failures: number;
  /** Of those, the ones its open circuit refused (e.7), whatever it sent before it opened. */
  refused: number;
  /** HTTP requests sent for them, retries included (Yahoo; the CSV folder and the synthetic generator send none). */
  http_requests: number;
  /** Valid rows returned. */
  rows: number;
  /** Rows dropped because their date is not a trading day (e.4). */
  dropped: number;
}

/** The answer to one symbol range asked of a provider, as countProvider counts it. */
export interface ProviderAnswer {
  /** HTTP requests sent for it (PriceResponse.httpRequests). */
  readonly httpRequests: number;
  /** The answer failed (any outcome but ok and no_data). */
  readonly failed: boolean;
  /** The open circuit refused the request (PriceResponse.circuitOpen). */
  readonly refused: boolean;
  readonly rows: number;
  readonly dropped: number;
}

const NO_PROVIDER_COUNTS: Readonly<ProviderCounters> = { requests: 0, failures: 0, refused: 0, http_requests: 0, rows: 0, dropped: 0 };

/** Per provider, the counts of `now` minus those of `before` (a phase's share of the run's). */
export function providerCountsSince(now: Readonly<Record<string, ProviderCounters>>, before: Readonly<Record<string, ProviderCounters>>): Record<string, ProviderCounters> {
  const since = (p: ProviderCounters, b: ProviderCounters): ProviderCounters => ({
    requests: p.requests - b.requests,
    failures: p.failures - b.failures,
    refused: p.refused - b.refused,
    http_requests: p.http_requests - b.http_requests,
    rows: p.rows - b.rows,
    dropped: p.dropped - b.dropped,
  });
  return Object.fromEntries(Object.entries(now).map(([name, p]) => [name, since(p, before[name] ?? NO_PROVIDER_COUNTS)]));
}

/** A copy of the counters (per provider too) that later requests do not change. */
export function copyOfCounters(c: MarketDataCounters): MarketDataCounters {
  return { ...c, providers: providerCountsSince(c.providers, {}) };
}

export class MarketDataRunState {
  private readonly log = new Map<string, FetchLogEntry[]>();
  /** The entries of `log` written to the fetch log: all but the refusals kept in memory only. */
  private readonly logged = new Map<string, FetchLogEntry[]>();
  /** symbol -> date -> why the close was rejected. */
  readonly invalid = new Map<string, Map<IsoDate, string>>();
  readonly counters: MarketDataCounters = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    circuitOpens: 0,
    rowsUpserted: 0,
    invalidPrices: 0,
    jumpsFlagged: 0,
    providers: {},
  };
  /**
   * The counters as the last market_data phase reported them: a phase's metrics are the counts
   * since (market-data.ts), so the first date after a chunk prefetch carries the prefetch's.
   */
  reported: MarketDataCounters = copyOfCounters(this.counters);
  /**
   * Symbols for which a source returned rows since the last market_data report (legacy
   * symbols_fetched): as for the counters, a chunk prefetch's go to the first date after it.
   */
  readonly fetchedSymbols = new Set<string>();
  /** The run told the user once that it works offline. */
  offlineNoticeGiven = false;
  /** The run told the user once that the provider cannot be reached. */
  unreachableNoticeGiven = false;
  /** Provider metrics are bound to this run's telemetry (provider-metrics.ts). */
  providerMetricsBound = false;
  /** Symbols whose profile fetch was attempted in this run (c.6: at most once per run). */
  readonly profileAttempts = new Set<string>();
  /** CSV problems already reported (file:line; a misnamed folder file by its name), so each is reported once per run. */
  readonly reportedCsvProblems = new Set<string>();
  /** CSV close conflicts already reported (`symbol date`), so each is reported once per run. */
  readonly reportedCsvConflicts = new Set<string>();
  /** Symbols already reported stale in offline mode. */
  readonly reportedStale = new Set<string>();

  constructor(entries: readonly FetchLogEntry[] = []) {
    for (const e of entries) this.record(e);
  }

  /** Adds a request to the run's log; `logged`: it is (or, monitor-only, would be) in the fetch log too. */
  record(entry: FetchLogEntry, logged = true): void {
    for (const map of logged ? [this.log, this.logged] : [this.log]) {
      let list = map.get(entry.symbol);
      if (!list) map.set(entry.symbol, (list = []));
      list.push(entry);
    }
  }

  entries(symbol: string): readonly FetchLogEntry[] {
    return this.log.get(symbol) ?? [];
  }

  /** The latest request whose range covers D. */
  lastCovering(symbol: string, d: IsoDate): FetchLogEntry | null {
    const list = this.log.get(symbol);
    if (!list) return null;
    let best: FetchLogEntry | null = null;
    for (const e of list) {
      if (e.rangeStart <= d && e.rangeEnd >= d && (!best || e.requestedAt >= best.requestedAt)) best = e;
    }
    return best;
  }

  /** The earliest first trade date any source reported in its metadata. */
  firstTradeDate(symbol: string): IsoDate | null {
    let best: IsoDate | null = null;
    for (const e of this.log.get(symbol) ?? []) if (e.firstTradeDate && (!best || e.firstTradeDate < best)) best = e.firstTradeDate;
    return best;
  }

  markInvalid(symbol: string, d: IsoDate, why: string): void {
    let m = this.invalid.get(symbol);
    if (!m) this.invalid.set(symbol, (m = new Map()));
    m.set(d, why);
  }

  invalidReason(symbol: string, d: IsoDate): string | null {
    return this.invalid.get(symbol)?.get(d) ?? null;
  }

  /** The provider's circuit opened (a transition, counted once however many refusals follow). */
  circuitOpened(): void {
    this.counters.circuitOpens++;
  }

  /**
   * True when `refusal` (a refusal of an open circuit, not yet recorded) must go to the fetch
   * log: unless the latest logged request of the symbol whose range overlaps the refusal's is
   * the same provider's, with the same outcome, and covers the whole range. That request then
   * stays the latest logged one covering each date of the range, so a later run reading the log
   * gives those dates the reason and provider this run gives them (lastCovering). A backfill
   * whose circuit stays open so logs each symbol's first refusal, or none when its failed
   * request before the opening covers the range, and again when a chunk reaches later dates.
   */
  logsRefusal(refusal: FetchLogEntry): boolean {
    let latest: FetchLogEntry | null = null;
    for (const e of this.logged.get(refusal.symbol) ?? []) {
      if (e.rangeStart <= refusal.rangeEnd && e.rangeEnd >= refusal.rangeStart && (!latest || e.requestedAt >= latest.requestedAt)) latest = e;
    }
    if (!latest || latest.provider !== refusal.provider || latest.outcome !== refusal.outcome) return true;
    return latest.rangeStart > refusal.rangeStart || latest.rangeEnd < refusal.rangeEnd;
  }

  /**
   * Counts one symbol range asked of provider `name`: one request, a refusal of its open circuit
   * as refused and any other failed answer as a failure, and the HTTP requests it took.
   */
  countProvider(name: string, answer: ProviderAnswer): void {
    const p = (this.counters.providers[name] ??= { ...NO_PROVIDER_COUNTS });
    p.requests++;
    if (answer.refused) p.refused++;
    else if (answer.failed) p.failures++;
    p.http_requests += answer.httpRequests;
    p.rows += answer.rows;
    p.dropped += answer.dropped;
  }
}
