/**
 * A lot's daily P&L contribution (SPEC.md d.3): price moves since the lot's previous mark,
 * plus closing moves; realized events are not added on top.
 *
 *   held     = (price_D − prev) × q_D × multiplier                     (0 if either is null)
 *   closing  = Σ (exit_e − prev*) × s × quantity_closed_e × multiplier  over closes dated D,
 *              prev* = prev, else price_D, else exit_e
 *   daily    = held + closing                                           (unrounded, dollars)
 *
 * The previous price follows rules 1-4 of d.3: the lot's latest earlier mark ('mark'), else
 * its entry price when it was opened inside the processed history ('entry'), else the day's
 * own price ('baseline', contribution 0), else nothing ('none').
 */
import type { IsoDate } from '../domain/iso-date';
import type { PrevBasis } from '../domain/mark';
import type { ClosingEvent } from './lot-quantity';

export interface PreviousMark {
  readonly price: number;
  readonly date: IsoDate;
}

export interface PrevChoice {
  readonly prev: number | null;
  readonly prevDate: IsoDate | null;
  readonly basis: PrevBasis;
}

export function choosePrevious(args: {
  readonly previousMark: PreviousMark | null;
  readonly entryDate: IsoDate;
  readonly entryPrice: number;
  /** The portfolio's baseline for marks, B. */
  readonly baseline: IsoDate;
  readonly zeroPremiumOption: boolean;
  readonly priceD: number | null;
  readonly d: IsoDate;
}): PrevChoice {
  if (args.previousMark) return { prev: args.previousMark.price, prevDate: args.previousMark.date, basis: 'mark' };
  if (args.entryDate >= args.baseline && !args.zeroPremiumOption) return { prev: args.entryPrice, prevDate: args.entryDate, basis: 'entry' };
  if (args.priceD !== null) return { prev: args.priceD, prevDate: args.d, basis: 'baseline' };
  return { prev: null, prevDate: null, basis: 'none' };
}

export interface LotPnl {
  readonly held: number;
  readonly closing: number;
  readonly daily: number;
}

export function lotPnl(args: {
  readonly priceD: number | null;
  readonly prev: number | null;
  readonly qD: number;
  readonly multiplier: number;
  readonly sign: 1 | -1;
  readonly closes: readonly ClosingEvent[];
}): LotPnl {
  const { priceD, prev, qD, multiplier, sign } = args;
  const held = priceD !== null && prev !== null ? (priceD - prev) * qD * multiplier : 0;
  let closing = 0;
  for (const c of args.closes) {
    const ref = prev ?? priceD ?? c.exitPrice;
    closing += (c.exitPrice - ref) * sign * c.quantityClosed * multiplier;
  }
  return { held, closing, daily: held + closing };
}
