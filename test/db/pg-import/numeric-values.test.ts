/**
 * numeric / float / integer / boolean conversion (SPEC.md j.7, pg-import.md section 7).
 * Provenance of the expected values: the lossy cases are decimals with more than 17
 * significant digits (float64 carries 15-17) or integers above 2^53; the exact binary value
 * of 0.1 (0.1000000000000000055511151231257827021181583404541015625) is the standard IEEE-754
 * expansion; the committed oracle numbers-float8.jsonl is PostgreSQL's own `numeric::float8`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertBoolean, convertFloat, convertInteger, convertNumeric, exactFixed, numericRoundTrips } from '../../../db/pg-import/numeric-values';
import { COMMITTED, readJsonl, readOracle } from '../../support/pg-fixtures';
import { run } from '../../support/issue-collector';

describe('numeric → REAL with the round-trip check', () => {
  const cases: [string, number | null, string[]][] = [
    ['1.50000000', 1.5, []],
    ['-5.00000000', -5, []],
    ['0.00000000', 0, []],
    ['-0.000', 0, []],
    ['0.12345679', 0.12345679, []],
    ['1234567.12345678', 1234567.12345678, []], // 15 significant digits always pass
    ['123456789012.12345678', 123456789012.12345678, ['lossy_numeric']], // 20 digits
    ['12345678901234567890.123456789', 12345678901234567890.123456789, ['lossy_numeric']],
    ['99999999999.99999999', 99999999999.99999999, ['lossy_numeric']], // rounds to 1e11
    ['0.10000000000000000555', 0.1, []], // 20 digits, but exactly the double nearest 0.1
    ['9007199254740992', 9007199254740992, []], // 2^53 is exact
    ['9007199254740993', 9007199254740992, ['lossy_numeric']], // 2^53 + 1 is not
    ['12345678901234567168', 12345678901234567168, []], // exact double, 20 digits
    ['12345678901234567890', 12345678901234567890, ['lossy_numeric']],
    ['99999999999999991611392', 1e23, []], // exact double above 1e21 (BigInt path)
    // 1 significant digit: passes by the 15-digit rule although printf('%.0f') gives 99999999999999991611392
    ['100000000000000000000000', 1e23, []],
    ['100000000000000000000001', 1.0000000000000001e23, ['lossy_numeric']],
    ['NaN', null, ['not_finite']],
    ['Infinity', null, ['not_finite']],
    ['-Infinity', null, ['not_finite']],
    ['1e+300', 1e300, []],
    ['abc', null, ['invalid_value']],
    ['', null, ['invalid_value']],
    // the short plain-decimal fast path and its edges
    ['+5', 5, []],
    ['.5', 0.5, []],
    ['1.', 1, []],
    ['000123.4500', 123.45, []],
    ['123456789012345', 123456789012345, []], // 15 digits: fast path
    ['1234567890123456', 1234567890123456, []], // 16 digits: full path, exact double
    ['-', null, ['invalid_value']],
    ['.', null, ['invalid_value']],
    ['1.2.3', null, ['invalid_value']],
    ['1 ', null, ['invalid_value']],
    ['--1', null, ['invalid_value']],
  ];
  it.each(cases)('%s', (text, value, codes) => {
    const r = run(convertNumeric, text);
    expect(r.value).toBe(value);
    expect(r.codes).toEqual(codes);
  });

  it('exactFixed agrees with toFixed where both apply and is exact beyond scale 100', () => {
    for (const x of [0.1, 1 / 3, 123.456, 5e-324, 1.7976931348623157e308 / 1e290]) {
      for (const s of [0, 2, 8, 20]) if (Math.abs(x) < 1e21) expect(exactFixed(x, s)).toBe(x.toFixed(s));
    }
    const exact01 = '0.1000000000000000055511151231257827021181583404541015625';
    expect(exactFixed(0.1, 120)).toBe(exact01 + '0'.repeat(120 - (exact01.length - 2)));
    expect(exactFixed(1e23, 2)).toBe('99999999999999991611392.00');
  });

  it('invariant: any decimal with at most 15 significant digits round-trips', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const digits = String(Math.floor(rnd() * 1e15)).padStart(15, '0');
      const point = Math.floor(rnd() * 16);
      const text = `${digits.slice(0, point) || '0'}.${digits.slice(point)}`;
      expect(numericRoundTrips(text, Number(text))).toBe(true);
    }
  });

  it('matches PostgreSQL numeric::float8 (committed oracle)', () => {
    const text = readOracle(COMMITTED, 'fixture', 'public', 'awkward_numbers');
    const f8 = readJsonl<(string | number | null)[]>(join(COMMITTED, 'oracle', 'numbers-float8.jsonl'));
    const byId = new Map(f8.map((r) => [String(r[0]), r]));
    let compared = 0;
    for (const row of text) {
      const oracle = byId.get(row[0]!)!;
      for (const [col, k] of [[2, 1], [3, 2], [4, 3]] as const) {
        const t = row[col];
        if (t === null) continue;
        const ours = run(convertNumeric, t).value;
        const pg = oracle[k] as string;
        if (ours === null) expect(['NaN', 'Infinity', '-Infinity']).toContain(pg);
        else {
          expect(ours).toBe(Number(pg));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(25);
  });
});

describe('float, integer and boolean', () => {
  it('float8/float4 text', () => {
    expect(run(convertFloat, '1e+300').value).toBe(1e300);
    expect(run(convertFloat, '3.4028235e+38').value).toBe(3.4028235e38);
    expect(run(convertFloat, '-0').value).toBe(0);
    expect(Object.is(run(convertFloat, '-0').value, 0)).toBe(true);
    expect(run(convertFloat, 'NaN')).toEqual({ value: null, codes: ['not_finite'] });
    expect(run(convertFloat, '-Infinity')).toEqual({ value: null, codes: ['not_finite'] });
    expect(run(convertFloat, ' 1')).toEqual({ value: null, codes: ['invalid_value'] });
  });

  it('integers, with int8 beyond 2^53 failing the value', () => {
    expect(run(convertInteger, '-5').value).toBe(-5);
    expect(run(convertInteger, '9007199254740991')).toEqual({ value: 9007199254740991, codes: [] });
    expect(run(convertInteger, '-9007199254740991')).toEqual({ value: -9007199254740991, codes: [] });
    expect(run(convertInteger, '9007199254740993')).toEqual({ value: null, codes: ['integer_out_of_range'] });
    expect(run(convertInteger, '-9223372036854775808')).toEqual({ value: null, codes: ['integer_out_of_range'] });
    expect(run(convertInteger, '1.5')).toEqual({ value: null, codes: ['invalid_value'] });
  });

  it('booleans: t/f from COPY, true/false from INSERTs', () => {
    expect(['t', 'true', 'f', 'false'].map((t) => run(convertBoolean, t).value)).toEqual([1, 1, 0, 0]);
    expect(run(convertBoolean, 'yes').codes).toEqual(['invalid_value']);
  });
});
