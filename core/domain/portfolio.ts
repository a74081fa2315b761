/**
 * The raw inputs of the batch: portfolios, lots, realized events and capital flows
 * (SPEC.md b.2). Values are as stored; readers parse them at the database boundary.
 */
import type { IsoDate } from './iso-date';
import type { InvestmentClass } from './symbols';

export type PositionType = 'LONG' | 'SHORT' | 'LC' | 'LP' | 'SC' | 'SP';
export const POSITION_TYPES: readonly PositionType[] = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'];

export interface Portfolio {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly equityBalance: number | null;
  readonly initialEquity: number | null;
}

export interface Lot {
  readonly id: string;
  readonly portfolioId: string;
  readonly symbol: string;
  readonly positionType: PositionType;
  /** Current quantity, after every close; negative for shorts. */
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryDate: IsoDate;
  readonly exitDate: IsoDate | null;
  readonly underlyingSymbol: string | null;
  readonly strikePrice: number | null;
  readonly expirationDate: IsoDate | null;
  readonly investmentClass: InvestmentClass;
}

export interface RealizedEvent {
  readonly id: string;
  readonly positionId: string;
  readonly tradeDate: IsoDate;
  /** Absolute quantity closed, > 0. */
  readonly quantityClosed: number;
  readonly realizedPnl: number;
  readonly exitPrice: number | null;
}

export interface EquityChange {
  readonly portfolioId: string;
  readonly changeType: 'CONTRIBUTION' | 'WITHDRAWAL';
  readonly amount: number;
  readonly changeDate: IsoDate;
}

/** Type sign s(lot): +1 for long types, -1 for short types (SPEC.md a.2). */
export function typeSign(t: PositionType): 1 | -1 {
  return t === 'LONG' || t === 'LC' || t === 'LP' ? 1 : -1;
}

export function isOptionType(t: PositionType): boolean {
  return t === 'LC' || t === 'LP' || t === 'SC' || t === 'SP';
}

/** Contract multiplier: 100 for option types, 1 otherwise and for any private lot. */
export function multiplierOf(lot: Pick<Lot, 'positionType' | 'investmentClass'>): number {
  if (lot.investmentClass === 'PRIVATE') return 1;
  return isOptionType(lot.positionType) ? 100 : 1;
}

/** Active on D (SPEC.md a.1): entered, not exited, not expired. */
export function isActiveOn(lot: Lot, d: IsoDate): boolean {
  if (lot.entryDate > d) return false;
  if (lot.exitDate !== null && lot.exitDate <= d) return false;
  if (lot.investmentClass === 'OPTIONS' && lot.expirationDate !== null) {
    if (lot.expirationDate < d) return false;
    if (lot.expirationDate < lot.entryDate) return false;
  }
  return true;
}
