/**
 * Text the dump holds in a text column that does not parse as our column's type (SPEC.md j.7
 * value conversions and --strict; db/pg-import/target-coercion.ts): '1,000.00' for a REAL
 * amount, 'lots' for an equity, 'abc' for a quantity, 'n/a' for a close, '06/01/2026' for a
 * date, 'yesterday' for a timestamp. Such a value is never stored as text: its row is skipped
 * and reported as `unconvertible_value` naming the table, column and value (not as
 * `missing_quantity` or `close_not_positive`), and --strict fails with exit code 5 naming
 * them. Text that does parse is converted (numbers to REAL, dates to YYYY-MM-DD, timestamps
 * to UTC). Found by a CLI tester on a PostgreSQL dump whose columns had been altered to text.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { PLAIN_DUMP_TAIL } from '../support/plain-dump';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };
const dir = tempDir('import-unconvertible-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const USER = '11111111-1111-4111-8111-111111111111';
const P1 = '22222222-2222-4222-8222-222222222221';
const P2 = '22222222-2222-4222-8222-222222222222';
const L1 = '33333333-3333-4333-8333-333333333331';
const L2 = '33333333-3333-4333-8333-333333333332';
const L3 = '33333333-3333-4333-8333-333333333333';
const E1 = '44444444-4444-4444-8444-444444444441';
const E2 = '44444444-4444-4444-8444-444444444442';
const M1 = '55555555-5555-4555-8555-555555555551';
const M2 = '55555555-5555-4555-8555-555555555552';

/** The cells a test may spoil: table → row id → column → text. */
type Cells = Record<string, string>;

const GOOD: Cells = {
  'P2.equity_balance': '2500',
  'L2.quantity': '5',
  'L3.entry_date': '2025-06-03',
  'L3.created_at': '2025-06-03 10:00:00+02',
  'E1.amount': '1000.00',
  'M1.close': '101.5',
};

/** A plain dump of the reference tables whose numeric, date and timestamp columns are text (ALTER ... TYPE text). */
function dumpWith(cells: Cells, name: string): string {
  const c = (k: string) => cells[k] ?? GOOD[k]!;
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      '--\n-- PostgreSQL database dump\n--\n',
      "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n",
      'CREATE TABLE public.users (id uuid NOT NULL, email character varying(255), created_at timestamp with time zone NOT NULL);',
      'CREATE TABLE public.portfolios (id uuid NOT NULL, user_id uuid NOT NULL, name character varying(255) NOT NULL, equity_balance text, created_at timestamp with time zone NOT NULL);',
      'CREATE TABLE public.positions (id uuid NOT NULL, portfolio_id uuid NOT NULL, symbol character varying(20) NOT NULL, position_type character varying(10) NOT NULL, quantity text NOT NULL, entry_price numeric(16,4) NOT NULL, entry_date text, investment_class character varying(20), created_at text);',
      'CREATE TABLE public.equity_changes (id uuid NOT NULL, portfolio_id uuid NOT NULL, change_type character varying(20) NOT NULL, amount text NOT NULL, change_date text NOT NULL);',
      'CREATE TABLE public.market_data_cache (id uuid NOT NULL, symbol character varying(20) NOT NULL, date date NOT NULL, close text, data_source character varying(20) NOT NULL);',
      'COPY public.users (id, email, created_at) FROM stdin;',
      `${USER}\tu@example.com\t2025-01-01 00:00:00+00`,
      '\\.',
      'COPY public.portfolios (id, user_id, name, equity_balance, created_at) FROM stdin;',
      `${P1}\t${USER}\tMain\t1000.50\t2025-01-01 00:00:00+00`,
      `${P2}\t${USER}\tSecond\t${c('P2.equity_balance')}\t2025-01-01 00:00:00+00`,
      '\\.',
      'COPY public.positions (id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, investment_class, created_at) FROM stdin;',
      `${L1}\t${P1}\tAAPL\tLONG\t10\t100.0000\t2025-06-02\tPUBLIC\t\\N`,
      `${L2}\t${P1}\tMSFT\tLONG\t${c('L2.quantity')}\t200.0000\t2025-06-02\tPUBLIC\t\\N`,
      `${L3}\t${P1}\tNVDA\tLONG\t3\t50.0000\t${c('L3.entry_date')}\tPUBLIC\t${c('L3.created_at')}`,
      '\\.',
      'COPY public.equity_changes (id, portfolio_id, change_type, amount, change_date) FROM stdin;',
      `${E1}\t${P1}\tCONTRIBUTION\t${c('E1.amount')}\t2025-06-10`,
      `${E2}\t${P1}\tWITHDRAWAL\t250\t2025-06-11`,
      '\\.',
      'COPY public.market_data_cache (id, symbol, date, close, data_source) FROM stdin;',
      `${M1}\tAAPL\t2025-06-30\t${c('M1.close')}\tyahoo`,
      `${M2}\tAAPL\t2025-07-01\t102.25\tyahoo`,
      '\\.',
      PLAIN_DUMP_TAIL,
    ].join('\n'),
  );
  return path;
}

function rows(db: string, sql: string): unknown[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all();
  } finally {
    d.close();
  }
}

const BAD: Cells = {
  'P2.equity_balance': 'lots',
  'L2.quantity': 'abc',
  'L3.entry_date': '06/01/2026',
  'E1.amount': '1,000.00',
  'M1.close': 'n/a',
};

