/**
 * The load paths that make large imports fast must not change what is imported:
 * - price rows get date-prefixed ids (datePrefixedId): the epoch day in the first 8 hex
 *   digits (hand-computed: 2000-01-01 is day 10957 = 0x2acd, 2025-06-30 is day 20269 =
 *   0x4f2d), the dump's other 24 digits kept;
 * - indexes built after the load: a duplicate natural key (brk.b and BRK-B on one date, equal
 *   after canonicalisation) is resolved as the live index of --merge resolves it (the first
 *   row stays, the other is reported as duplicate_key), --strict fails, and the file ends with
 *   exactly the indexes of the migrations;
 * - ten rows per INSERT statement (a new file) store and report exactly what row-by-row
 *   inserts do, when a group meets a duplicate key, a rule's skip or an unconvertible value;
 * - reading in a worker thread gives the same database as reading in this thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DumpError } from '../../../db/pg-import/dump-error';
import { importIntoNewFile, mergeIntoDatabase } from '../../../db/pg-import/import-dump';
import { datePrefixedId, epochDayHex, newRuleMemo, ruleFor, type ImportRow } from '../../../db/pg-import/import-table-rules';
import { newTableReport } from '../../../db/pg-import/import-report';
import { canonicalSymbol } from '../../../core/domain/symbols';
import { openDatabase } from '../../../db/open-database';
import { COMMITTED } from '../../support/pg-fixtures';
import { PLAIN_DUMP_TAIL } from '../../support/plain-dump';

const tmp = mkdtempSync(join(tmpdir(), 'pg-import-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const now = () => '2025-07-03T12:00:00.000000Z';
let n = 0;
const fresh = () => join(tmp, `db-${++n}.sqlite`);

function all(path: string, sql: string): Record<string, unknown>[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const DUPS = join(tmp, 'dups.sql');
writeFileSync(
  DUPS,
  [
    '--\n-- PostgreSQL database dump\n--',
    "SET client_encoding = 'UTF8';",
    'CREATE TABLE public.market_data_cache (id text NOT NULL, symbol character varying(20) NOT NULL, date date NOT NULL, close numeric(12,4) NOT NULL, data_source character varying(50) NOT NULL, created_at timestamp with time zone NOT NULL);',
    'COPY public.market_data_cache (id, symbol, date, close, data_source, created_at) FROM stdin;',
    'e5000000-0000-4000-8000-000000000001\tbrk.b\t2025-06-30\t410.0000\tyahoo\t2025-06-30 22:00:00+00',
    'e5000000-0000-4000-8000-000000000002\tAAPL\t2025-06-30\t190.2500\tyahoo\t2025-06-30 22:00:00+00',
    'e5000000-0000-4000-8000-000000000003\tBRK-B\t2025-06-30\t411.0000\tpolygon\t2025-06-30 22:00:00+00',
    'not-a-uuid\tMSFT\t2025-06-30\t420.0000\tyahoo\t2025-06-30 22:00:00+00',
    '\\.',
    PLAIN_DUMP_TAIL,
  ].join('\n'),
);

describe('date-prefixed price ids', () => {
  it.each([
    ['2000-01-01', 'e5000000-0000-4000-8000-000000000001', '00002acd-0000-4000-8000-000000000001'],
    ['2025-06-30', '0fe3a1b2-9c8d-4e7f-a6b5-c4d3e2f1a0b9', '00004f2d-9c8d-4e7f-a6b5-c4d3e2f1a0b9'],
    ['1970-01-01', 'ffffffff-ffff-4fff-bfff-ffffffffffff', '00000000-ffff-4fff-bfff-ffffffffffff'],
    ['2025-06-30', 'not-a-uuid', null],
    ['2025-06-30', 'E5000000-0000-4000-8000-000000000001', null],
    ['1969-12-31', 'e5000000-0000-4000-8000-000000000001', null],
    ['30/06/2025', 'e5000000-0000-4000-8000-000000000001', null],
  ])('%s %s -> %s', (date, id, expected) => {
    expect(datePrefixedId(date, id)).toBe(expected);
    const memo = new Map<string, string>();
    expect(datePrefixedId(date, id, memo)).toBe(expected);
    expect(datePrefixedId(date, id, memo)).toBe(expected);
  });

  it('the day prefix orders ids by date (invariant over a year of dates)', () => {
    const days: string[] = [];
    for (let d = Date.UTC(2024, 0, 1); d < Date.UTC(2025, 0, 1); d += 86_400_000) days.push(epochDayHex(new Date(d).toISOString().slice(0, 10))!);
    expect([...days].sort()).toEqual(days);
    expect(new Set(days).size).toBe(366);
  });
});

describe('canonical symbols in the price rule', () => {
  it('equal canonicalSymbol for 20,000 random printable strings (the fast path changes nothing)', () => {
    const rule = ruleFor('market_data_cache')!;
    const ctx = { nowIso: '2025-07-03T12:00:00.000000Z', present: new Set(['symbol']), report: newTableReport('market_data_cache'), key: () => 'k', memo: newRuleMemo() };
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      let sym = '';
      for (let j = 0, n = 1 + Math.floor(rnd() * 8); j < n; j++) sym += String.fromCharCode(rnd() < 0.05 ? 0xe9 : 32 + Math.floor(rnd() * 95));
      const row: ImportRow = { id: null, symbol: sym, date: '2025-06-30', close: 1 };
      rule.apply(row, ctx);
      expect(row['symbol'], JSON.stringify(sym)).toBe(canonicalSymbol(sym));
    }
  });
});

describe('a company profile with a long description', () => {
  it('keeps the profile with its description cut to 1,000 characters (b.2), never inside a pair, and reports the cut', () => {
    const rule = ruleFor('company_profiles')!;
    const report = newTableReport('company_profiles');
    const ctx = { nowIso: '2025-07-03T12:00:00.000000Z', present: new Set(['symbol', 'description']), report, key: () => 'XYZ', memo: newRuleMemo() };
    // 999 characters then an emoji (two UTF-16 units, one character) and more: the cut keeps the emoji whole.
    const long = `${'D'.repeat(999)}\u{1F4C8}${'E'.repeat(4000)}`;
    const row: ImportRow = { symbol: 'XYZ', description: long };
    expect(rule.apply(row, ctx)).toBeNull();
    expect(row['description']).toBe(`${'D'.repeat(999)}\u{1F4C8}`);
    expect(report.changes['descriptions_cut']).toBe(1);
    const short: ImportRow = { symbol: 'ABC', description: 'D'.repeat(1000) };
    expect(rule.apply(short, ctx)).toBeNull();
    expect(short['description']).toBe('D'.repeat(1000));
    expect(report.changes['descriptions_cut']).toBe(1);
  });
});

describe('indexes built after the load', () => {
  it('a duplicate natural key: the first row stays, the other is reported, as with a live index', async () => {
    const target = fresh();
    const { report } = await importIntoNewFile({ dumpPath: DUPS, targetPath: target, now });
    const t = report.tables.find((x) => x.table === 'market_data_cache')!;
    expect(t).toMatchObject({ rowsRead: 4, imported: 3, skipped: { duplicate_key: 1 } });
    expect(t.changes['ids_date_prefixed']).toBe(3);
    expect(t.skippedExamples[0]).toMatchObject({ row: '00004f2d-0000-4000-8000-000000000003', reason: 'duplicate_key' });
    const rows = all(target, `SELECT id, symbol, close, data_source FROM market_data_cache ORDER BY symbol`);
    expect(rows).toEqual([
      { id: '00004f2d-0000-4000-8000-000000000002', symbol: 'AAPL', close: 190.25, data_source: 'yahoo' },
      { id: '00004f2d-0000-4000-8000-000000000001', symbol: 'BRK-B', close: 410, data_source: 'yahoo' },
      { id: 'not-a-uuid', symbol: 'MSFT', close: 420, data_source: 'yahoo' },
    ]);

    // --merge into an empty database meets the same duplicate through the live index, and names
    // it a duplicate within the dump (a conflict with a stored row would be duplicate_key).
    const live = fresh();
    openDatabase(live).close();
    const db = openDatabase(live, { mustExist: true });
    try {
      const merged = await mergeIntoDatabase(db, { dumpPath: DUPS, databasePath: live, now });
      expect(merged.tables.find((x) => x.table === 'market_data_cache')).toMatchObject({ rowsRead: 4, imported: 3, skipped: { duplicate_in_dump: 1 } });
    } finally {
      db.close();
    }
    expect(all(live, `SELECT id, symbol, close, data_source FROM market_data_cache ORDER BY symbol`)).toEqual(rows);

    const strict = await importIntoNewFile({ dumpPath: DUPS, targetPath: fresh(), now, strict: true }).catch((e: unknown) => e);
    expect((strict as DumpError).code).toBe('strict_violation');
    expect((strict as DumpError).message).toMatch(/market_data_cache row 00004f2d-0000-4000-8000-000000000003 .*UNIQUE constraint failed: market_data_cache.symbol, market_data_cache.date/);
  });

  it('the imported file has exactly the schema of the migrations', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: join(COMMITTED, 'reference.dump'), targetPath: target, now });
    const plain = fresh();
    openDatabase(plain).close();
    const schema = (p: string) => all(p, `SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`);
    expect(schema(target)).toEqual(schema(plain));
  });
});

// 33 price rows: a duplicate primary key inside a group (row 5 repeats row 2's id) and across
// groups (row 15 repeats row 3's), a close of 0 (rule skip) and an unconvertible date in the
// group of the first duplicate, and a 3-row remainder.
const GROUPS = join(tmp, 'groups.sql');
{
  const id = (i: number) => `e5000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const lines: string[] = [];
  for (let i = 1; i <= 33; i++) {
    const rowId = i === 5 ? id(2) : i === 15 ? id(3) : id(i);
    const date = i === 9 ? '2025-13-45' : '2025-06-30';
    const close = i === 7 ? '0.0000' : `${100 + i}.2500`;
    lines.push(`${rowId}\tS${i}\t${date}\t${close}\tyahoo\t2025-06-30 22:00:00+00`);
  }
  writeFileSync(
    GROUPS,
    [
      '--\n-- PostgreSQL database dump\n--',
      'CREATE TABLE public.market_data_cache (id uuid NOT NULL, symbol character varying(20) NOT NULL, date date NOT NULL, close numeric(12,4) NOT NULL, data_source character varying(50) NOT NULL, created_at timestamp with time zone NOT NULL);',
      'COPY public.market_data_cache (id, symbol, date, close, data_source, created_at) FROM stdin;',
      ...lines,
      '\\.',
      PLAIN_DUMP_TAIL,
    ].join('\n'),
  );
}

describe('several rows per INSERT statement', () => {
  it('stores and reports exactly what row-by-row inserts do', async () => {
    const byRow = fresh();
    const one = await importIntoNewFile({ dumpPath: GROUPS, targetPath: byRow, now, insertGroupRows: 1 });
    const t = one.report.tables.find((x) => x.table === 'market_data_cache')!;
    expect(t).toMatchObject({ rowsRead: 33, imported: 29, skipped: { duplicate_key: 2, close_not_positive: 1, unconvertible_value: 1 } });
    expect(t.skippedExamples.map((e) => [e.reason, e.row])).toEqual([
      ['duplicate_key', '00004f2d-0000-4000-8000-000000000002'],
      ['close_not_positive', 'e5000000-0000-4000-8000-000000000007'],
      ['unconvertible_value', 'e5000000-0000-4000-8000-000000000009'],
      ['duplicate_key', '00004f2d-0000-4000-8000-000000000003'],
    ]);
    const rows = all(byRow, `SELECT rowid, * FROM market_data_cache ORDER BY rowid`);
    expect(rows.map((r) => r['symbol'])).toEqual([1, 2, 3, 4, 6, 8, 10, 11, 12, 13, 14, ...Array.from({ length: 18 }, (_, k) => 16 + k)].map((i) => `S${i}`));
    for (const groupRows of [4, 10, 64]) {
      const grouped = fresh();
      const r = await importIntoNewFile({ dumpPath: GROUPS, targetPath: grouped, now, insertGroupRows: groupRows });
      expect(r.report.tables, `${groupRows} rows per statement`).toEqual(one.report.tables);
      expect(all(grouped, `SELECT rowid, * FROM market_data_cache ORDER BY rowid`)).toEqual(rows);
    }
    // --strict names the same first failing row either way (row 5's duplicate, not row 9's date)
    const strictErrors = await Promise.all(
      [1, 10].map((g) => importIntoNewFile({ dumpPath: GROUPS, targetPath: fresh(), now, strict: true, insertGroupRows: g }).then(() => null, (e: unknown) => e as DumpError)),
    );
    expect(strictErrors[0]?.message).toMatch(/market_data_cache row 5 \(00004f2d-0000-4000-8000-000000000002\) cannot be stored: UNIQUE constraint failed: market_data_cache.id/);
    expect(strictErrors[1]?.message).toBe(strictErrors[0]?.message);
  });
});

describe('reading in a worker thread', () => {
  it.each(['reference.dump', 'reference-inserts.sql'])('%s: the same database either way', async (file) => {
    const a = fresh();
    const b = fresh();
    const ra = await importIntoNewFile({ dumpPath: join(COMMITTED, file), targetPath: a, now, readInWorker: true });
    const rb = await importIntoNewFile({ dumpPath: join(COMMITTED, file), targetPath: b, now, readInWorker: false });
    expect(ra.report.tables).toEqual(rb.report.tables);
    const tables = all(a, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('maintenance_log') ORDER BY name`).map((r) => r['name'] as string);
    for (const t of tables) {
      const q = `SELECT * FROM "${t}" ORDER BY 1`;
      const strip = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, run_id: undefined }));
      expect(strip(all(a, q)), t).toEqual(strip(all(b, q)));
    }
  });
});

describe('the positions rule for a row without a class (e.5)', () => {
  const rule = ruleFor('positions')!;
  const ctx = () => ({ nowIso: '2025-07-03T12:00:00.000000Z', present: new Set(['symbol', 'investment_class', 'investment_subtype', 'realized_pnl']), report: newTableReport('positions'), key: () => 'k', memo: newRuleMemo() });
  const row = (symbol: string, subtype: string | null = null): ImportRow => ({ id: 'p', symbol, entry_date: '2025-06-30', position_type: 'LONG', entry_price: 1, quantity: 1, investment_class: null, investment_subtype: subtype, realized_pnl: 0 });

  it.each([
    ['TWO_SIGMA_FUND', 'PRIVATE', 'HEDGE_FUND'],
    ['STARWOOD_REIT', 'PRIVATE', 'PRIVATE_REIT'],
    ['HOME_EQUITY', 'PRIVATE', null],
    ['AAPL', 'PUBLIC', null],
  ])('fills %s with class %s and subtype %s', (symbol, cls, subtype) => {
    const r = row(symbol);
    expect(rule.apply(r, ctx())).toBeNull();
    expect([r['investment_class'], r['investment_subtype']]).toEqual([cls, subtype]);
  });

  it('keeps a subtype the row gives', () => {
    const r = row('TWO_SIGMA_FUND', 'MULTI_STRATEGY');
    rule.apply(r, ctx());
    expect(r['investment_subtype']).toBe('MULTI_STRATEGY');
  });
});
