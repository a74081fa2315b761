import { describe, expect, it } from 'vitest';
import { NO_JSON } from '../../../core/validation/canonical-form';
import { diffKeyedRows, isClean } from '../../../core/validation/row-diff';

const row = (key: string, values: Record<string, number | string | null>) => ({ key, values });

describe('row differences with tolerances (SPEC.md g.12)', () => {
  it('money within 0.01 and ratios within 1e-6 match; the max abs diff is still reported', () => {
    const d = diffKeyedRows('t', [row('a', { total_value: 100, beta: 1 })], [row('a', { total_value: 100.01, beta: 1 + 5e-7 })], NO_JSON);
    expect(isClean(d)).toBe(true);
    expect(d.maxAbsDiff['total_value']).toBeCloseTo(0.01, 10);
    expect(d.maxAbsDiff['beta']).toBeCloseTo(5e-7, 12);
  });

  it('reports added, removed and changed rows with the differing columns', () => {
    const d = diffKeyedRows(
      't',
      [row('a', { total_value: 100, note: 'x' }), row('b', { total_value: 1 })],
      [row('a', { total_value: 100.02, note: 'y' }), row('c', { total_value: 1 })],
      NO_JSON,
    );
    expect(d.added).toEqual(['c']);
    expect(d.removed).toEqual(['b']);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.columns.map((c) => c.column)).toEqual(['note', 'total_value']);
    expect(d.changed[0]!.columns[1]!.absDiff).toBeCloseTo(0.02, 10);
  });

  it('JSON columns compare after key sorting; null against a number is a change', () => {
    const json = { columns: new Set(['j']), dropKeys: new Set<string>() };
    expect(isClean(diffKeyedRows('t', [row('a', { j: '{"x":1,"y":2}' })], [row('a', { j: '{"y":2,"x":1}' })], json))).toBe(true);
    expect(isClean(diffKeyedRows('t', [row('a', { v: null })], [row('a', { v: 0 })], NO_JSON))).toBe(false);
  });
});
