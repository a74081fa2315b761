/**
 * What the analytics jobs share across the portfolios of one processed date (SPEC.md c.10,
 * d.10, d.12), kept in the date context's `shared` map so it lives exactly as long as the
 * date: the factor ETF series, one alignment workspace, the symbol betas of D, each symbol's
 * return series and volatility metrics over `[D − 365, D]` (computed once, used by every lot
 * and portfolio holding the symbol), and the stress-test factor correlation matrix as of D.
 * Everything is computed on first use.
 */
import { createAlignWorkspace, type AlignWorkspace } from '../../calc/align';
import { factorCorrelationMatrix, type FactorCorrelationMatrix } from '../../calc/ewma-correlation';
import { countValidCloses } from '../../calc/returns';
import type { HarComponents } from '../../calc/har';
import { positionVolatility, type ReturnSeries, type VolatilityFailure, type VolatilityMetrics } from '../../calc/volatility';
import { volatilityHistory, windowVolatilityInputs } from '../../calc/volatility-history';
import type { IsoDate } from '../../domain/iso-date';
import { FACTOR_ETFS } from '../../domain/symbols';
import type { DateContext, RunContext } from '../../engine/phase-types';
import { EWMA_CONFIG, SPREAD_FETCH_DAYS, STRESS_MATRIX_FACTORS, STRESS_MATRIX_WINDOW_DAYS, VOLATILITY_WINDOW_DAYS } from './analytics-config';
import { windowRange } from './date-window';
import { SymbolBetaTable } from './symbol-beta-table';

const CACHE_KEY = 'analytics.date_cache';
/** Set by the engine after prepareDate: the stage's error text, or null when it succeeded. */
export const SYMBOL_STAGE_FAILED_KEY = 'symbol_stage_failed';

export type SymbolBetasAccess =
  | { readonly ok: true; readonly table: SymbolBetaTable; readonly source: 'stage' | 'stored' }
  | { readonly ok: false; readonly reason: 'symbol_stage_failed'; readonly error: string };

export class AnalyticsDateCache {
  private etf: Record<string, Float64Array> | null = null;
  private ws: AlignWorkspace | null = null;
  private betas: SymbolBetaTable | null = null;
  private betasSource: 'stage' | 'stored' = 'stage';
  private readonly series = new Map<string, { series: ReturnSeries; components: HarComponents } | null>();
  private readonly vol = new Map<string, VolatilityMetrics | VolatilityFailure>();
  private matrix: FactorCorrelationMatrix | null = null;
  private ids: { byName: Map<string, string>; byId: Map<string, string> } | null = null;

  constructor(
    readonly run: RunContext,
    readonly date: IsoDate,
    private readonly shared: Map<string, unknown>,
  ) {}

  /** Every factor ETF's series; an ETF the table does not hold is an all-NaN series. */
  get etfPrices(): Readonly<Record<string, Float64Array>> {
    if (!this.etf) {
      const nan = new Float64Array(this.run.prices.length).fill(NaN);
      const out: Record<string, Float64Array> = {};
      for (const e of FACTOR_ETFS) out[e] = this.run.prices.seriesOf(e) ?? nan;
      this.etf = out;
    }
    return this.etf;
  }

  /** One workspace for every aligned table of the date: up to 8 series over the longest window (the stress matrix's). */
  get workspace(): AlignWorkspace {
    if (!this.ws) {
      const r = windowRange(this.run.prices, this.date, Math.max(SPREAD_FETCH_DAYS, STRESS_MATRIX_WINDOW_DAYS));
      this.ws = createAlignWorkspace(8, Math.max(1, r.to - r.from + 1));
    }
    return this.ws;
  }

