/**
 * The analytics phase's date-level step (SPEC.md c.10 prepareDate, d.6-d.8): the symbol-level
 * betas of D for every PUBLIC symbol of a lot active on D in the date's planned portfolios,
 * computed once per symbol and date (every portfolio shares them) and written with
 * replaceSymbolExposures in one transaction of their own (rolled back in monitor-only mode).
 * The jobs then read them from the date cache, so monitor-only runs see them too.
 *
 * Fails (the jobs needing symbol betas then fail with `symbol_stage_failed`) when a factor the
 * stage writes has no factor_definitions row, or when the write fails.
 */
import type { PhaseOutcome } from '../../domain/phase';
import { isActiveOn } from '../../domain/portfolio';
import { outcome, type DateContext } from '../../engine/phase-types';
import { analyticsDateCache } from './analytics-date-cache';
import { computeSymbolBetas, SYMBOL_STAGE_FACTORS } from './symbol-betas';

/** Distinct PUBLIC symbols of lots active on D in the given portfolios, sorted. */
export function symbolStageSymbols(ctx: Pick<DateContext, 'run' | 'date' | 'portfolioIds'>): string[] {
  const out = new Set<string>();
  for (const pid of ctx.portfolioIds) {
    for (const lot of ctx.run.lotsByPortfolio.get(pid) ?? []) {
      if (lot.investmentClass === 'PUBLIC' && isActiveOn(lot, ctx.date)) out.add(lot.symbol);
    }
  }
  return [...out].sort();
}

export function prepareSymbolStage(ctx: DateContext): PhaseOutcome {
  const { run, date } = ctx;
  const cache = analyticsDateCache(ctx);
  const symbols = symbolStageSymbols(ctx);
  const factorIds = cache.factorIds.byName;
  const missing = SYMBOL_STAGE_FACTORS.filter((n) => !factorIds.has(n));
  if (missing.length > 0) {
    return outcome('failed', { symbols: symbols.length, rows: 0, missing_factors: missing }, 'factor_definitions_missing', `factor_definitions has no row for ${missing.join(', ')}`);
  }
  const result = computeSymbolBetas({
    date,
    symbols,
    prices: run.prices,
    etfPrices: cache.etfPrices,
    profileBeta: (s) => run.profiles.get(s)?.beta ?? null,
    factorIds,
    workspace: cache.workspace,
  });
  const write = () => run.store.replaceSymbolExposures(date, symbols, result.rows, run.nowIso());
  if (run.monitorOnly) run.store.rollbackOnly(write);
  else run.store.transaction(write);
  cache.setSymbolBetas(result.table);
  const rowsByMethod: Record<string, number> = {};
  for (const r of result.rows) rowsByMethod[r.calculationMethod] = (rowsByMethod[r.calculationMethod] ?? 0) + 1;
  return outcome('success', {
    symbols: symbols.length,
    rows: result.rows.length,
    rows_by_method: rowsByMethod,
    symbols_with_betas: result.successes,
    failures: result.failures,
  });
}
