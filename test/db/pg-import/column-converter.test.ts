/** Converter choice by PostgreSQL type, and whole-row conversion with issues (SPEC.md j.7). */
import { describe, expect, it } from 'vitest';
import { converterFor, RowConverter } from '../../../db/pg-import/column-converter';
import { parsePgType } from '../../../db/pg-import/pg-type';

const enums = new Map([['public.mood', ['happy', "it's odd"]]]);

describe('column converters', () => {
  it('maps canonical type spellings and aliases', () => {
    const conv = (t: string, v: string) => {
      const c = converterFor(parsePgType(t), enums);
      return c ? c(v, { issue() {} }) : v;
    };
    expect(conv('numeric(20,8)', '-5.00000000')).toBe(-5);
    expect(conv('bigint', '42')).toBe(42);
    expect(conv('int8', '42')).toBe(42);
    expect(conv('double precision', '1.5')).toBe(1.5);
    expect(conv('boolean', 't')).toBe(1);
    expect(conv('timestamp(3) with time zone', '2024-01-01 00:00:00+01')).toBe('2023-12-31T23:00:00.000000Z');
    expect(conv('timestamptz', '2024-01-01 00:00:00+00')).toBe('2024-01-01T00:00:00.000000Z');
    expect(conv('timestamp without time zone', '2024-01-01 00:00:00')).toBe('2024-01-01 00:00:00.000000');
    expect(conv('character(6)', 'ab    ')).toBe('ab');
    expect(conv('character varying(6)', 'ab    ')).toBe('ab    ');
    expect(conv('jsonb', '{"a": 1}')).toBe('{"a": 1}');
    expect(conv('integer[]', '{{1,2},{3,4}}')).toBe('[[1,2],[3,4]]');
    expect(conv('public.mood', 'happy')).toBe('happy');
    expect(conv('mood', 'happy')).toBe('happy');
    expect(conv('interval', '1 day')).toBe('1 day');
  });

  it('parses types into base, modifiers and array depth', () => {
    expect(parsePgType('numeric(20,8)')).toMatchObject({ base: 'numeric', typmod: [20, 8], arrayDims: 0 });
    expect(parsePgType('timestamp(3) with time zone')).toMatchObject({ base: 'timestamp with time zone', typmod: [3] });
    expect(parsePgType('double precision[]')).toMatchObject({ base: 'double precision', arrayDims: 1 });
    expect(parsePgType('pg_catalog.varchar(32)[][]')).toMatchObject({ base: 'character varying', typmod: [32], arrayDims: 2 });
    expect(parsePgType('"Odd Type"')).toMatchObject({ base: 'Odd Type' });
    expect(parsePgType('extra."Odd Type"')).toMatchObject({ base: 'extra.Odd Type' });
  });

  it('converts a row in place and collects issues with column names', () => {
    const rc = new RowConverter(
      ['id', 'n', 'd', 'i8', 'note'],
      ['integer', 'numeric', 'date', 'bigint', null].map((t) => (t ? parsePgType(t) : null)),
      enums,
    );
    const ok = rc.convert(['1', '2.50', '2024-01-01', '7', 'x'], 1);
    expect(ok).toEqual({ rowNumber: 1, values: [1, 2.5, '2024-01-01', 7, 'x'], issues: null, hasErrors: false });
    const bad = rc.convert(['2', 'NaN', 'infinity', '9223372036854775807', null], 2);
    expect(bad.values).toEqual([2, null, null, null, null]);
    expect(bad.hasErrors).toBe(true);
    expect(bad.issues!.map((i) => [i.column, i.code, i.severity])).toEqual([
      ['n', 'not_finite', 'warning'],
      ['d', 'date_out_of_range', 'warning'],
      ['i8', 'integer_out_of_range', 'error'],
    ]);
  });
});
