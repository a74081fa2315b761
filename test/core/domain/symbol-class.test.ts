/**
 * The class and private subtype of rows that lack them (import and seeding, SPEC.md e.5).
 * Provenance: e.5's rules as written (the reference system's), one case per rule and its order.
 */
import { describe, expect, it } from 'vitest';
import { classifySymbol, privateSubtype } from '../../../core/domain/symbols';

describe('class and private subtype of a symbol (e.5)', () => {
  it.each([
    ['TWO_SIGMA_FUND', 'PRIVATE', 'HEDGE_FUND'],
    ['BX_PRIVATE_EQUITY', 'PRIVATE', 'PRIVATE_EQUITY'],
    ['A16Z_VC_FUND', 'PRIVATE', 'VENTURE_CAPITAL'],
    ['STARWOOD_REIT', 'PRIVATE', 'PRIVATE_REIT'],
    ['HOME_EQUITY', 'PRIVATE', null],
    ['ART_COLLECTIBLES', 'PRIVATE', null],
    ['SPY250919C00600000', 'OPTIONS', null],
    ['AAPL', 'PUBLIC', null],
  ])('%s is %s with subtype %s', (symbol, cls, subtype) => {
    expect(classifySymbol(symbol)).toBe(cls);
    expect(privateSubtype(symbol)).toBe(subtype);
  });

  it('applies the rules in e.5 order: PRIVATE_EQUITY before FUND, VC before FUND', () => {
    expect(privateSubtype('BX_PRIVATE_EQUITY_FUND')).toBe('PRIVATE_EQUITY');
    expect(privateSubtype('A16Z_VC_FUND')).toBe('VENTURE_CAPITAL');
  });
});
