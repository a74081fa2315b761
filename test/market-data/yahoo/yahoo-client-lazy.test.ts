/**
 * The adapter makes its yahoo-finance2 client (and so loads the library) on the first request,
 * once: constructing an adapter, as every run in live mode does before it knows whether
 * anything needs fetching, costs no library load.
 */
import { describe, expect, it, vi } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { createMockYahooAdapter, useGuardedYahooMock } from '../../support/yahoo-mock';

vi.mock('../../../market-data/yahoo/yahoo-client', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../market-data/yahoo/yahoo-client')>();
  return { ...real, createYahooClient: vi.fn(real.createYahooClient) };
});
const { createYahooClient } = await import('../../../market-data/yahoo/yahoo-client');

const d = (s: string): IsoDate => s as IsoDate;
const signal = new AbortController().signal;
const yahoo = useGuardedYahooMock();

describe('YahooAdapter client creation', () => {
  it('makes no client until the first request, then one for every later request', async () => {
    const made = vi.mocked(createYahooClient);
    made.mockClear();
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    expect(made).not.toHaveBeenCalled();
    const prices = await adapter.fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(prices.outcome).toBe('ok');
    const profile = await adapter.fetchProfile('AAPL', signal);
    expect(profile.outcome).toBe('ok');
    expect(made).toHaveBeenCalledTimes(1);
  });
});
