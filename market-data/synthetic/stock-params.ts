/**
 * Per-symbol generating parameters, drawn once from the stream 'params:<SYMBOL>'
 * (SPEC.md e.9). Draw order (fixed, so a symbol's parameters never change):
 *
 *  1. one uniform: the fallback sector, SECTOR_NAMES[floor(11 u)] (drawn for every symbol so
 *     the order never depends on the profile map);
 *  2. profile 'realistic': nine normals, in this order: SPY loading ~ N(1, 0.25²); the six
 *     style loadings VTV, VUG, MTUM, QUAL, IWM, USMV ~ N(0, 0.15²); TLT ~ N(0, 0.10²);
 *     daily alpha ~ N(0, 0.0002²); then one uniform: idiosyncratic annual volatility
 *     ~ U(0.15, 0.40);
 *     profile 'independent': alpha 0, idiosyncratic annual volatility 0.05; one uniform picks
 *     the shape (market, rates, style, spread, equal odds), then:
 *       market: SPY ~ U(0.5, 1.5);  rates: TLT ~ U(-1, 1);
 *       style:  VTV, VUG, MTUM, QUAL, IWM, USMV each ~ U(-1, 1), in that order;
 *       spread: one uniform picks the spread (factors.json order), then b ~ U(-1, 1) on its
 *               long ETF and -b on its short ETF.
 */
import { SPREAD_FACTORS } from '../../core/data/factors';
import { FACTOR_COUNT, factorIndex, type SyntheticProfile } from './factor-model';
import { RandomStream } from './prng';

/** The eleven provider sector names (Appendix B.2). */
export const SECTOR_NAMES = [
  'Technology',
  'Healthcare',
  'Financial Services',
  'Consumer Cyclical',
  'Consumer Defensive',
  'Industrials',
  'Energy',
  'Utilities',
  'Real Estate',
  'Basic Materials',
  'Communication Services',
] as const;
export type SectorName = (typeof SECTOR_NAMES)[number];

export type Shape =
  | { readonly kind: 'market' }
  | { readonly kind: 'rates' }
  | { readonly kind: 'style' }
  | { readonly kind: 'spread'; readonly spread: string };

/** The `name` of a synthetic_truth shape row: the shape, or the spread factor's name. */
export function shapeName(shape: Shape): string {
  return shape.kind === 'spread' ? shape.spread : shape.kind;
}

export interface StockParams {
  /** Loadings on the factor ETFs, in FACTOR_ORDER. */
  readonly loadings: Float64Array;
  /** Daily alpha (return units per trading day). */
  readonly alphaDaily: number;
  /** Idiosyncratic annual volatility; the daily value is this / sqrt(252). */
  readonly idioVolAnnual: number;
  /** Profile 'independent' only. */
  readonly shape: Shape | null;
  /** Sector used when the profile map has none for the symbol. */
  readonly drawnSector: SectorName;
}

const STYLE_INDICES = ['VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV'].map((e) => factorIndex(e as 'VTV'));
const SPY = factorIndex('SPY');
const TLT = factorIndex('TLT');
const SHAPES = ['market', 'rates', 'style', 'spread'] as const;

export function drawStockParams(seed: number, symbol: string, profile: SyntheticProfile): StockParams {
  const rng = new RandomStream(seed, `params:${symbol}`);
  const drawnSector = SECTOR_NAMES[rng.index(SECTOR_NAMES.length)]!;
  const loadings = new Float64Array(FACTOR_COUNT);
  if (profile === 'realistic') {
    loadings[SPY] = 1 + 0.25 * rng.normal();
    for (const i of STYLE_INDICES) loadings[i] = 0.15 * rng.normal();
    loadings[TLT] = 0.1 * rng.normal();
    const alphaDaily = 0.0002 * rng.normal();
    const idioVolAnnual = rng.uniformBetween(0.15, 0.4);
    return { loadings, alphaDaily, idioVolAnnual, shape: null, drawnSector };
  }
  const kind = SHAPES[rng.index(SHAPES.length)]!;
  let shape: Shape;
  if (kind === 'market') {
    loadings[SPY] = rng.uniformBetween(0.5, 1.5);
    shape = { kind };
  } else if (kind === 'rates') {
    loadings[TLT] = rng.uniformBetween(-1, 1);
    shape = { kind };
  } else if (kind === 'style') {
    for (const i of STYLE_INDICES) loadings[i] = rng.uniformBetween(-1, 1);
    shape = { kind };
  } else {
    const spread = SPREAD_FACTORS[rng.index(SPREAD_FACTORS.length)]!;
    const b = rng.uniformBetween(-1, 1);
    loadings[factorIndex(spread.long)] = b;
    loadings[factorIndex(spread.short)] = -b;
    shape = { kind: 'spread', spread: spread.name };
  }
  return { loadings, alphaDaily: 0, idioVolAnnual: 0.05, shape, drawnSector };
}
