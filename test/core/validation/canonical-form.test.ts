import { describe, expect, it } from 'vitest';
import { canonicalJsonText, canonicalNumber, canonicalRow, isVolatileName, roundRatio, sortKeyedRows, NO_JSON } from '../../../core/validation/canonical-form';

describe('canonical form (SPEC.md m.12)', () => {
  it('rounds money to cents and ratios to 1e-9 (hand-computed values)', () => {
    const cases: [string, number, number][] = [
      ['total_value', 1234.565, 1234.57], // half away from zero, a.3
      ['cash_value', -0.005, -0.01],
      ['market_value', 2.675, 2.68],
      ['beta_value', 0.12345678949, 0.123456789],
      ['beta_value', 0.1234567895, 0.12345679], // 1e-9 step: ...895 -> ...90
      ['observations', 63, 63],
      ['exposure_value', -0, 0],
    ];
    for (const [col, x, want] of cases) expect(canonicalNumber(col, x)).toBeCloseTo(want, 12);
    expect(Object.is(roundRatio(-1e-12), 0)).toBe(true);
  });

  it('drops timestamps, durations and run ids but keeps dates and windows', () => {
    for (const n of ['created_at', 'computed_at', 'analytics_computed_at', 'run_id', 'batch_run_id', 'duration_ms', 'phase_1_duration_seconds', 'since']) expect(isVolatileName(n)).toBe(true);
    for (const n of ['duration_days', 'snapshot_date', 'marked_as_of', 'window_days', 'price_date']) expect(isVolatileName(n)).toBe(false);
  });

  it('canonical JSON sorts keys, drops volatile keys and rounds numbers by key', () => {
    const a = canonicalJsonText('{"b":1,"a":{"duration_ms":5,"direct_pnl":1.005,"x":0.1234567891234},"run_id":"r"}');
    const b = canonicalJsonText('{"a":{"x":0.12345678912,"direct_pnl":1.01,"duration_ms":9},"b":1}');
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"direct_pnl":1.01,"x":0.123456789},"b":1}');
    expect(canonicalJsonText('{"mode":"resume","k":1}', new Set(['mode']))).toBe('{"k":1}');
  });

  it('rows sort by natural key and compare equal after rounding noise', () => {
    const r1 = canonicalRow({ total_value: 100.0049999, beta: 0.5 + 1e-12 }, NO_JSON);
    const r2 = canonicalRow({ beta: 0.5, total_value: 100 }, NO_JSON);
    expect(JSON.stringify(r1)).toBe(JSON.stringify(r2));
    const sorted = sortKeyedRows([{ key: '["b"]', values: {} }, { key: '["a"]', values: {} }], NO_JSON);
    expect(sorted.map((r) => r.key)).toEqual(['["a"]', '["b"]']);
  });

  it('rows with the same key sort by their canonical text, whatever the input order', () => {
    const rows = [
      { key: '["k"]', values: { v: 2 } },
      { key: '["a"]', values: { v: 9 } },
      { key: '["k"]', values: { v: 1 } },
    ];
    // Canonical texts: ["[\"k\"]",{"v":1}] < ["[\"k\"]",{"v":2}].
    for (const input of [rows, [...rows].reverse()]) {
      expect(sortKeyedRows(input, NO_JSON).map((r) => `${r.key}${r.values['v']}`)).toEqual(['["a"]9', '["k"]1', '["k"]2']);
    }
  });
});
