/**
 * A lot's quantity as of D (SPEC.md d.1): reference values worked by hand from d.1's two
 * formulas, and the data errors, whose words must blame what is actually wrong (a negative
 * stored quantity on a long lot blamed realized events that did not exist).
 */
import { describe, expect, it } from 'vitest';
import { lotAsOf } from '../../../core/calc/lot-quantity';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { Lot, RealizedEvent } from '../../../core/domain/portfolio';

const lot = (over: Partial<Lot> = {}): Lot => ({
  id: 'lot-1',
  portfolioId: 'p1',
  symbol: 'AAPL',
  positionType: 'LONG',
  quantity: 40,
  entryPrice: 100,
  entryDate: '2025-07-01' as IsoDate,
  exitDate: null,
  underlyingSymbol: null,
  strikePrice: null,
  expirationDate: null,
  investmentClass: 'PUBLIC',
  ...over,
});
const close = (tradeDate: string, quantityClosed: number): RealizedEvent => ({ id: `e-${tradeDate}`, positionId: 'lot-1', tradeDate: tradeDate as IsoDate, quantityClosed, realizedPnl: 0, exitPrice: 110 });
const EVENTS = [close('2025-07-10', 25), close('2025-07-15', 35)];

describe('lotAsOf (d.1)', () => {
  it('adds back the closes after D, and those of D for the open (hand-worked, exact)', () => {
    // Today 40 held after closing 25 on 07-10 and 35 on 07-15: 100 bought.
    expect(lotAsOf(lot(), EVENTS, '2025-07-09' as IsoDate)).toMatchObject({ ok: true, qD: 100, qStart: 100, closedQuantity: 0 });
    expect(lotAsOf(lot(), EVENTS, '2025-07-10' as IsoDate)).toMatchObject({ ok: true, qD: 75, qStart: 100, closedQuantity: 25 });
    expect(lotAsOf(lot(), EVENTS, '2025-07-15' as IsoDate)).toMatchObject({ ok: true, qD: 40, qStart: 75, closedQuantity: 35 });
    // A short lot: quantities negative, closes add back with the type's sign.
    expect(lotAsOf(lot({ positionType: 'SHORT', quantity: -40 }), EVENTS, '2025-07-10' as IsoDate)).toMatchObject({ ok: true, qD: -75, qStart: -100 });
  });

  it('names the stored quantity, not events, when the quantity alone has the wrong sign', () => {
    const r = lotAsOf(lot({ quantity: -10 }), [], '2025-07-10' as IsoDate);
    expect(r).toEqual({ ok: false, error: 'lot lot-1 (AAPL, LONG) has quantity -10, of the wrong sign for its type: fix positions.quantity (or the position type)' });
  });

  it('names the event when a realized event closes a negative quantity', () => {
    const r = lotAsOf(lot({ positionType: 'SHORT', quantity: -5 }), [{ ...close('2025-07-10', 25), quantityClosed: -25 }], '2025-07-09' as IsoDate);
    expect(r).toEqual({
      ok: false,
      error: 'lot lot-1 (AAPL, SHORT) would hold 20 as of 2025-07-09: realized event e-2025-07-10 (2025-07-10) closes -25, not a quantity > 0; fix position_realized_events',
    });
  });
});
