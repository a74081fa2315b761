/**
 * Phase marks (portfolio scope, critical; SPEC.md c.7, d.1-d.3): a mark for every lot of the
 * portfolio on D with its provenance and P&L contribution. Missing prices never fail it; a
 * lot whose as-of quantity is undefined (closes exceeding the holding) does, naming the lot.
 */
import { markLot } from '../calc/lot-mark';
import { lotAsOf } from '../calc/lot-quantity';
import type { IsoDate } from '../domain/iso-date';
import type { LotMark } from '../domain/mark';
import { isActiveOn, type Lot, type RealizedEvent } from '../domain/portfolio';
import { isOptionContractSymbol } from '../domain/symbols';
import { noteUnchanged, outcome, type PortfolioDateContext, type PortfolioPhase } from '../engine/phase-types';
import { symbolsNeeded } from './market-data/symbols-needed';

/**
 * The lots the marks phase marks on D: entered by D and held on D, or closed on D by a realized
 * event (`eventsOf` gives a lot's events). None means the phase writes no row for D, which the
 * phases after it and the planner read as marks in place, not missing (m.22).
 */
export function lotsMarkedOn(lots: readonly Lot[], eventsOf: (lotId: string) => readonly RealizedEvent[], d: IsoDate): Lot[] {
  return lots.filter((lot) => {
    if (lot.entryDate > d) return false;
    if (isActiveOn(lot, d)) return true;
    return eventsOf(lot.id).some((e) => e.tradeDate === d);
  });
}

/** The lots the marks phase marks on the portfolio-date (lotsMarkedOn with the run's events). */
export function lotsConsidered(ctx: PortfolioDateContext): Lot[] {
  return lotsMarkedOn(ctx.lots, (id) => ctx.run.eventsByLot.get(id) ?? [], ctx.date);
}

/**
 * Whether the marks of a portfolio on D are in place for a phase that reads them: rows are
 * stored, or none are due because no lot is marked on D (a portfolio whose lots all closed
 * before D is edge input, not a missing prerequisite, m.22).
 */
export function marksInPlace(hasMarks: boolean, lots: readonly Lot[], eventsOf: (lotId: string) => readonly RealizedEvent[], d: IsoDate): boolean {
  return hasMarks || lotsMarkedOn(lots, eventsOf, d).length === 0;
}

/**
 * The marks prerequisite when market_data does not run on D (c.11), checked by the planner
 * before a run and by the phase itself: the symbols the lots need on D (their factor ETFs
 * included, e.2) with neither a close on D nor a missing_prices row for D, sorted. Option
 * contracts are left out: a contract without a close has no row of its own, the model prices
 * it (e.6).
 */
export function uncoveredSymbols(lots: readonly Lot[], d: IsoDate, hasClose: (symbol: string) => boolean, missingRows: ReadonlySet<string>): string[] {
  return [...symbolsNeeded(lots, d, false).keys()].filter((s) => !isOptionContractSymbol(s) && !hasClose(s) && !missingRows.has(s)).sort();
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

export const marksPhase: PortfolioPhase = {
  name: 'marks',
  scope: 'portfolio',
  critical: true,
  reads: ['portfolios', 'positions', 'position_realized_events', 'market_data_cache', 'position_marks', 'settings'],
  writes: ['position_marks', 'positions.mark'],
  prerequisite(ctx) {
    if (ctx.selected.has('market_data')) return null;
    const uncovered = uncoveredSymbols(ctx.lots, ctx.date, (s) => ctx.run.prices.closeOn(s, ctx.date) !== null, ctx.run.store.missingPriceSymbols(ctx.date));
    return uncovered.length ? `market_data has not run for ${ctx.date}: no close and no missing_prices row for ${uncovered.slice(0, 5).join(', ')}` : null;
  },
  run(ctx) {
    const { run, date: d, portfolio } = ctx;
    const s = run.settings;
    const considered = lotsConsidered(ctx);
    run.markHistory.ensure(considered.map((l) => l.id));
    const earliest = run.store.earliestMarkDate(portfolio.id);
    const baseline = earliest !== null && earliest < d ? earliest : d;
    const marks: LotMark[] = [];
    const reconstructed: string[] = [];
    for (const lot of considered) {
      const asOf = lotAsOf(lot, run.eventsByLot.get(lot.id) ?? [], d);
      if (!asOf.ok) return outcome('failed', { positions_total: ctx.lots.length }, 'lot_quantity_invalid', asOf.error);
      if (asOf.qD !== lot.quantity) reconstructed.push(lot.id);
      marks.push(
        markLot({
          lot,
          asOf,
          d,
          prices: run.prices,
          settings: { fallbackTradingDays: s['marks.fallback_trading_days'], impliedVol: s['options.implied_vol'], riskFreeRate: s['options.risk_free_rate'] },
          previousMark: run.markHistory.previous(lot.id, d),
          baseline,
          firstMarkPrice: lot.investmentClass === 'OPTIONS' && lot.entryPrice === 0 ? run.markHistory.firstPrice(lot.id, d) : null,
        }),
      );
    }
    noteUnchanged(ctx, 'marks', run.store.replaceMarks(portfolio.id, d, marks, run.runId, run.nowIso()));
    ctx.state.marks = marks;
    const active = marks.filter((m) => m.isActive);
    const eligible = active.filter((m) => {
      const lot = ctx.lots.find((l) => l.id === m.positionId)!;
      return lot.investmentClass !== 'PRIVATE';
    });
    const bySource = countBy(active, (m) => m.priceSource);
    const unmarked = active.filter((m) => m.priceSource === 'missing');
    const missingSymbols = [...new Set(unmarked.map((m) => ctx.lots.find((l) => l.id === m.positionId)!.symbol))];
    const flagCounts: Record<string, number> = {};
    for (const m of marks) for (const f of m.flags) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
    return outcome('success', {
      positions_total: active.length,
      positions_eligible: eligible.length,
      marked_exact: bySource['exact'] ?? 0,
      marked_fallback: bySource['fallback'] ?? 0,
      marked_model: bySource['model'] ?? 0,
      marked_entry: bySource['entry'] ?? 0,
      unmarked: unmarked.length,
      missing_ratio: eligible.length ? Math.round((unmarked.length / eligible.length) * 10_000) / 10_000 : 0,
      missing_price_count: missingSymbols.length,
      fallback_count: bySource['fallback'] ?? 0,
      closes_today: marks.filter((m) => m.closedQuantity > 0).length,
      quantities_reconstructed: reconstructed.length,
      missing_symbols: missingSymbols.slice(0, 20),
      flags: flagCounts,
    });
  },
};
