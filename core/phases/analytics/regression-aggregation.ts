/**
 * The common part of the jobs that aggregate symbol regressions (SPEC.md d.9): market_beta,
 * ir_beta, spread_factors and ridge_factors.
 *
 * 1. Lots: the public marked lots of D; none → not_applicable.
 * 2. E = the snapshot's equity; E ≤ 0 → `non_positive_equity`, a benign skip (m.22, m.23: weights
 *    over a non-positive equity are undefined; the run completes with the coded reason).
 * 3. The symbol betas of D; a failed symbol stage → failed `symbol_stage_failed`.
 * 4. Per factor: β_p = Σ w_i β_i with w_i = MV_i / E, coverage = Σ|w| with a beta / Σ|w|
 *    (portfolioFactorBeta). A factor no lot has a beta for gets no row.
 * 5. No factor has any beta: the lots' own reason decides. `insufficient_observations` (the
 *    window has not filled yet, m.23) is a benign skip; anything else (zero_variance,
 *    non_finite_input, ...) fails the job with that reason.
 * The factor_exposures rows carry exposure_dollar = roundCents(β_p × E) and the coverage.
 */
import { COVERAGE_WARNING_BELOW, portfolioFactorBeta } from '../../calc/factor-aggregation';
import type { FactorExposureRow, SymbolExposureRow } from '../../ports/analytics-store';
import { equityOf, publicMarkedLots, type MarkedLot } from './job-lots';
import type { BenignSkipReason } from '../../domain/job-outcome';
import { jobBenignSkip, jobFailed, jobNotApplicable, type JobContext, type JobResult } from './job-types';
import { NO_SYMBOL_BETA, type SymbolBetaTable } from './symbol-beta-table';

export interface FactorAggregate {
  readonly name: string;
  readonly factorId: string;
  readonly beta: number;
  readonly exposureDollar: number;
  readonly coverage: number | null;
  readonly coverageWarning: boolean;
  readonly lotsWithBeta: number;
}

export interface LotBetas {
  readonly lot: MarkedLot;
  /** The symbol rows of D the lot has, by factor name (only factors with a row). */
  readonly rows: ReadonlyMap<string, SymbolExposureRow>;
}

export interface RegressionAggregation {
  readonly ok: true;
  readonly equity: number;
  readonly table: SymbolBetaTable;
  readonly lots: readonly MarkedLot[];
  /** Lots with a row for at least one of the factors. */
  readonly lotsWithRows: readonly LotBetas[];
  /** Factors with at least one lot carrying a beta, in the requested order. */
  readonly factors: readonly FactorAggregate[];
  readonly factorRows: readonly FactorExposureRow[];
  readonly metrics: Record<string, unknown>;
}

/** Symbol-beta reasons that mean "the data legitimately do not exist yet" (m.23); any other fails the job. */
const BENIGN_REASONS: ReadonlySet<string> = new Set<BenignSkipReason>(['insufficient_observations', NO_SYMBOL_BETA]);
const isBenignReason = (reason: string): reason is BenignSkipReason => BENIGN_REASONS.has(reason);

export function aggregateRegressionFactors(ctx: JobContext, factorNames: readonly string[]): RegressionAggregation | { readonly ok: false; readonly result: JobResult } {
  const lots = publicMarkedLots(ctx);
  if (lots.length === 0) return { ok: false, result: jobNotApplicable({ positions: 0, detail: 'no_public_marked_lots' }) };
  const equity = equityOf(ctx.snapshot);
  if (!(equity > 0) || !Number.isFinite(equity)) return { ok: false, result: jobBenignSkip('non_positive_equity', { positions: lots.length, equity }) };
  const betas = ctx.cache.symbolBetas();
  if (!betas.ok) return { ok: false, result: jobFailed('symbol_stage_failed', { positions: lots.length, error: betas.error }) };
  const table = betas.table;
  const ids = ctx.cache.factorIds.byName;

  const lotsWithRows: LotBetas[] = [];
  const missing: Record<string, number> = {};
  for (const lot of lots) {
    const rows = new Map<string, SymbolExposureRow>();
    let firstMissing: string | null = null;
    for (const name of factorNames) {
      const row = table.row(lot.lot.symbol, name);
      if (row) rows.set(name, row);
      else firstMissing ??= table.failure(lot.lot.symbol, name);
    }
    if (firstMissing !== null) missing[firstMissing] = (missing[firstMissing] ?? 0) + 1;
    if (rows.size > 0) lotsWithRows.push({ lot, rows });
  }

  const factors: FactorAggregate[] = [];
  const factorRows: FactorExposureRow[] = [];
  for (const name of factorNames) {
    const agg = portfolioFactorBeta(
      lots.map((l) => ({ marketValue: l.marketValue, beta: table.row(l.lot.symbol, name)?.betaValue ?? null })),
      equity,
      COVERAGE_WARNING_BELOW,
    );
    if (!agg.ok || agg.lotsWithBeta === 0) continue;
    const factorId = ids.get(name);
    if (factorId === undefined) continue;
    factors.push({ name, factorId, beta: agg.beta, exposureDollar: agg.exposureDollar, coverage: agg.coverage, coverageWarning: agg.coverageWarning, lotsWithBeta: agg.lotsWithBeta });
    factorRows.push({ portfolioId: ctx.pd.portfolio.id, factorId, calculationDate: ctx.pd.date, exposureValue: agg.beta, exposureDollar: agg.exposureDollar, coverage: agg.coverage });
  }

  const metrics: Record<string, unknown> = {
    positions: lots.length,
    positions_with_beta: lotsWithRows.length,
    positions_without_beta: lots.length - lotsWithRows.length,
    ...(Object.keys(missing).length > 0 ? { missing_reasons: missing } : {}),
    symbol_betas: betas.source,
  };
  if (factors.length === 0) {
    const reason = dominantReason(missing) ?? NO_SYMBOL_BETA;
    return { ok: false, result: isBenignReason(reason) ? jobBenignSkip(reason, metrics) : jobFailed(reason, metrics) };
  }
  const warnings = factors.filter((f) => f.coverageWarning).map((f) => f.name);
  return {
    ok: true,
    equity,
    table,
    lots,
    lotsWithRows,
    factors,
    factorRows,
    metrics: {
      ...metrics,
      rows_factor_exposures: factorRows.length,
      ...(factors.length < factorNames.length ? { factors_without_beta: factorNames.filter((n) => !factors.some((f) => f.name === n)) } : {}),
      ...(warnings.length > 0 ? { coverage_warning: warnings } : {}),
    },
  };
}

function dominantReason(counts: Readonly<Record<string, number>>): string | null {
  let best: string | null = null;
  for (const [reason, n] of Object.entries(counts)) if (best === null || n > counts[best]! || (n === counts[best]! && reason < best)) best = reason;
  return best;
}
