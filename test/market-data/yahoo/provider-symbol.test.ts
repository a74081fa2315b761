import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDER_ALIASES } from '../../../market-data/yahoo/yahoo-config';
import { planProviderSymbol } from '../../../market-data/yahoo/provider-symbol';

describe('planProviderSymbol (SPEC e.2, e.5)', () => {
  it.each([
    ['AAPL', 'AAPL', 'AAPL'],
    ['brk.b', 'BRK-B', 'BRK-B'],
    [' BF/B ', 'BF-B', 'BF-B'],
    ['VIX', 'VIX', '^VIX'],
    ['spx', 'SPX', '^SPX'],
    ['NDX', 'NDX', '^NDX'],
    ['RUT', 'RUT', '^RUT'],
    ['^VIX', '^VIX', '^VIX'],
  ])('%j -> canonical %j, requested as %j', (raw, canonical, providerSymbol) => {
    expect(planProviderSymbol(raw, DEFAULT_PROVIDER_ALIASES)).toEqual({ request: true, canonical, providerSymbol });
  });

  it.each([
    ['HOME_EQUITY', 'private_looking_symbol'],
    ['FO_SOMETHING', 'private_looking_symbol'],
    ['EQ5D6A2D8F', 'private_looking_symbol'],
    ['EQ0123ABCD99', 'private_looking_symbol'],
    ['MY_FUND', 'private_looking_symbol'],
    ['SPY250117C00500000', 'option_contract_symbol'],
    ['aapl240119p00150000', 'option_contract_symbol'],
    ['   ', 'empty_symbol'],
  ])('%j is never requested (%s)', (raw, reason) => {
    expect(planProviderSymbol(raw, DEFAULT_PROVIDER_ALIASES)).toMatchObject({ request: false, reason });
  });

  it('uses configured aliases, with canonicalised keys', () => {
    const aliases = { 'brk.b': 'BRK-B.TEST', DJI: '^DJI' };
    expect(planProviderSymbol('BRK-B', aliases)).toEqual({ request: true, canonical: 'BRK-B', providerSymbol: 'BRK-B.TEST' });
    expect(planProviderSymbol('dji', aliases)).toEqual({ request: true, canonical: 'DJI', providerSymbol: '^DJI' });
    expect(planProviderSymbol('VIX', aliases)).toEqual({ request: true, canonical: 'VIX', providerSymbol: 'VIX' });
  });
});
