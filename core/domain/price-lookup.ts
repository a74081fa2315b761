/**
 * How calculations ask for closes (SPEC.md d.2.1). The engine backs it with the chunk's
 * in-memory price table; tests back it with a small map.
 */
import type { IsoDate } from './iso-date';

export interface PriceHit {
  readonly price: number;
  readonly date: IsoDate;
  readonly source: 'exact' | 'fallback';
}

export interface PriceLookup {
  /** A valid close exactly on D, else the latest valid close on one of the `fallbackDays` trading days before D. */
  lookup(symbol: string, d: IsoDate, fallbackDays: number): PriceHit | null;
}
