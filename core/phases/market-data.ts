/**
 * Phase market_data (date scope, critical; SPEC.md c.5): make sure every needed symbol has a
 * close for D and record every gap. The chunk prefetch has loaded and filled the price table;
 * this phase asks once more for the missing days of symbols still missing D whose last
 * request failed (rate_limited, provider_error) or that were never asked, writes D's
 * missing_prices rows with reasons and resolutions (e.6; replacing the previous ones at
 * once), and fails the date when SPY has no usable close or fewer than min_usable_coverage of
 * the needed symbols have one.
 *
 * The request counters of its metrics (requests_made, retries, rate_limited_count,
 * circuit_open_count, rows_upserted, invalid_prices, price_jumps_flagged, providers) count what
 * was asked since the previous date's report: this date's second pass and, on the first date of
 * a chunk that runs market_data, the chunk prefetch's requests too (its share is the metrics'
 * `prefetch.requests_made`, with the chunk's range in `prefetch.first_date` and
 * `prefetch.last_date`). So the tracking rows' market_data.requests_made (and the other
 * counters) add up over a run's dates to the run summary's market_data totals (SPEC.md c.5
 * step 2, h.4, h.5).
 */
import { previousTradingDay } from '../calendar';
import { isOptionContractSymbol } from '../domain/symbols';
import type { MissingPriceRow } from '../ports/store';
import { outcome, type DatePhase, type DateContext } from '../engine/phase-types';
import { fetchRange } from './market-data/fetch-range';
import { symbolHistory } from './market-data/first-trade-date';
import { missingReason } from './market-data/missing-reason';
import { planSymbolRanges } from './market-data/prefetch';
import { copyOfCounters, providerCountsSince } from './market-data/run-state';
import { symbolsNeeded, type SymbolNeed } from './market-data/symbols-needed';

export const MARKET_DATA_SHARED_KEY = 'market_data';

export interface MarketDataShared {
  readonly requested: number;
  readonly exact: number;
  readonly fallback: number;
  readonly missing: number;
  readonly coveragePct: number;
  readonly usableCoveragePct: number;
  readonly missingSymbols: readonly { symbol: string; reason: string; resolution: string }[];
}

function lotsOf(ctx: DateContext) {
  return ctx.portfolioIds.flatMap((id) => ctx.run.lotsByPortfolio.get(id) ?? []);
}

/**
 * What the date's other active portfolios (outside the run's scope, `--portfolio`) need on D.
 * Their symbols are neither fetched nor judged (e.2), so their missing-price rows are kept; a
 * symbol both need counts every lot that needs it in positions_affected/portfolios_affected.
 */
function othersNeeds(ctx: DateContext, fetchOptionContracts: boolean): Map<string, SymbolNeed> {
  const inScope = new Set(ctx.portfolioIds);
  const lots = [...ctx.run.portfolios.values()].filter((p) => p.isActive && !inScope.has(p.id)).flatMap((p) => ctx.run.lotsByPortfolio.get(p.id) ?? []);
  return lots.length ? symbolsNeeded(lots, ctx.date, fetchOptionContracts) : new Map();
}

