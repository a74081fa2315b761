/**
 * Asking the source chain for one range of one symbol (SPEC.md e.1, e.3): each source in
 * order until one returns rows; every request is logged; quotes are validated (e.4) and
 * merged into the cache (never purging, m.13), or kept in memory only in monitor-only mode.
 * Quotes after the target date or after today's New York date are never stored.
 */
import type { IsoDate } from '../../domain/iso-date';
import type { FetchOutcome, PriceResponse } from '../../ports/market-data';
import type { FetchLogEntry } from '../../ports/store';
import type { RunContext } from '../../engine/phase-types';
import { validateQuotes } from './validate-quotes';

export interface RangeFetchResult {
  readonly outcome: FetchOutcome;
  readonly rows: number;
  readonly provider: string | null;
  readonly error: string | null;
}

export async function fetchRange(run: RunContext, symbol: string, start: IsoDate, end: IsoDate, latestStorable: IsoDate): Promise<RangeFetchResult> {
  let last: RangeFetchResult = { outcome: 'no_data', rows: 0, provider: null, error: null };
  if (start > latestStorable) return last;
  const rangeEnd = end > latestStorable ? latestStorable : end;
  for (const source of run.priceSources) {
    if (run.signal.aborted) break;
    const requestedAt = run.nowIso();
    let resp: PriceResponse;
    try {
      resp = await source.fetchPrices({ symbol, start, end: rangeEnd }, run.signal);
    } catch (err) {
      // Adapters report expected failures as outcomes; anything thrown is a provider fault.
      resp = { symbol, start, end: rangeEnd, outcome: 'provider_error', quotes: [], firstTradeDate: null, error: (err as Error).message, rateLimited: false, circuitOpen: false, requests: 1, retries: 0 };
    }
    const c = run.marketData.counters;
    c.requests += resp.requests;
    c.retries += resp.retries;
    if (resp.rateLimited) c.rateLimited++;
    if (resp.circuitOpen) c.circuitOpens++;

    const storable = resp.quotes.filter((q) => q.date >= start && q.date <= rangeEnd);
    const v = validateQuotes(symbol, storable, (d) => run.prices.lastKnownBefore(symbol, d)?.price ?? null, run.settings['market_data.jump_threshold']);
    for (const r of v.rejected) {
      c.invalidPrices++;
      run.marketData.markInvalid(symbol, r.date, r.why);
    }
    let rows = 0;
    if (v.valid.length > 0) {
      if (!run.monitorOnly) {
        const merged = run.store.mergeQuotes(symbol, source.name, v.valid, run.nowIso());
        rows = merged.inserted + merged.updated;
      } else rows = v.valid.length;
      c.rowsUpserted += rows;
      for (const q of v.valid) run.prices.set(symbol, q.date, q.close, q.jump);
      run.marketData.fetchedSymbols.add(symbol);
    }
    for (const d of v.jumps) {
      c.jumpsFlagged++;
      run.telemetry.metric('price_validation_flag', null, { date: d, tags: { symbol, flag: 'jump', provider: source.name }, source: 'market_data', level: 'warn' });
    }
    const outcome: FetchOutcome = resp.outcome === 'ok' && v.valid.length === 0 && v.rejected.length > 0 ? 'invalid' : resp.outcome;
    const entry: FetchLogEntry = {
      symbol,
      provider: source.name,
      rangeStart: start,
      rangeEnd,
      requestedAt,
      outcome,
      rowsReturned: resp.quotes.length,
      firstTradeDate: resp.firstTradeDate,
      error: resp.error ?? (v.rejected.length ? v.rejected.map((r) => `${r.date}: ${r.why}`).slice(0, 5).join('; ') : null),
      runId: run.runId,
    };
    run.marketData.record(entry);
    if (!run.monitorOnly) run.store.appendFetchLog(entry);
    run.marketData.countProvider(source.name, outcome !== 'ok' && outcome !== 'no_data', v.valid.length);
    run.telemetry.metric('provider_request', resp.requests, {
      tags: { symbol, provider: source.name, outcome, start, end: rangeEnd, rows: v.valid.length },
      source: 'market_data',
      level: outcome === 'ok' || outcome === 'no_data' ? 'debug' : 'warn',
    });
    last = { outcome, rows: v.valid.length, provider: source.name, error: entry.error };
    if (outcome === 'ok' && v.valid.length > 0) break;
  }
  return last;
}
