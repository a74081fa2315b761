import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { quotesFromChart } from '../../../market-data/yahoo/chart-quotes';

const range = { start: '2024-01-02' as IsoDate, end: '2024-01-05' as IsoDate };
const q = (iso: string, close: number | null, extra: Record<string, unknown> = {}) => ({ date: new Date(iso), close, open: 1, high: 2, low: 0.5, volume: 10, ...extra });

describe('quotesFromChart (SPEC e.7 mapping of a chart() result)', () => {
  it('dates quotes in the exchange zone, skips null closes, keeps open/high/low/volume', () => {
    const r = quotesFromChart(
      {
        meta: { exchangeTimezoneName: 'America/New_York', firstTradeDate: new Date('1993-01-29T14:30:00Z') },
        quotes: [
          q('2024-01-02T14:30:00Z', 10),
          q('2024-01-03T14:30:00Z', null),
          q('2024-01-05T02:00:00Z', 11, { volume: null, open: null }), // 21:00 EST on the 4th
          q('2024-01-05T14:30:00Z', 12),
        ],
      },
      range,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        quotes: [
          { date: '2024-01-02', close: 10, open: 1, high: 2, low: 0.5, volume: 10 },
          { date: '2024-01-04', close: 11, open: null, high: 2, low: 0.5, volume: null },
          { date: '2024-01-05', close: 12, open: 1, high: 2, low: 0.5, volume: 10 },
        ],
        firstTradeDate: '1993-01-29',
        timeZone: 'America/New_York',
        timeZoneFellBack: false,
        nullCloses: 1,
      },
    });
  });

  it('drops dates outside the range and lets a repeated date take its later entry, in date order', () => {
    const r = quotesFromChart(
      {
        meta: { exchangeTimezoneName: 'America/New_York', firstTradeDate: null },
        quotes: [q('2024-01-08T14:30:00Z', 99), q('2024-01-03T14:30:00Z', 5), q('2024-01-02T14:30:00Z', 4), q('2024-01-03T20:59:00Z', 6), q('2024-01-01T14:30:00Z', 1)],
      },
      range,
    );
    expect(r.ok && r.value.quotes.map((x) => [x.date, x.close])).toEqual([
      ['2024-01-02', 4],
      ['2024-01-03', 6],
    ]);
    expect(r.ok && r.value.firstTradeDate).toBeNull();
  });

  it('keeps negative and jumping closes as they came (validation is core e.4)', () => {
    const r = quotesFromChart({ meta: {}, quotes: [q('2024-01-02T14:30:00Z', -3), q('2024-01-03T14:30:00Z', 30)] }, range);
    expect(r.ok && r.value.quotes.map((x) => x.close)).toEqual([-3, 30]);
    expect(r.ok && r.value.timeZoneFellBack).toBe(true);
  });

  it('reports an unexpected shape instead of throwing', () => {
    const r = quotesFromChart({ meta: {}, quotes: [{ date: 'yesterday', close: 1 }] }, range);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/unexpected chart result/);
  });
});