export const marketDataPhase: DatePhase = {
  name: 'market_data',
  scope: 'date',
  critical: true,
  reads: ['portfolios', 'positions', 'market_data_cache', 'market_data_fetch_log', 'settings'],
  writes: ['market_data_cache', 'market_data_fetch_log', 'missing_prices'],
  async run(ctx) {
    const { run, date: d } = ctx;
    const s = run.settings;
    const needed = symbolsNeeded(lotsOf(ctx), d, s['market_data.fetch_option_contracts']);
    const others = othersNeeds(ctx, s['market_data.fetch_option_contracts']);
    // Counted since the previous report: the chunk prefetch's requests go to the first date after it.
    const before = run.marketData.reported;
    const fallbackDays = s['marks.fallback_trading_days'];
    const latestStorable = d;

    // Second pass: symbols without a close on D whose last request failed, or never asked:
    // their missing days (the unsatisfied days of D's window) are requested once more.
    if (run.priceSources.length > 0) {
      for (const symbol of needed.keys()) {
        if (run.signal.aborted) break;
        if (run.prices.closeOn(symbol, d) !== null) continue;
        const listed = run.marketData.firstTradeDate(symbol);
        if (listed !== null && d < listed) continue;
        const last = run.marketData.lastCovering(symbol, d);
        if (last && last.outcome !== 'rate_limited' && last.outcome !== 'provider_error') continue;
        for (const r of planSymbolRanges(run, symbol, [d])) {
          if (run.signal.aborted) break;
          await fetchRange(run, symbol, r.start, r.end, latestStorable);
        }
      }
    }

    const rows: MissingPriceRow[] = [];
    let exact = 0;
    let fallback = 0;
    for (const [symbol, need] of needed) {
      if (run.prices.closeOn(symbol, d) !== null) {
        exact++;
        continue;
      }
      const hit = run.prices.lookup(symbol, d, fallbackDays);
      // e.6: a contract without a close of its own is priced by the model, or is covered by
      // its underlying's row when that is missing too: no row of its own.
      if (!hit && isOptionContractSymbol(symbol)) continue;
      if (hit) fallback++;
      const lastKnown = run.prices.lastKnownBefore(symbol, d);
      const last = run.marketData.lastCovering(symbol, d);
      const history = lastKnown ? { firstTradeDate: run.marketData.firstTradeDate(symbol), neverPriced: false } : symbolHistory(run, symbol, d);
      const why = missingReason({
        d,
        firstTradeDate: history.firstTradeDate,
        invalidReason: run.marketData.invalidReason(symbol, d) ?? (run.prices.hasInvalidRow(symbol, d) ? 'the cached close is not a number > 0' : null),
        lastRequest: last,
        fallbackDate: hit?.date ?? null,
        lastKnownDate: lastKnown?.date ?? null,
        neverPriced: history.neverPriced,
      });
      rows.push({
        priceDate: d,
        symbol,
        reason: why.reason,
        resolution: hit ? 'fallback' : 'missing',
        fallbackPriceDate: hit?.date ?? null,
        lastKnownPriceDate: lastKnown?.date ?? null,
        provider: last?.provider ?? (run.priceSources.length === 0 ? 'cache' : null),
        detail: why.detail,
        positionsAffected: need.positions + (others.get(symbol)?.positions ?? 0),
        portfoliosAffected: need.portfolios.size + (others.get(symbol)?.portfolios.size ?? 0),
      });
    }
    const keep = new Set([...others.keys()].filter((symbol) => !needed.has(symbol)));
    if (!run.monitorOnly) run.store.transaction(() => run.store.replaceMissingPrices(d, rows, keep, run.runId, run.nowIso()));
    else run.store.rollbackOnly(() => run.store.replaceMissingPrices(d, rows, keep, run.runId, run.nowIso()));

    const requested = needed.size;
    const coveragePct = requested ? Math.round((exact / requested) * 10_000) / 100 : 100;
    const usableCoveragePct = requested ? Math.round(((exact + fallback) / requested) * 10_000) / 100 : 100;
    const missingCount = rows.filter((r) => r.resolution === 'missing').length;
    const c = run.marketData.counters;
    const shared: MarketDataShared = {
      requested,
      exact,
      fallback,
      missing: missingCount,
      coveragePct,
      usableCoveragePct,
      missingSymbols: rows.map((r) => ({ symbol: r.symbol, reason: r.reason, resolution: r.resolution })),
    };
    ctx.shared.set(MARKET_DATA_SHARED_KEY, shared);
    const metrics = {
      symbols_requested: requested,
      symbols_with_exact_close: exact,
      symbols_with_fallback: fallback,
      symbols_missing: missingCount,
      coverage_pct: coveragePct,
      usable_coverage_pct: usableCoveragePct,
      requests_made: c.requests - before.requests,
      retries: c.retries - before.retries,
      rate_limited_count: c.rateLimited - before.rateLimited,
      circuit_open_count: c.circuitOpens - before.circuitOpens,
      rows_upserted: c.rowsUpserted - before.rowsUpserted,
      invalid_prices: c.invalidPrices - before.invalidPrices,
      price_jumps_flagged: c.jumpsFlagged - before.jumpsFlagged,
      missing_price_count: rows.length,
      fallback_count: fallback,
      providers: providerCountsSince(c.providers, before.providers),
      sources: run.priceSources.map((p) => p.name),
      mode: s['market_data.mode'],
      missing_symbols: rows.slice(0, 20).map((r) => r.symbol),
    };
    run.marketData.reported = copyOfCounters(c);
    const spy = run.prices.lookup('SPY', d, fallbackDays);
    if (!spy) {
      return outcome('failed', metrics, 'benchmark_missing', `SPY has no close on ${d} or in the ${fallbackDays} trading days before (previous trading day ${previousTradingDay(d)}); add prices or check the provider`);
    }
    const floor = s['market_data.min_usable_coverage'];
    if (requested > 0 && (exact + fallback) / requested < floor) {
      return outcome(
        'failed',
        metrics,
        'insufficient_price_coverage',
        `only ${usableCoveragePct}% of the ${requested} needed symbols have a usable close on ${d} (minimum ${Math.round(floor * 100)}%)`,
      );
    }
    return outcome('success', metrics);
  },
};

