/**
 * Cash of a snapshot (SPEC.md d.4): cash_value = roundCents(new_equity − net_exposure), with
 * net_exposure the stored, rounded total of the unrounded lot exposures (m.9), so the stored
 * row holds total_value = net_exposure + cash_value to the cent exactly.
 *
 * Provenance: the formula check d.4 takes from the reference system's stored data (equity
 * 3,532,423.13, long 3,697,052.01, short −1,181,680.54 give net 2,515,371.47, gross
 * 4,878,732.55 and cash 1,017,051.66), and hand-computed half-cent cases. Tolerance: exact
 * in cents (values compared after Math.round(x × 100)).
 */
import { describe, expect, it } from 'vitest';
import { computeSnapshot } from '../../../core/calc/snapshot';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { LotMark } from '../../../core/domain/mark';

const D = '2025-07-01' as IsoDate;

/** An active stock mark of `quantity` at `price` (only what the snapshot reads matters). */
function mark(id: string, quantity: number, price: number): LotMark {
  return {
    positionId: id, portfolioId: 'p', markDate: D, isActive: true, quantity, multiplier: 1, price, priceDate: D, priceSource: 'exact',
    marketValue: Math.round(quantity * price * 100) / 100, costBasis: 0, unrealizedPnl: 0, prevPrice: price, prevPriceDate: D, prevBasis: 'mark',
    closedQuantity: 0, closingPnl: 0, dailyPnl: 0, underlyingPrice: null, underlyingPriceDate: null, impliedVol: null, riskFreeRate: null,
    timeToExpiry: null, delta: null, gamma: null, theta: null, vega: null, flags: [],
  };
}

/** The snapshot of D for `equity` held as the previous snapshot's equity, no P&L, no flows. */
function snapshotOf(equity: number, marks: LotMark[]) {
  return computeSnapshot({
    d: D, marks, initialEquity: equity, equityBalance: equity, realizedToday: 0, equityChanges: [],
    previous: { snapshotDate: '2025-06-30' as IsoDate, equityBalance: equity, cumulativePnl: 0, cumulativePnlRaw: 0, cumulativeRealizedPnl: 0, cumulativeCapitalFlow: 0 },
  });
}

const cents = (x: number) => Math.round(x * 100);

describe('snapshot cash', () => {
  it("matches d.4's formula check from the reference system's data", () => {
    const s = snapshotOf(3_532_423.13, [mark('long', 1, 3_697_052.01), mark('short', -1, 1_181_680.54)]);
    expect(s.netExposure).toBe(2_515_371.47);
    expect(s.grossExposure).toBe(4_878_732.55);
    expect(s.cashValue).toBe(1_017_051.66);
  });

  it('is equity less the rounded net exposure, so total_value = net_exposure + cash_value exactly', () => {
    // Lot exposures 0.004 + 0.004 = 0.008: the net rounds to 0.01, so cash is 99.99 (100 − 0.008 would round to 100.00).
    const s = snapshotOf(100, [mark('a', 1, 0.004), mark('b', 1, 0.004)]);
    expect(s.netExposure).toBe(0.01);
    expect(s.cashValue).toBe(99.99);
    expect(cents(s.netExposure) + cents(s.cashValue)).toBe(cents(s.totalValue));
  });

  it('keeps the identity over many half-cent nets', () => {
    for (let k = 1; k <= 400; k++) {
      const s = snapshotOf(1_270_565.53, [mark('a', 1, 1_177_033.845 + k * 0.0001), mark('b', -3, 0.0017 * k)]);
      expect(cents(s.netExposure) + cents(s.cashValue), `k = ${k}`).toBe(cents(s.totalValue));
    }
  });
});
