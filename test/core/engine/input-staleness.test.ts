/**
 * core/engine/input-staleness.ts: which tracked work a change of stored closes
 * (staleAfterCloseChanges) or profiles (staleAfterProfileChanges) makes stale. Expected spans are written out by hand from the rule: holders
 * (lot symbol or option underlying) get marks and its readers from the symbol's earliest
 * change, every portfolio gets analytics from a factor ETF's earliest change, and the
 * date-level market_data entry goes stale on the dates the symbol was recorded missing.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { Lot } from '../../../core/domain/portfolio';
import { staleAfterCloseChanges, staleAfterProfileChanges } from '../../../core/engine/input-staleness';

const d = (s: string) => s as IsoDate;

function lot(portfolioId: string, symbol: string, extra: Partial<Lot> = {}): Lot {
  return {
    id: `${portfolioId}-${symbol}`,
    portfolioId,
    symbol,
    positionType: 'LONG',
    quantity: 10,
    entryPrice: 100,
    entryDate: d('2025-06-30'),
    exitDate: null,
    underlyingSymbol: null,
    strikePrice: null,
    expirationDate: null,
    investmentClass: 'PUBLIC',
    ...extra,
  };
}

const LOTS: Lot[] = [
  lot('p1', 'AAPL'),
  lot('p1', 'MSFT'),
  lot('p2', 'MSFT'),
  lot('p3', 'AAPL250919C00200000', { positionType: 'LC', investmentClass: 'OPTIONS', underlyingSymbol: 'AAPL', strikePrice: 200, expirationDate: d('2025-09-19') }),
  lot('p4', 'PRIVATE_FUND_A', { investmentClass: 'PRIVATE' }),
];

const HOLDER = ['marks', 'snapshots', 'analytics'];

describe('staleAfterCloseChanges', () => {
  it('changes nothing when no close changed', () => {
    expect(staleAfterCloseChanges(new Map(), LOTS, new Map())).toEqual({ spans: [], marketDataDates: [] });
  });

  it('makes a held symbol stale for its holders, options through their underlying, from its earliest change', () => {
    const r = staleAfterCloseChanges(new Map([['AAPL', d('2025-07-08')]]), LOTS, new Map());
    expect(r.spans).toEqual([
      { portfolioId: 'p1', from: '2025-07-08', phases: HOLDER },
      { portfolioId: 'p3', from: '2025-07-08', phases: HOLDER },
    ]);
    expect(r.marketDataDates).toEqual([]);
  });

  it('takes the earliest change over the symbols a portfolio holds', () => {
    const r = staleAfterCloseChanges(new Map([['AAPL', d('2025-07-09')], ['MSFT', d('2025-07-03')]]), LOTS, new Map());
    expect(r.spans).toEqual([
      { portfolioId: 'p1', from: '2025-07-03', phases: HOLDER },
      { portfolioId: 'p2', from: '2025-07-03', phases: HOLDER },
      { portfolioId: 'p3', from: '2025-07-09', phases: HOLDER },
    ]);
  });

  it('makes analytics of every portfolio stale from a factor ETF change, unless a held change already covers it', () => {
    const r = staleAfterCloseChanges(new Map([['SPY', d('2025-07-10')], ['MSFT', d('2025-07-07')]]), LOTS, new Map());
    expect(r.spans).toEqual([
      { portfolioId: 'p1', from: '2025-07-07', phases: HOLDER },
      { portfolioId: 'p2', from: '2025-07-07', phases: HOLDER },
      { portfolioId: 'p3', from: '2025-07-10', phases: ['analytics'] },
      { portfolioId: 'p4', from: '2025-07-10', phases: ['analytics'] },
    ]);
    const earlier = staleAfterCloseChanges(new Map([['SPY', d('2025-07-02')], ['MSFT', d('2025-07-07')]]), LOTS, new Map());
    expect(earlier.spans.filter((s) => s.portfolioId === 'p1')).toEqual([
      { portfolioId: 'p1', from: '2025-07-07', phases: HOLDER },
      { portfolioId: 'p1', from: '2025-07-02', phases: ['analytics'] },
    ]);
  });

  it('leaves a symbol nobody holds and no factor reads alone', () => {
    expect(staleAfterCloseChanges(new Map([['ZZZZ', d('2025-07-08')]]), LOTS, new Map([['AAPL', [d('2025-07-09')]]]))).toEqual({ spans: [], marketDataDates: [] });
  });

  it('makes market_data stale where the symbol was recorded missing, and every portfolio from the first such date (a retry re-runs them all there)', () => {
    const r = staleAfterCloseChanges(new Map([['ZZZZ', d('2025-07-08')]]), LOTS, new Map([['ZZZZ', [d('2025-07-10'), d('2025-07-07'), d('2025-07-08')]]]));
    // A missing record before the change read nothing the import changed.
    expect(r.marketDataDates).toEqual(['2025-07-08', '2025-07-10']);
    expect(r.spans).toEqual(['p1', 'p2', 'p3', 'p4'].map((portfolioId) => ({ portfolioId, from: '2025-07-08', phases: HOLDER })));
  });

  it('lists each missing date once, ascending, over several symbols', () => {
    const r = staleAfterCloseChanges(
      new Map([['AAPL', d('2025-07-08')], ['MSFT', d('2025-07-01')]]),
      LOTS,
      new Map([['AAPL', [d('2025-07-09'), d('2025-07-03')]], ['MSFT', [d('2025-07-09'), d('2025-07-02')]]]),
    );
    expect(r.marketDataDates).toEqual(['2025-07-02', '2025-07-09']);
  });
});

describe('staleAfterProfileChanges', () => {
  it("makes the holders' sector tags and analytics stale on every tracked date (a profile is not dated)", () => {
    expect(staleAfterProfileChanges(new Set(['AAPL']), LOTS, d('2025-06-30'))).toEqual({
      spans: [
        { portfolioId: 'p1', from: '2025-06-30', phases: ['sector_tags', 'analytics'] },
        { portfolioId: 'p3', from: '2025-06-30', phases: ['sector_tags', 'analytics'] },
      ],
      marketDataDates: [],
    });
  });

  it('changes nothing for a symbol nobody holds, or when no date is tracked', () => {
    expect(staleAfterProfileChanges(new Set(['ZZZZ']), LOTS, d('2025-06-30')).spans).toEqual([]);
    expect(staleAfterProfileChanges(new Set(['AAPL']), LOTS, null).spans).toEqual([]);
  });
});
