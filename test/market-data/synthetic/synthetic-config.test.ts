import { describe, expect, it } from 'vitest';
import { syntheticConfigSchema } from '../../../market-data/synthetic/synthetic-config';

describe('syntheticConfigSchema', () => {
  it('applies the defaults: seed 42, profile realistic, no symbols, anchors or faults', () => {
    expect(syntheticConfigSchema.parse({ start: '2025-01-01', end: '2025-12-31' })).toEqual({
      seed: 42, profile: 'realistic', start: '2025-01-01', end: '2025-12-31', symbols: [], anchors: {}, faults: [],
    });
  });

  it('canonicalises symbols, anchor keys and fault symbols', () => {
    const c = syntheticConfigSchema.parse({
      start: '2025-01-01', end: '2025-12-31', symbols: [' brk.b '],
      anchors: { 'brk/b': { date: '2025-06-30', price: 1 } },
      faults: [{ symbol: 'brk.b', date: '2025-03-03', kind: 'gap' }],
    });
    expect(c.symbols).toEqual(['BRK-B']);
    expect(Object.keys(c.anchors)).toEqual(['BRK-B']);
    expect(c.faults[0]!.symbol).toBe('BRK-B');
  });

  it.each([
    ['a negative seed', { seed: -1 }],
    ['a fractional seed', { seed: 1.5 }],
    ['a seed above 2^32 - 1', { seed: 2 ** 32 }],
    ['an unknown profile', { profile: 'wild' }],
    ['start after end', { start: '2025-12-31', end: '2025-01-01' }],
    ['a start before the calendar', { start: '1999-12-31' }],
    ['an end after the calendar', { end: '2031-01-01' }],
    ['an impossible date', { start: '2025-02-30' }],
    ['a non-positive anchor price', { anchors: { A: { date: '2025-06-30', price: 0 } } }],
    ['an unknown fault kind', { faults: [{ symbol: 'A', date: '2025-03-03', kind: 'spike' }] }],
  ])('rejects %s', (_label, patch) => {
    expect(syntheticConfigSchema.safeParse({ start: '2025-01-01', end: '2025-12-31', ...patch }).success).toBe(false);
  });
});
