import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { createSyntheticGenerator } from '../../../market-data/synthetic/synthetic-generator';
import { createSyntheticPriceSource } from '../../../market-data/synthetic/synthetic-price-source';
import { createSyntheticProfileSource } from '../../../market-data/synthetic/synthetic-profile-source';

const D = (s: string): IsoDate => s as IsoDate;
const generator = createSyntheticGenerator({
  start: '2024-05-26',
  end: '2025-12-31',
  faults: [{ symbol: 'GAPPY', date: '2025-03-03', kind: 'gap' }],
});
const source = createSyntheticPriceSource(generator);
const profiles = createSyntheticProfileSource(generator);
const signal = new AbortController().signal;
const req = (symbol: string, start: string, end: string) => ({ symbol, start: D(start), end: D(end) });

describe('synthetic PriceSource', () => {
  it('is named synthetic and returns the generated quotes of the range', async () => {
    expect(source.name).toBe('synthetic');
    const res = await source.fetchPrices(req('SPY', '2025-06-01', '2025-06-30'), signal);
    expect(res).toMatchObject({ symbol: 'SPY', outcome: 'ok', error: null, rateLimited: false, circuitOpen: false, httpRequests: 0, retries: 0, firstTradeDate: '2000-01-03' });
    expect(res.quotes).toEqual(generator.quotes('SPY', D('2025-06-01'), D('2025-06-30')));
    expect(res.quotes.at(-1)).toMatchObject({ date: '2025-06-30', close: 615 });
  });

  it.each(['HOME_EQUITY', 'TWO_SIGMA_FUND', 'EQ5D6A2D8F', 'AAPL250718C00200000'])('%s gets no_data', async (symbol) => {
    const res = await source.fetchPrices(req(symbol, '2025-06-01', '2025-06-30'), signal);
    expect(res.outcome).toBe('no_data');
    expect(res.quotes).toEqual([]);
  });

  it('no trading day in the range, or a range outside the calendar: no_data', async () => {
    expect((await source.fetchPrices(req('SPY', '2025-01-11', '2025-01-12'), signal)).outcome).toBe('no_data');
    expect((await source.fetchPrices(req('SPY', '1990-01-01', '1990-12-31'), signal)).outcome).toBe('no_data');
    expect((await source.fetchPrices(req('SPY', '2031-01-01', '2031-12-31'), signal)).outcome).toBe('no_data');
  });

  it('a single gapped day answers no_data; a start after the end is invalid', async () => {
    expect((await source.fetchPrices(req('GAPPY', '2025-03-03', '2025-03-03'), signal)).outcome).toBe('no_data');
    expect((await source.fetchPrices(req('GAPPY', '2025-03-03', '2025-03-04'), signal)).quotes.map((q) => q.date)).toEqual(['2025-03-04']);
    expect((await source.fetchPrices(req('SPY', '2025-03-04', '2025-03-03'), signal)).outcome).toBe('invalid');
  });

  it('rejects when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(source.fetchPrices(req('SPY', '2025-06-01', '2025-06-30'), ac.signal)).rejects.toThrow('cancelled');
  });
});

describe('synthetic ProfileSource', () => {
  it('returns the generator profile', async () => {
    const res = await profiles.fetchProfile('AAPL', signal);
    expect(profiles.name).toBe('synthetic');
    expect(res).toMatchObject({ symbol: 'AAPL', outcome: 'ok', error: null, httpRequests: 0 });
    expect(res.profile).toEqual(generator.profile('AAPL'));
  });

  it('private and option symbols get no_data', async () => {
    for (const s of ['HOME_EQUITY', 'AAPL250718C00200000']) {
      const res = await profiles.fetchProfile(s, signal);
      expect(res.outcome).toBe('no_data');
      expect(res.profile).toBeNull();
    }
  });
});
