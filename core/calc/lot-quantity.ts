/**
 * Quantity of a lot as of the processed date D (SPEC.md d.1).
 *
 * `positions.quantity` is today's quantity, after every close. The quantity as of D adds back
 * the closes dated after D; the quantity at the open of D also adds back the closes dated D:
 *
 *   q_D     = quantity + s(lot) × Σ quantity_closed  (events with trade_date > D)
 *   q_start = q_D      + s(lot) × Σ quantity_closed  (events with trade_date = D)
 *
 * Units: shares or contracts, signed (negative for short types).
 * Edge cases: a lot with an exit date but no events holds 0 on every date (flag
 * `closed_without_events`); an exit date with a non-zero current quantity keeps the events'
 * view (flag `exit_quantity_mismatch`); events after the exit date are flagged
 * (`event_after_exit`). A long lot that would be short as of D (or the reverse) is a data
 * error naming the lot.
 */
import type { IsoDate } from '../domain/iso-date';
import { multiplierOf, typeSign, type Lot, type RealizedEvent } from '../domain/portfolio';

export interface ClosingEvent {
  readonly eventId: string;
  /** Absolute quantity closed, > 0. */
  readonly quantityClosed: number;
  readonly exitPrice: number;
  readonly realizedPnl: number;
}

export type LotAsOf =
  | {
      readonly ok: true;
      readonly qD: number;
      readonly qStart: number;
      /** Σ quantity_closed of events dated D (absolute). */
      readonly closedQuantity: number;
      readonly closesToday: readonly ClosingEvent[];
      readonly flags: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/** Tolerance for quantity sign checks: quantities are stored as REAL with 4 decimals. */
const QTY_EPS = 1e-9;

/**
 * Exit price of a close: the event's own price, else derived from its realized P&L so the
 * P&L invariant of d.3 holds by construction:
 *   long types:  exit = entry + realized / (quantity_closed × multiplier)
 *   short types: exit = entry − realized / (quantity_closed × multiplier)
 */
export function eventExitPrice(lot: Lot, e: RealizedEvent): number {
  if (e.exitPrice !== null && Number.isFinite(e.exitPrice)) return e.exitPrice;
  const m = multiplierOf(lot);
  return lot.entryPrice + (typeSign(lot.positionType) * e.realizedPnl) / (e.quantityClosed * m);
}

export function lotAsOf(lot: Lot, events: readonly RealizedEvent[], d: IsoDate): LotAsOf {
  const s = typeSign(lot.positionType);
  const flags: string[] = [];
  if (lot.exitDate !== null && events.length === 0) {
    flags.push('closed_without_events');
    return { ok: true, qD: 0, qStart: 0, closedQuantity: 0, closesToday: [], flags };
  }
  if (lot.exitDate !== null && Math.abs(lot.quantity) > QTY_EPS) flags.push('exit_quantity_mismatch');
  let after = 0;
  let today = 0;
  const closesToday: ClosingEvent[] = [];
  for (const e of events) {
    if (lot.exitDate !== null && e.tradeDate > lot.exitDate && !flags.includes('event_after_exit')) flags.push('event_after_exit');
    if (e.tradeDate > d) after += e.quantityClosed;
    else if (e.tradeDate === d) {
      today += e.quantityClosed;
      closesToday.push({ eventId: e.id, quantityClosed: e.quantityClosed, exitPrice: eventExitPrice(lot, e), realizedPnl: e.realizedPnl });
    }
  }
  // With an exit date the events are trusted: the quantity after every close is 0.
  const current = lot.exitDate !== null ? 0 : lot.quantity;
  const qD = current + s * after;
  const qStart = qD + s * today;
  if (s * qD < -QTY_EPS || s * qStart < -QTY_EPS) {
    // Closes only ever add back to a quantity of the right sign: the stored quantity has the
    // wrong sign, or an event closes a negative quantity.
    const lotName = `lot ${lot.id} (${lot.symbol}, ${lot.positionType})`;
    if (s * current < -QTY_EPS) return { ok: false, error: `${lotName} has quantity ${current}, of the wrong sign for its type: fix positions.quantity (or the position type)` };
    const negative = events.find((e) => e.tradeDate >= d && !(e.quantityClosed > 0));
    const culprit = negative ? `realized event ${negative.id} (${negative.tradeDate}) closes ${negative.quantityClosed}, not a quantity > 0` : 'its realized events close more than it held';
    return { ok: false, error: `${lotName} would hold ${qD} as of ${d}: ${culprit}; fix position_realized_events` };
  }
  return { ok: true, qD: Math.abs(qD) < QTY_EPS ? 0 : qD, qStart, closedQuantity: today, closesToday, flags };
}
