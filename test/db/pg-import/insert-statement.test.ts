/** INSERT statements in the forms pg_dump writes (pg-import.md 5.3); examples from real `--inserts` dumps. */
import { describe, expect, it } from 'vitest';
import { parseInsert } from '../../../db/pg-import/insert-statement';

describe('INSERT statements', () => {
  it('plain --inserts with every value form', () => {
    const ins = parseInsert(
      `INSERT INTO public.awkward_numbers VALUES (7, 'twenty digits', 123456789012.12345678, -5.00000000, 'NaN', 1e+300, '-Infinity', NULL, -32768, true, false, B'1010', '$1,234.56', '{1,2}', DEFAULT, 'it''s', E'a\\\\b', '2024-01-01'::date);`,
      true,
      'test',
    )!;
    expect(ins.table).toEqual({ schema: 'public', name: 'awkward_numbers' });
    expect(ins.columns).toBeNull();
    expect(ins.rows).toEqual([
      ['7', 'twenty digits', '123456789012.12345678', '-5.00000000', 'NaN', '1e+300', '-Infinity', null, '-32768', 'true', 'false', '1010', '$1,234.56', '{1,2}', null, "it's", 'a\\b', '2024-01-01'],
    ]);
  });

  it('--column-inserts --rows-per-insert with OVERRIDING SYSTEM VALUE and newlines between tuples', () => {
    const ins = parseInsert(
      `INSERT INTO "extra"."Mixed Case ""Quoted"" Table" ("id", "select") OVERRIDING SYSTEM VALUE VALUES\n\t(1, 'a;b'),\n\t(2, NULL),\n\t(3, 'multi\nline');`,
      true,
      'test',
    )!;
    expect(ins.table).toEqual({ schema: 'extra', name: 'Mixed Case "Quoted" Table' });
    expect(ins.columns).toEqual(['id', 'select']);
    expect(ins.rows).toEqual([
      ['1', 'a;b'],
      ['2', null],
      ['3', 'multi\nline'],
    ]);
  });

  it('standard_conforming_strings off: backslashes escape in plain literals', () => {
    expect(parseInsert(`INSERT INTO t VALUES ('a\\\\b', 'it\\'s');`, false, 'test')!.rows).toEqual([['a\\b', "it's"]]);
  });

  it('is null for other statements and fails on INSERT … SELECT', () => {
    expect(parseInsert('SELECT 1;', true, 'test')).toBeNull();
    expect(() => parseInsert('INSERT INTO t SELECT 1;', true, 'test')).toThrow(/VALUES/);
  });
});
