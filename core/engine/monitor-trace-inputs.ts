/**
 * The inputs a phase read, for `run --monitor-only --trace DIR` (SPEC.md g.12): prices with
 * their dates and sources, previous marks, the previous snapshot, the exposures used; for the
 * date-level phases the needed symbols with their closes and last requests, the profiles, and
 * the price windows of the symbol betas. The engine reads them through the same stores and
 * price table the phase uses, so they are what the phase saw: a date phase's just before it
 * runs (market_data fills the closes it fetches and logs its requests, which a read afterwards
 * would show as its inputs); a portfolio phase's right after it ran, inside its transaction
 * (before a critical failure rolls it back), since none of them changes what is read here.
 */
import { isValidClose } from '../calc/returns';
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName } from '../domain/phase';
import { isActiveOn } from '../domain/portfolio';
import { FACTOR_ETFS } from '../domain/symbols';
import { OLS_FETCH_DAYS, RIDGE_FETCH_DAYS, SPREAD_FETCH_DAYS } from '../phases/analytics/analytics-config';
import { windowRange } from '../phases/analytics/date-window';
import { symbolStageSymbols } from '../phases/analytics/symbol-stage';
import { symbolsNeeded } from '../phases/market-data/symbols-needed';
import type { DateContext, PortfolioDateContext } from './phase-types';

export function phaseTraceInputs(phase: PhaseName, ctx: PortfolioDateContext): Record<string, unknown> {
  const { run, date: d, portfolio } = ctx;
  const lots = ctx.lots.filter((l) => l.entryDate <= d);
  const fallbackDays = run.settings['marks.fallback_trading_days'];
  if (phase === 'marks') {
    const symbols = [...new Set(lots.flatMap((l) => [l.symbol, ...(l.underlyingSymbol ? [l.underlyingSymbol] : [])]))].sort();
    return {
      lots: lots.map((l) => ({ ...l, active: isActiveOn(l, d), events: run.eventsByLot.get(l.id) ?? [] })),
      prices: Object.fromEntries(symbols.map((s) => [s, run.prices.lookup(s, d, fallbackDays), ])),
      last_known_before: Object.fromEntries(symbols.map((s) => [s, run.prices.lastKnownBefore(s, d)])),
      previous_marks: (run.markHistory.ensure(lots.map((l) => l.id)), Object.fromEntries(lots.flatMap((l) => { const p = run.markHistory.previous(l.id, d); return p ? [[l.id, p]] : []; }))),
      settings: { fallback_trading_days: fallbackDays, implied_vol: run.settings['options.implied_vol'], risk_free_rate: run.settings['options.risk_free_rate'] },
    };
  }
  if (phase === 'snapshots') {
    return {
      previous_snapshot: run.store.previousSnapshot(portfolio.id, d),
      portfolio: portfolio,
      marks: ctx.state.marks ?? run.store.loadMarks(portfolio.id, d),
      equity_changes: (run.equityChangesByPortfolio.get(portfolio.id) ?? []).filter((c) => c.changeDate === d),
      realized_events: lots.flatMap((l) => (run.eventsByLot.get(l.id) ?? []).filter((e) => e.tradeDate === d)),
    };
  }
  if (phase === 'sector_tags') {
    return { profiles: Object.fromEntries(lots.map((l) => [l.symbol, run.profiles.get(l.symbol) ?? null])) };
  }
  if (phase === 'analytics') {
    return {
      snapshot: ctx.state.snapshot ?? run.store.snapshotOf(portfolio.id, d),
      marks: ctx.state.marks ?? run.store.loadMarks(portfolio.id, d),
      symbol_stage_failed: ctx.dateContext.shared.get('symbol_stage_failed') ?? null,
      guard_max_missing_marks: run.settings['guard.max_missing_marks'],
    };
  }
  return {};
}

/** A symbol's valid closes in the calendar window [D − days, D], with the first and last dates. */
function priceWindow(ctx: DateContext, symbol: string, days: number): { from: IsoDate | null; to: IsoDate | null; closes: number } {
  const { run, date } = ctx;
  const series = run.prices.seriesOf(symbol);
  const r = windowRange(run.prices, date, days);
  let from: IsoDate | null = null;
  let to: IsoDate | null = null;
  let closes = 0;
  for (let i = Math.max(0, r.from); series && i <= Math.min(r.to, series.length - 1); i++) {
    if (!isValidClose(series[i]!)) continue;
    closes++;
    from ??= run.prices.dateAt(i);
    to = run.prices.dateAt(i);
  }
  return { from, to, closes };
}

/** The inputs a date phase (market_data, fundamentals, or analytics' symbol stage) read on D. */
export function datePhaseTraceInputs(phase: PhaseName, ctx: DateContext): Record<string, unknown> {
  const { run, date: d } = ctx;
  const lots = ctx.portfolioIds.flatMap((id) => run.lotsByPortfolio.get(id) ?? []);
  if (phase === 'market_data') {
    const fallbackDays = run.settings['marks.fallback_trading_days'];
    const needed = symbolsNeeded(lots, d, run.settings['market_data.fetch_option_contracts']);
    return {
      symbols: Object.fromEntries(
        [...needed.keys()].sort().map((s) => [
          s,
          {
            positions: needed.get(s)!.positions,
            portfolios: needed.get(s)!.portfolios.size,
            price: run.prices.lookup(s, d, fallbackDays),
            last_known_before: run.prices.lastKnownBefore(s, d),
            last_request: run.marketData.lastCovering(s, d),
            first_trade_date: run.marketData.firstTradeDate(s),
            invalid_reason: run.marketData.invalidReason(s, d),
          },
        ]),
      ),
      sources: run.priceSources.map((p) => p.name),
      settings: { mode: run.settings['market_data.mode'], fallback_trading_days: fallbackDays, min_usable_coverage: run.settings['market_data.min_usable_coverage'] },
    };
  }
  if (phase === 'fundamentals') {
    const symbols = [...new Set(lots.filter((l) => l.investmentClass === 'PUBLIC' && isActiveOn(l, d)).map((l) => l.symbol))].sort();
    return {
      profiles: Object.fromEntries(symbols.map((s) => [s, run.profiles.get(s) ?? null])),
      source: run.profileSource?.name ?? null,
      settings: { profile_max_age_days: run.settings['fundamentals.profile_max_age_days'] },
    };
  }
  if (phase === 'analytics') {
    const window = (s: string) => ({ ols: priceWindow(ctx, s, OLS_FETCH_DAYS), ridge: priceWindow(ctx, s, RIDGE_FETCH_DAYS), spread: priceWindow(ctx, s, SPREAD_FETCH_DAYS) });
    return {
      symbols: Object.fromEntries(symbolStageSymbols(ctx).map((s) => [s, { closes: window(s), profile_beta: run.profiles.get(s)?.beta ?? null }])),
      factor_etfs: Object.fromEntries(FACTOR_ETFS.map((e) => [e, window(e)])),
      window_calendar_days: { ols: OLS_FETCH_DAYS, ridge: RIDGE_FETCH_DAYS, spread: SPREAD_FETCH_DAYS },
    };
  }
  return {};
}
