/**
 * The deterministic synthetic market-data generator (SPEC.md e.9, m.8): a factory that holds
 * one configuration and lazily computes, once per instance, the factor returns and each
 * requested symbol's series over the whole trading calendar. Everything it returns is a pure
 * function of (config, symbol): the same seed gives byte-identical output, a sub-range equals
 * the same days of a longer range, and adding a symbol changes no other symbol.
 *
 * Never generated: private-looking symbols and option contracts (e.5).
 */
import { CALENDAR_END, CALENDAR_START } from '../../core/calendar/calendar-range-error';
import {
  TRADING_DAY_COUNT,
  tradingDayAt,
  tradingIndexOnOrAfter,
  tradingIndexOnOrBefore,
} from '../../core/calendar/trading-calendar';
import { MARKET_BETA_FACTOR } from '../../core/domain/factor-names';
import { maxDate, minDate, type IsoDate } from '../../core/domain/iso-date';
import {
  canonicalSymbol,
  FACTOR_ETFS,
  isOptionContractSymbol,
  isPrivateLookingSymbol,
  type FactorEtf,
} from '../../core/domain/symbols';
import type { CompanyProfile, Quote } from '../../core/ports/market-data';
import { resolveAnchor, type ResolvedAnchor } from './anchors';
import { buildFactorModel, FACTOR_COUNT, FACTOR_ORDER, factorIndex, type FactorModel } from './factor-model';
import { generateFactorReturns } from './factor-returns';
import { impliedBetas, type ImpliedBeta } from './implied-betas';
import { drawStockParams, shapeName, type StockParams } from './stock-params';
import { syntheticConfigSchema, type FaultKind, type SyntheticConfig, type SyntheticConfigInput } from './synthetic-config';
import { syntheticProfile } from './synthetic-profile';
import { generateSymbolSeries, type SymbolSeries } from './symbol-series';

export interface SyntheticPriceRow {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly close: number;
  readonly volume: number;
}

export type SyntheticTruthKind = 'loading' | 'implied_beta' | 'alpha' | 'idio_vol' | 'anchor' | 'shape';

/** One synthetic_truth row (SPEC.md b.2) without created_at, which the writer adds. */
export interface SyntheticTruthRow {
  readonly symbol: string;
  readonly kind: SyntheticTruthKind;
  /** ETF ticker (loading), factor name (implied_beta), anchor date (anchor), shape name (shape), '' otherwise. */
  readonly name: string;
  readonly value: number;
  readonly seed: number;
  readonly profile: SyntheticConfig['profile'];
}

export interface SyntheticGenerator {
  readonly config: SyntheticConfig;
  readonly model: FactorModel;
  /** False for private-looking symbols and option contracts (after canonicalisation). */
  canGenerate(symbol: string): boolean;
  /** Quotes on the trading days of [start, end] (clipped to the calendar), faults applied. [] when not generatable. */
  quotes(symbol: string, start: IsoDate, end: IsoDate): readonly Quote[];
  /** Rows for many symbols over [start, end] (defaults: config.symbols, config.start, config.end). */
  priceRows(symbols?: readonly string[], start?: IsoDate, end?: IsoDate): { rows: SyntheticPriceRow[]; skipped: string[] };
  /** synthetic_truth rows for the symbols (default config.symbols); non-generatable symbols are left out. */
  truthRows(symbols?: readonly string[]): SyntheticTruthRow[];
  /** Profile of a generatable symbol, else null. */
  profile(symbol: string): CompanyProfile | null;
  /** Drawn parameters of a non-ETF symbol; null for factor ETFs and non-generatable symbols. */
  stockParams(symbol: string): StockParams | null;
  /** Implied betas (e.9) of a generatable symbol, else null. */
  impliedBetas(symbol: string): readonly ImpliedBeta[] | null;
  /** The anchor a symbol's path passes through. */
  anchor(symbol: string): ResolvedAnchor;
}

const FACTOR_SET: ReadonlySet<string> = new Set(FACTOR_ETFS);

interface SymbolState {
  readonly params: StockParams | null;
  readonly loadings: Float64Array;
  readonly anchor: ResolvedAnchor;
  series: SymbolSeries | null;
}

