/**
 * The P&L invariants of SPEC.md d.3 and d.4, on randomised histories (seeded): a lot opened
 * inside the processed history, held through missing-price days, partially closed at random
 * prices and finally closed. Provenance: the invariants themselves (d.3 invariant 1 and 2,
 * d.4 "daily_pnl always equals the change in cumulative_pnl").
 */
import { describe, expect, it } from 'vitest';
import { addTradingDays, tradingDaysBetween } from '../../../core/calendar';
import { markLot } from '../../../core/calc/lot-mark';
import { lotAsOf } from '../../../core/calc/lot-quantity';
import { computeSnapshot, type PreviousSnapshot } from '../../../core/calc/snapshot';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { LotMark } from '../../../core/domain/mark';
import { roundCents } from '../../../core/domain/money';
import type { EquityChange, Lot, PositionType, RealizedEvent } from '../../../core/domain/portfolio';
import { seededRng } from '../../support/calc-random';
import { MapPriceLookup } from '../../support/map-price-lookup';

interface Scenario {
  lot: Lot;
  events: RealizedEvent[];
  prices: MapPriceLookup;
  days: readonly IsoDate[];
  flows: EquityChange[];
}

function scenario(seed: number): Scenario {
  const rng = seededRng(seed);
  const rnd = (): number => rng.next();
  const start = '2025-03-03' as IsoDate;
  const days = tradingDaysBetween(start, addTradingDays(start, 40 + Math.floor(rnd() * 40)));
  const type: PositionType = rnd() < 0.5 ? 'LONG' : 'SHORT';
  const sign = type === 'LONG' ? 1 : -1;
  const entryIdx = 1 + Math.floor(rnd() * 5);
  const exitIdx = days.length - 1 - Math.floor(rnd() * 3);
  const prices = new MapPriceLookup();
  let p = 20 + rnd() * 200;
  const entryPrice = Math.round(p * 10_000) / 10_000;
  for (let i = 0; i < days.length; i++) {
    p *= 1 + (rnd() - 0.5) * 0.06;
    // Random missing days (never the entry day, to keep the "entry" basis observable too).
    if (rnd() < 0.12 && i !== entryIdx) continue;
    prices.set('XYZ', days[i]!, Math.round(p * 10_000) / 10_000);
  }
  const total = Math.round((1 + rnd() * 500) * 10_000) / 10_000;
  let remaining = total;
  const events: RealizedEvent[] = [];
  const closeDays = new Set<number>();
  while (closeDays.size < 1 + Math.floor(rnd() * 4)) closeDays.add(entryIdx + 1 + Math.floor(rnd() * (exitIdx - entryIdx - 1)));
  closeDays.add(exitIdx);
  const sorted = [...closeDays].sort((a, b) => a - b);
  sorted.forEach((idx, k) => {
    const qty = k === sorted.length - 1 ? remaining : Math.round(remaining * (0.1 + rnd() * 0.5) * 10_000) / 10_000;
    remaining = Math.round((remaining - qty) * 10_000) / 10_000;
    const exit = Math.round(entryPrice * (0.7 + rnd() * 0.6) * 10_000) / 10_000;
    events.push({ id: `e${k}`, positionId: 'lot', tradeDate: days[idx]!, quantityClosed: qty, realizedPnl: (exit - entryPrice) * qty * sign, exitPrice: rnd() < 0.5 ? exit : null });
  });
  const flows: EquityChange[] = [];
  if (rnd() < 0.5) flows.push({ portfolioId: 'p', changeType: 'CONTRIBUTION', amount: Math.round(rnd() * 10_000 * 100) / 100, changeDate: days[Math.floor(rnd() * days.length)]! });
  const lot: Lot = {
    id: 'lot',
    portfolioId: 'p',
    symbol: 'XYZ',
    positionType: type,
    quantity: 0,
    entryPrice,
    entryDate: days[entryIdx]!,
    exitDate: days[exitIdx]!,
    underlyingSymbol: null,
    strikePrice: null,
    expirationDate: null,
    investmentClass: 'PUBLIC',
  };
  return { lot, events, prices, days, flows };
}

function simulate(s: Scenario) {
  const settings = { fallbackTradingDays: 5, impliedVol: 0.3, riskFreeRate: 0.04 };
  let previousMark: { price: number; date: IsoDate } | null = null;
  let previous: PreviousSnapshot | null = null;
  const baseline = s.days[0]!;
  const rows: { d: IsoDate; snap: ReturnType<typeof computeSnapshot>; mark: LotMark | null }[] = [];
  for (const d of s.days) {
    let mark: LotMark | null = null;
    const considered = s.lot.entryDate <= d && (d < s.lot.exitDate! || s.events.some((e) => e.tradeDate === d));
    if (considered) {
      const asOf = lotAsOf(s.lot, s.events, d);
      if (!asOf.ok) throw new Error(asOf.error);
      mark = markLot({ lot: s.lot, asOf, d, prices: s.prices, settings, previousMark, baseline, firstMarkPrice: null });
      if (mark.price !== null) previousMark = { price: mark.price, date: d };
    }
    const snap = computeSnapshot({
      d,
      marks: mark ? [mark] : [],
      previous,
      initialEquity: 100_000,
      equityBalance: 100_000,
      realizedToday: s.events.filter((e) => e.tradeDate === d).reduce((a, e) => a + e.realizedPnl, 0),
      equityChanges: s.flows.filter((f) => f.changeDate === d),
    });
    rows.push({ d, snap, mark });
    previous = { snapshotDate: d, equityBalance: snap.equityBalance, cumulativePnl: snap.cumulativePnl, cumulativePnlRaw: snap.cumulativePnlRaw, cumulativeRealizedPnl: snap.cumulativeRealizedPnl, cumulativeCapitalFlow: snap.cumulativeCapitalFlow };
  }
  return rows;
}

describe('P&L invariants over random open -> hold -> partial close -> close histories', () => {
  for (let seed = 1; seed <= 200; seed++) {
    it(`seed ${seed}`, () => {
      const s = scenario(seed);
      const rows = simulate(s);
      const realized = s.events.reduce((a, e) => a + e.realizedPnl, 0);
      // d.3 invariant 1: the lot's contributions sum to its realized P&L (absolute 1e-6).
      const contributions = rows.reduce((a, r) => a + (r.mark?.dailyPnl ?? 0), 0);
      expect(Math.abs(contributions - realized)).toBeLessThan(1e-6);
      // d.3 invariant 2: cumulative P&L on the exit date equals realized P&L to the cent.
      const exit = rows.find((r) => r.d === s.lot.exitDate)!;
      expect(exit.snap.cumulativePnl).toBe(roundCents(realized));
      let prevCum = 0;
      let flows = 0;
      for (const r of rows) {
        // d.4: daily P&L equals the change in cumulative P&L, exactly.
        expect(r.snap.dailyPnl).toBe(roundCents(r.snap.cumulativePnl - prevCum));
        prevCum = r.snap.cumulativePnl;
        flows = roundCents(flows + r.snap.dailyCapitalFlow);
        // equity = initial + cumulative P&L + cumulative flows, to the cent.
        expect(r.snap.equityBalance).toBe(roundCents(100_000 + r.snap.cumulativePnl + flows));
        // NAV - cash = net exposure (unrounded lot values), within a cent.
        const exposure = r.mark && r.mark.isActive && r.mark.price !== null ? r.mark.quantity * r.mark.price : 0;
        expect(Math.abs(r.snap.totalValue - r.snap.cashValue - exposure)).toBeLessThanOrEqual(0.0051);
      }
    });
  }
});