describe('text that does not parse as our column type', () => {
  it('text that parses is converted: numbers to REAL, dates to YYYY-MM-DD, timestamps to UTC', async () => {
    const db = join(dir, 'good.sqlite');
    const r = await runCli(['import', dumpWith({}, 'good.sql'), '--db', db, '--strict'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(rows(db, `SELECT id, equity_balance, typeof(equity_balance) t FROM portfolios ORDER BY id`)).toEqual([
      { id: P1, equity_balance: 1000.5, t: 'real' },
      { id: P2, equity_balance: 2500, t: 'real' },
    ]);
    expect(rows(db, `SELECT amount, typeof(amount) t FROM equity_changes ORDER BY id`)).toEqual([
      { amount: 1000, t: 'real' },
      { amount: 250, t: 'real' },
    ]);
    expect(rows(db, `SELECT id, quantity, entry_date, created_at FROM positions ORDER BY id`)).toEqual([
      { id: L1, quantity: 10, entry_date: '2025-06-02', created_at: null },
      { id: L2, quantity: 5, entry_date: '2025-06-02', created_at: null },
      { id: L3, quantity: 3, entry_date: '2025-06-03', created_at: '2025-06-03T08:00:00.000000Z' },
    ]);
  });

  it('without --strict: each row is skipped and reported as unconvertible_value with its table, column and value; nothing is stored as text', async () => {
    const db = join(dir, 'bad.sqlite');
    const report = join(dir, 'bad.json');
    const r = await runCli(['import', dumpWith({ ...BAD, 'L3.created_at': 'yesterday' }, 'bad.sql'), '--db', db, '--report', report], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  portfolios: read 2, imported 1, skipped unconvertible_value 1');
    expect(r.stdout).toContain(`    values that could not be converted (their rows are skipped): 1 (e.g. ${P2} equity_balance=lots)`);
    expect(r.stdout).toContain('  positions: read 3, imported 1, skipped unconvertible_value 2');
    expect(r.stdout).toContain(`    values that could not be converted (their rows are skipped): 3 (e.g. ${L2} quantity=abc; ${L3} entry_date=06/01/2026; ${L3} created_at=yesterday)`);
    expect(r.stdout).toContain('  equity_changes: read 2, imported 1, skipped unconvertible_value 1');
    expect(r.stdout).toContain(`(e.g. ${E1} amount=1,000.00)`);
    expect(r.stdout).toContain('  market_data_cache: read 2, imported 1, skipped unconvertible_value 1');
    expect(r.stdout).not.toMatch(/missing_quantity|close_not_positive/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { tables: { table: string; skippedExamples: unknown[]; unconvertible: { examples: unknown[] } }[] };
    const positions = json.tables.find((t) => t.table === 'positions')!;
    expect(positions.skippedExamples).toEqual([
      { row: L2, reason: 'unconvertible_value', detail: 'quantity: "abc" cannot be converted to a number' },
      { row: L3, reason: 'unconvertible_value', detail: 'entry_date: "06/01/2026" cannot be converted to a date (YYYY-MM-DD)' },
    ]);
    // the second bad value of L3 is reported too
    expect(positions.unconvertible.examples).toContainEqual({ row: L3, column: 'created_at', value: 'yesterday', detail: '"yesterday" cannot be converted to a timestamp' });
    expect(rows(db, `SELECT id FROM portfolios`)).toEqual([{ id: P1 }]);
    expect(rows(db, `SELECT id FROM positions`)).toEqual([{ id: L1 }]);
    expect(rows(db, `SELECT id FROM equity_changes`)).toEqual([{ id: E2 }]);
    expect(rows(db, `SELECT id FROM market_data_cache`)).toHaveLength(1);
    const textInNumbers = `SELECT (SELECT count(*) FROM portfolios WHERE typeof(equity_balance) = 'text') + (SELECT count(*) FROM positions WHERE typeof(quantity) = 'text')
      + (SELECT count(*) FROM equity_changes WHERE typeof(amount) = 'text') + (SELECT count(*) FROM market_data_cache WHERE typeof(close) = 'text') AS n`;
    expect(rows(db, textInNumbers)).toEqual([{ n: 0 }]);
  });

  it.each([
    ['P2.equity_balance', 'public.portfolios row 2, column equity_balance: "lots" cannot be converted to a number'],
    ['L2.quantity', 'public.positions row 2, column quantity: "abc" cannot be converted to a number'],
    ['L3.entry_date', 'public.positions row 3, column entry_date: "06/01/2026" cannot be converted to a date (YYYY-MM-DD)'],
    ['E1.amount', 'public.equity_changes row 1, column amount: "1,000.00" cannot be converted to a number'],
    ['M1.close', 'public.market_data_cache row 1, column close: "n/a" cannot be converted to a number'],
  ])('--strict: %s fails the import with exit code 5 naming the table, row, column and value; no file', async (cell, words) => {
    const sub = tempDir('import-unconvertible-strict-');
    const db = join(sub, 'strict.sqlite');
    const r = await runCli(['import', dumpWith({ [cell]: BAD[cell]! }, `strict-${cell}.sql`), '--db', db, '--strict'], ENV);
    expect(r.code, r.stdout).toBe(5);
    expect(r.stderr).toBe(`error: import failed: --strict: ${words}; nothing was changed`);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(sub)).toEqual([]);
    rmSync(sub, { recursive: true, force: true });
  });
});
