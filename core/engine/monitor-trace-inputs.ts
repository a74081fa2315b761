/**
 * The inputs a portfolio phase read, for `run --monitor-only --trace DIR` (SPEC.md g.12):
 * prices with their dates and sources, previous marks, the previous snapshot, the exposures
 * used. Read through the same stores and price table the phase used, inside the same
 * (rolled-back) transaction, so they are exactly what the phase saw.
 */
import type { PhaseName } from '../domain/phase';
import { isActiveOn } from '../domain/portfolio';
import type { PortfolioDateContext } from './phase-types';

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