/** Builds a generator; `input` is validated with syntheticConfigSchema (throws a ZodError when invalid). */
export function createSyntheticGenerator(input: SyntheticConfigInput): SyntheticGenerator {
  const config = syntheticConfigSchema.parse(input);
  const model = buildFactorModel(config.profile);
  const faults = new Map<string, Map<string, FaultKind>>();
  for (const f of config.faults) {
    let m = faults.get(f.symbol);
    if (!m) faults.set(f.symbol, (m = new Map()));
    m.set(f.date, f.kind);
  }
  // Caches local to this instance: filled on demand, never shared between instances.
  let factorReturns: Float64Array | null = null;
  const states = new Map<string, SymbolState>();

  const canGenerate = (raw: string): boolean => {
    const s = canonicalSymbol(raw);
    return s.length > 0 && !isPrivateLookingSymbol(s) && !isOptionContractSymbol(s);
  };

  const getFactorReturns = (): Float64Array =>
    (factorReturns ??= generateFactorReturns(config.seed, model, TRADING_DAY_COUNT));

  const state = (symbol: string): SymbolState => {
    let st = states.get(symbol);
    if (st) return st;
    let params: StockParams | null = null;
    let loadings: Float64Array;
    if (FACTOR_SET.has(symbol)) {
      loadings = new Float64Array(FACTOR_COUNT);
      loadings[factorIndex(symbol as FactorEtf)] = 1;
    } else {
      params = drawStockParams(config.seed, symbol, config.profile);
      loadings = params.loadings;
    }
    st = { params, loadings, anchor: resolveAnchor(symbol, config), series: null };
    states.set(symbol, st);
    return st;
  };

  const series = (symbol: string): SymbolSeries => {
    const st = state(symbol);
    if (!st.series) {
      const driver = st.params
        ? ({ kind: 'stock', params: st.params } as const)
        : ({ kind: 'factor', factorIndex: factorIndex(symbol as FactorEtf) } as const);
      st.series = generateSymbolSeries(config.seed, symbol, driver, getFactorReturns(), st.anchor.index, st.anchor.price);
    }
    return st.series;
  };

  const forEachDay = (
    symbol: string,
    start: IsoDate,
    end: IsoDate,
    emit: (date: IsoDate, close: number, volume: number) => void,
  ): void => {
    if (start > end || end < CALENDAR_START || start > CALENDAR_END) return;
    const lo = tradingIndexOnOrAfter(maxDate(start, CALENDAR_START));
    const hi = tradingIndexOnOrBefore(minDate(end, CALENDAR_END));
    if (lo > hi) return;
    const { closes, volumes } = series(symbol);
    const symbolFaults = faults.get(symbol);
    for (let i = lo; i <= hi; i++) {
      const date = tradingDayAt(i);
      let close = closes[i]!;
      const fault = symbolFaults?.get(date);
      if (fault === 'gap') continue;
      if (fault === 'zero') close = 0;
      else if (fault === 'negative') close = -close;
      else if (fault === 'jump') close = close * 10;
      emit(date, close, volumes[i]!);
    }
  };

  const generator: SyntheticGenerator = {
    config,
    model,
    canGenerate,

    quotes(raw, start, end) {
      if (!canGenerate(raw)) return [];
      const out: Quote[] = [];
      forEachDay(canonicalSymbol(raw), start, end, (date, close, volume) => {
        out.push({ date, close, volume, open: null, high: null, low: null });
      });
      return out;
    },

    priceRows(symbols = config.symbols, start = config.start, end = config.end) {
      const rows: SyntheticPriceRow[] = [];
      const skipped: string[] = [];
      for (const raw of new Set(symbols.map(canonicalSymbol))) {
        if (!canGenerate(raw)) {
          skipped.push(raw);
          continue;
        }
        forEachDay(raw, start, end, (date, close, volume) => rows.push({ symbol: raw, date, close, volume }));
      }
      return { rows, skipped };
    },

    truthRows(symbols = config.symbols) {
      const rows: SyntheticTruthRow[] = [];
      const { seed, profile } = config;
      for (const symbol of new Set(symbols.map(canonicalSymbol))) {
        if (!canGenerate(symbol)) continue;
        const st = state(symbol);
        const add = (kind: SyntheticTruthKind, name: string, value: number): void => {
          rows.push({ symbol, kind, name, value, seed, profile });
        };
        FACTOR_ORDER.forEach((etf, k) => add('loading', etf, st.loadings[k]!));
        add('alpha', '', st.params?.alphaDaily ?? 0);
        add('idio_vol', '', st.params?.idioVolAnnual ?? 0);
        add('anchor', tradingDayAt(st.anchor.index), st.anchor.price);
        if (st.params?.shape) add('shape', shapeName(st.params.shape), 1);
        for (const b of impliedBetas(st.loadings, model)) add('implied_beta', b.name, b.value);
      }
      return rows;
    },

    profile(raw) {
      if (!canGenerate(raw)) return null;
      const symbol = canonicalSymbol(raw);
      const st = state(symbol);
      const market = impliedBetas(st.loadings, model).find((b) => b.name === MARKET_BETA_FACTOR)!.value;
      const drawnSector = st.params?.drawnSector ?? drawStockParams(config.seed, symbol, config.profile).drawnSector;
      return syntheticProfile({ seed: config.seed, profileName: config.profile, symbol, drawnSector, impliedMarketBeta: market });
    },

    stockParams(raw) {
      if (!canGenerate(raw)) return null;
      return state(canonicalSymbol(raw)).params;
    },

    impliedBetas(raw) {
      if (!canGenerate(raw)) return null;
      return impliedBetas(state(canonicalSymbol(raw)).loadings, model);
    },

    anchor(raw) {
      return state(canonicalSymbol(raw)).anchor;
    },
  };
  return generator;
}
