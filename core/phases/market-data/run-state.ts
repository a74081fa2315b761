/**
 * Market-data state kept for one run: what was asked of which source and how it ended (the
 * fetch log, loaded once and appended as requests are made), closes that failed validation,
 * and the counters the phase metrics and the run summary report.
 *
 * Refusals of an open circuit (SPEC.md e.7) are kept here per symbol, since they explain the
 * dates' missing-price reasons, but only a provider's first refusal of a symbol after its
 * circuit opened is written to the fetch log: a backfill without network would otherwise log
 * every needed symbol again on every date while the circuit stays open.
 */
import type { IsoDate } from '../../domain/iso-date';
import type { FetchLogEntry } from '../../ports/store';

export interface MarketDataCounters {
  requests: number;
  retries: number;
  rateLimited: number;
  /** Transitions of a provider's circuit to open (circuit_state metrics), not its refusals. */
  circuitOpens: number;
  rowsUpserted: number;
  invalidPrices: number;
  jumpsFlagged: number;
  providers: Record<string, { requests: number; failures: number; rows: number }>;
}

export class MarketDataRunState {
  private readonly log = new Map<string, FetchLogEntry[]>();
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
  /** Symbols for which a source returned rows, per processed date (legacy symbols_fetched). */
  readonly fetchedSymbols = new Set<string>();
  /** The run told the user once that it works offline. */
  offlineNoticeGiven = false;
  /** The run told the user once that the provider cannot be reached. */
  unreachableNoticeGiven = false;
  /** Provider metrics are bound to this run's telemetry (provider-metrics.ts). */
  providerMetricsBound = false;
  /** Symbols whose profile fetch was attempted in this run (c.6: at most once per run). */
  readonly profileAttempts = new Set<string>();
  /** CSV problems already reported (file:line), so a bad row is reported once per run. */
  readonly reportedCsvProblems = new Set<string>();
  /** Symbols already reported stale in offline mode. */
  readonly reportedStale = new Set<string>();
  /** Per provider: symbols whose refusal is in the fetch log since its circuit last opened. */
  private readonly refusalsLogged = new Map<string, Set<string>>();

  constructor(entries: readonly FetchLogEntry[] = []) {
    for (const e of entries) this.record(e);
  }

  record(entry: FetchLogEntry): void {
    let list = this.log.get(entry.symbol);
    if (!list) this.log.set(entry.symbol, (list = []));
    list.push(entry);
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

  /** The provider's circuit opened: counted, and its next refusal of each symbol is logged again. */
  circuitOpened(provider: string): void {
    this.counters.circuitOpens++;
    this.refusalsLogged.delete(provider);
  }

  /**
   * True when this refusal of `symbol` by `provider`'s open circuit is the first since the
   * circuit last opened (or in the run, for a source that reports no circuit state), so it
   * goes to the fetch log; later ones are kept in memory only.
   */
  logsRefusal(provider: string, symbol: string): boolean {
    let logged = this.refusalsLogged.get(provider);
    if (!logged) this.refusalsLogged.set(provider, (logged = new Set()));
    if (logged.has(symbol)) return false;
    logged.add(symbol);
    return true;
  }

  countProvider(name: string, failed: boolean, rows: number): void {
    const p = (this.counters.providers[name] ??= { requests: 0, failures: 0, rows: 0 });
    p.requests++;
    if (failed) p.failures++;
    p.rows += rows;
  }
}