  /** factor_definitions ids by name and names by id. */
  get factorIds(): { readonly byName: ReadonlyMap<string, string>; readonly byId: ReadonlyMap<string, string> } {
    if (!this.ids) {
      const byName = new Map<string, string>();
      const byId = new Map<string, string>();
      for (const f of this.run.factors) {
        byName.set(f.name, f.id);
        byId.set(f.id, f.name);
      }
      this.ids = { byName, byId };
    }
    return this.ids;
  }

  setSymbolBetas(table: SymbolBetaTable): void {
    this.betas = table;
    this.betasSource = 'stage';
  }

  /**
   * The symbol betas of D: the stage's table; `symbol_stage_failed` when the stage failed on this
   * date; otherwise (the stage did not run in this process) the stored rows of D.
   */
  symbolBetas(): SymbolBetasAccess {
    const failed = this.shared.get(SYMBOL_STAGE_FAILED_KEY);
    if (typeof failed === 'string') return { ok: false, reason: 'symbol_stage_failed', error: failed };
    if (!this.betas) {
      this.betas = SymbolBetaTable.fromRows(this.run.store.loadSymbolExposures(this.date), this.factorIds.byId);
      this.betasSource = 'stored';
    }
    return { ok: true, table: this.betas, source: this.betasSource };
  }

  /**
   * The symbol's returns on consecutive valid closes in `[D − 365, D]` with their HAR
   * components, sliced from the symbol's table-wide history (built once per price table);
   * null when the table has no such symbol.
   */
  private volatilityInputs(symbol: string): { series: ReturnSeries; components: HarComponents } | null {
    let s = this.series.get(symbol);
    if (s === undefined) {
      const table = this.run.prices;
      const prices = table.seriesOf(symbol);
      s = prices ? windowVolatilityInputs(table.derived(`volatility_history:${symbol}`, () => volatilityHistory(prices)), prices, windowRange(table, this.date, VOLATILITY_WINDOW_DAYS)) : null;
      this.series.set(symbol, s);
    }
    return s;
  }

  /** The symbol's returns on consecutive valid closes in `[D − 365, D]`; null when the table has no such symbol. */
  returnSeries(symbol: string): ReturnSeries | null {
    return this.volatilityInputs(symbol)?.series ?? null;
  }

  /** Position volatility metrics of a symbol (d.10), once per date. */
  volatility(symbol: string): VolatilityMetrics | VolatilityFailure {
    let v = this.vol.get(symbol);
    if (v === undefined) {
      const s = this.volatilityInputs(symbol);
      v = s ? positionVolatility(s.series, s.components) : { ok: false, reason: 'no_price_data', observations: 0 };
      this.vol.set(symbol, v);
    }
    return v;
  }

  /** Valid closes of the symbol in `[D − N, D]` (0 when the table has no such symbol). */
  validCloses(symbol: string, calendarDays: number): number {
    const prices = this.run.prices.seriesOf(symbol);
    if (!prices) return 0;
    const r = windowRange(this.run.prices, this.date, calendarDays);
    return countValidCloses(prices, r.from, r.to);
  }

  /** The EWMA factor correlation matrix as of D over `[D − 282, D]` (d.12), once per date. */
  factorMatrix(): FactorCorrelationMatrix {
    if (!this.matrix) {
      const range = windowRange(this.run.prices, this.date, STRESS_MATRIX_WINDOW_DAYS);
      this.matrix = factorCorrelationMatrix(STRESS_MATRIX_FACTORS, this.etfPrices, range, EWMA_CONFIG, this.workspace);
    }
    return this.matrix;
  }
}

/** The date's cache, created on first use. */
export function analyticsDateCache(dateCtx: DateContext): AnalyticsDateCache {
  let c = dateCtx.shared.get(CACHE_KEY);
  if (!(c instanceof AnalyticsDateCache) || c.run !== dateCtx.run || c.date !== dateCtx.date) {
    c = new AnalyticsDateCache(dateCtx.run, dateCtx.date, dateCtx.shared);
    dateCtx.shared.set(CACHE_KEY, c);
  }
  return c as AnalyticsDateCache;
}
