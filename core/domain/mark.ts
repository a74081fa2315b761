/** A lot's mark on a processed date, with provenance and its P&L contribution (SPEC.md b.3 position_marks, d.2, d.3). */
import type { IsoDate } from './iso-date';

export type PriceSource = 'exact' | 'fallback' | 'model' | 'entry' | 'missing';
export type PrevBasis = 'mark' | 'entry' | 'baseline' | 'none';

export interface LotMark {
  readonly positionId: string;
  readonly portfolioId: string;
  readonly markDate: IsoDate;
  readonly isActive: boolean;
  /** Quantity as of D (signed). */
  readonly quantity: number;
  readonly multiplier: number;
  readonly price: number | null;
  readonly priceDate: IsoDate | null;
  readonly priceSource: PriceSource;
  /** Rounded to cents (stored). */
  readonly marketValue: number | null;
  readonly costBasis: number;
  readonly unrealizedPnl: number | null;
  readonly prevPrice: number | null;
  readonly prevPriceDate: IsoDate | null;
  readonly prevBasis: PrevBasis;
  readonly closedQuantity: number;
  /** Unrounded. */
  readonly closingPnl: number;
  /** Unrounded contribution to the day's P&L. */
  readonly dailyPnl: number;
  readonly underlyingPrice: number | null;
  readonly underlyingPriceDate: IsoDate | null;
  readonly impliedVol: number | null;
  readonly riskFreeRate: number | null;
  readonly timeToExpiry: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly theta: number | null;
  readonly vega: number | null;
  readonly flags: readonly string[];
}

/** Unrounded signed exposure of a mark: quantity × price × multiplier (SPEC.md m.9), 0 when missing. */
export function exposureOf(m: Pick<LotMark, 'quantity' | 'price' | 'multiplier' | 'priceSource'>): number {
  return m.priceSource === 'missing' || m.price === null ? 0 : m.quantity * m.price * m.multiplier;
}
