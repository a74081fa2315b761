/**
 * The import stage (SPEC.md j.7, m.15) on the committed reference dump (PostgreSQL 15.18,
 * seed.sql part 2) and hand-written plain dumps. Expected values are hand-computed from the
 * seed rows: initial equity = first complete snapshot's equity − daily P&L − daily flow
 * (100000 − 0 − 0 for Growth; 50300 − 300 − 0 for Retirement), the newest created_at of each
 * duplicate, the UTC date of 2025-07-01 23:59:30-04 (2025-07-02), closes as dumped.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { seedReferenceData } from '../../../host/reference-data';
import { DumpError } from '../../../db/pg-import/dump-error';
import { importIntoNewFile, mergeIntoDatabase, planDumpImport } from '../../../db/pg-import/import-dump';
import { formatImportReport, type ImportReport } from '../../../db/pg-import/import-report';
import { openDatabase } from '../../../db/open-database';
import { COMMITTED, fullFixtures, HAS_POSTGRES } from '../../support/pg-fixtures';
import { PLAIN_DUMP_TAIL } from '../../support/plain-dump';

const tmp = mkdtempSync(join(tmpdir(), 'pg-import-db-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const now = () => '2025-07-03T12:00:00.000000Z';
let n = 0;
const fresh = () => join(tmp, `db-${++n}.sqlite`);
const REF = join(COMMITTED, 'reference.dump');

function table(r: ImportReport, name: string) {
  const t = r.tables.find((x) => x.table === name);
  if (!t) throw new Error(`no report for ${name}`);
  return t;
}

function query<T = Record<string, unknown>>(path: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

describe('import into a new database file', () => {
  it('maps the reference tables, applies the table rules and the post-steps', async () => {
    const target = fresh();
    const { report, path } = await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    expect(path).toBe(target);
    expect(existsSync(`${target}.importing`)).toBe(false);
    expect(report).toMatchObject({ format: 'custom', archiveVersion: '1.14-0', compression: 'gzip', encoding: 'UTF8', mode: 'new', resultFile: target });
    expect(report.tablesSkipped.map((t) => `${t.table}:${t.reason}`).sort()).toEqual([
      'extra.positions:other_schema',
      'public.batch_jobs:not_in_batchdesk',
      'public.symbol_universe:not_in_batchdesk',
    ]);

    const users = table(report, 'users');
    expect(users).toMatchObject({ rowsRead: 2, imported: 2 });
    expect(users.columnsSkipped.sort()).toEqual(['clerk_user_id', 'hashed_password', 'tier']);
    expect(query(target, `SELECT user_key FROM users ORDER BY user_key`)).toEqual([{ user_key: 'user_0a1b2c3d' }, { user_key: 'user_6f1c2a9e' }]);

    const positions = table(report, 'positions');
    expect(positions).toMatchObject({ rowsRead: 8, imported: 7, skipped: { missing_entry_date: 1 } });
    expect(positions.changes).toMatchObject({ symbols_canonicalised: 1, investment_class_filled: 1 });
    expect(query(target, `SELECT symbol, investment_class, quantity, entry_price FROM positions WHERE id = 'b2000000-0000-4000-8000-000000000002'`)).toEqual([
      { symbol: 'BRK-B', investment_class: 'PUBLIC', quantity: 10, entry_price: 410 },
    ]);

    expect(table(report, 'market_data_cache')).toMatchObject({ rowsRead: 8, imported: 6, skipped: { close_not_positive: 2 } });
    expect(query(target, `SELECT close, data_source, created_at FROM market_data_cache WHERE symbol = 'SPY'`)).toEqual([
      { close: 603.1234, data_source: 'yahoo', created_at: '2025-07-01T22:00:00.000000Z' },
    ]);

    const snaps = table(report, 'portfolio_snapshots');
    expect(snaps).toMatchObject({ rowsRead: 4, imported: 3, skipped: { incomplete_snapshot: 1 } });
    expect(snaps.columnsSkipped.sort()).toEqual(['target_price_return_eoy', 'target_price_upside_weighted']);
    expect(query(target, `SELECT snapshot_date, cumulative_pnl, cumulative_pnl_raw, is_baseline, is_complete FROM portfolio_snapshots WHERE portfolio_id = 'a1000000-0000-4000-8000-000000000001' ORDER BY snapshot_date`)).toEqual([
      { snapshot_date: '2025-06-30', cumulative_pnl: 0, cumulative_pnl_raw: 0, is_baseline: 1, is_complete: 1 },
      { snapshot_date: '2025-07-01', cumulative_pnl: 500.75, cumulative_pnl_raw: 500.75, is_baseline: 0, is_complete: 1 },
    ]);
    expect(query(target, `SELECT id, equity_balance, initial_equity FROM portfolios ORDER BY id`)).toEqual([
      { id: 'a1000000-0000-4000-8000-000000000001', equity_balance: 101250.75, initial_equity: 100000 },
      { id: 'a1000000-0000-4000-8000-000000000002', equity_balance: 50000, initial_equity: 50000 },
      { id: 'a1000000-0000-4000-8000-000000000003', equity_balance: 0, initial_equity: 0 },
    ]);

    expect(table(report, 'position_interest_rate_betas').changes).toMatchObject({ duplicates_dropped: 1 });
    expect(query(target, `SELECT id FROM position_interest_rate_betas ORDER BY id`).map((r) => r['id'])).toEqual([
      'ab000000-0000-4000-8000-000000000002',
      'ab000000-0000-4000-8000-000000000003',
    ]);
    expect(query(target, `SELECT id FROM stress_test_results ORDER BY id`).map((r) => r['id'])).toEqual([
      'ac000000-0000-4000-8000-000000000002',
      'ac000000-0000-4000-8000-000000000003',
    ]);
    expect(query(target, `SELECT calculation_date FROM correlation_calculations`)).toEqual([{ calculation_date: '2025-07-02' }]);
    expect(query(target, `SELECT run_date, status, phase_status, phase_1_status, data_coverage_pct FROM batch_run_tracking ORDER BY run_date`)).toEqual([
      { run_date: '2025-06-30', status: 'imported', phase_status: null, phase_1_status: 'success', data_coverage_pct: 100 },
      { run_date: '2025-07-01', status: 'imported', phase_status: null, phase_1_status: 'success', data_coverage_pct: 83.33 },
    ]);
    expect(query(target, `SELECT mode, phase_durations FROM batch_run_history ORDER BY id LIMIT 1`)).toEqual([{ mode: null, phase_durations: '{"phase_1": 12.5, "phase_3": 40.25}' }]);
    expect(query(target, `SELECT exit_price FROM position_realized_events`)).toEqual([{ exit_price: null }]);
    const scen = query(target, `SELECT scenario_id, category_key FROM stress_test_scenarios WHERE scenario_id IN ('market_down_10', 'rates_up_100bp') ORDER BY scenario_id`);
    expect(scen.every((s) => typeof s['category_key'] === 'string')).toBe(true);
    expect(report.postSteps.factorsSeeded).toBeGreaterThan(0);
    expect(query(target, `SELECT id FROM factor_definitions WHERE name = 'Market Beta'`)).toEqual([{ id: 'f6000000-0000-4000-8000-000000000001' }]);

    // bootstrap marks on the latest imported snapshot date (2025-07-02 is incomplete, so 2025-07-01)
    const boot = report.postSteps.marksBootstrapped.find((m) => m.portfolio === 'a1000000-0000-4000-8000-000000000001')!;
    expect(boot.date).toBe('2025-07-01');
    const marks = query(target, `SELECT p.symbol, m.price, m.price_source, m.daily_pnl, m.flags FROM position_marks m JOIN positions p ON p.id = m.position_id WHERE m.portfolio_id = ? ORDER BY p.symbol`, boot.portfolio);
    expect(marks.map((m) => [m['symbol'], m['price'], m['price_source'], m['daily_pnl']])).toEqual([
      ['AAPL', 195.1, 'exact', 0],
      ['AAPL250919C00200000', expect.any(Number), 'model', 0],
      ['BRK-B', 410, 'fallback', 0],
      ['TSLA', 244.44, 'exact', 0],
    ]);
    expect(marks.every((m) => JSON.parse(m['flags'] as string).includes('bootstrap'))).toBe(true);
    expect(query(target, `SELECT last_price, price_source, marked_as_of FROM positions WHERE symbol = 'AAPL'`)).toEqual([
      { last_price: 195.1, price_source: 'exact', marked_as_of: '2025-07-01' },
    ]);

    expect(report.postSteps.integrityCheck).toBe('ok');
    const log = query(target, `SELECT operation, status, details FROM maintenance_log WHERE operation = 'import'`);
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!['details'] as string).source).toBe(REF);
    expect(query(target, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(formatImportReport(report)).toMatch(/users: read 2, imported 2/);
    expect(report.note).toMatch(/rebuild/);
    // the file opens as a batchdesk database
    openDatabase(target, { mustExist: true }).close();
  });

  it('plain --inserts dumps give the same rows as the custom archive', async () => {
    const a = fresh();
    const b = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: a, now });
    await importIntoNewFile({ dumpPath: join(COMMITTED, 'reference-inserts.sql'), targetPath: b, now });
    for (const t of ['users', 'portfolios', 'positions', 'market_data_cache', 'portfolio_snapshots', 'stress_test_results']) {
      expect(query(b, `SELECT * FROM ${t} ORDER BY 1, 2`), t).toEqual(query(a, `SELECT * FROM ${t} ORDER BY 1, 2`));
    }
    // marks carry a per-import run id
    const marks = `SELECT position_id, mark_date, price, price_source, market_value, flags FROM position_marks ORDER BY 1, 2`;
    expect(query(b, marks)).toEqual(query(a, marks));
  });

  it('older reference schemas get defaults; orphans are deleted and reported; data-only dumps use our types', async () => {
    const dump = join(tmp, 'old.sql');
    writeFileSync(
      dump,
      [
        '--\n-- PostgreSQL database dump\n--\n',
        "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n",
        'CREATE TABLE public.users (id uuid NOT NULL, email character varying(255), created_at timestamp with time zone NOT NULL);',
        'CREATE TABLE public.portfolios (id uuid NOT NULL, user_id uuid NOT NULL, name character varying(255) NOT NULL, equity_balance numeric(16,2), created_at timestamp with time zone NOT NULL);',
        'COPY public.users (id, email, created_at) FROM stdin;',
        '11111111-1111-1111-1111-111111111111\tx@example.com\t2025-01-01 00:00:00+01',
        '\\.',
        'COPY public.portfolios (id, user_id, name, equity_balance, created_at) FROM stdin;',
        '22222222-2222-2222-2222-222222222222\t11111111-1111-1111-1111-111111111111\tMain\t1000.50\t2025-01-01 00:00:00+00',
        '33333333-3333-3333-3333-333333333333\t99999999-9999-9999-9999-999999999999\tOrphan\t5.00\t2025-01-01 00:00:00+00',
        '\\.',
        // data only: no CREATE TABLE for market_data_cache, types come from our schema
        'COPY public.market_data_cache (id, symbol, date, close, volume, data_source, created_at) FROM stdin;',
        '44444444-4444-4444-4444-444444444444\tbrk.b\t2025-06-30\t410.2500\t100\tyahoo\t2025-06-30 18:00:00-04',
        '\\.',
        PLAIN_DUMP_TAIL,
      ].join('\n'),
    );
    const target = fresh();
    const { report } = await importIntoNewFile({ dumpPath: dump, targetPath: target, now });
    expect(query(target, `SELECT name, account_name, account_type, is_active, initial_equity FROM portfolios`)).toEqual([
      { name: 'Main', account_name: 'Main', account_type: 'taxable', is_active: 1, initial_equity: 1000.5 },
    ]);
    expect(table(report, 'portfolios').columnsDefaulted).toEqual(expect.arrayContaining(['account_name', 'account_type', 'is_active']));
    expect(report.postSteps.orphansDeleted).toEqual({ portfolios: 1 });
    expect(table(report, 'portfolios')).toMatchObject({ imported: 1, skipped: { orphan: 1 } });
    // Named, with the reference that had no row (j.7: "deleted and reported").
    expect(table(report, 'portfolios').skippedExamples).toContainEqual({
      row: '33333333-3333-3333-3333-333333333333',
      reason: 'orphan',
      detail: 'user_id 99999999-9999-9999-9999-999999999999: no such users row',
    });
    expect(formatImportReport(report)).toContain(
      '  orphan rows deleted: portfolios 1; e.g. portfolios 33333333-3333-3333-3333-333333333333 (user_id 99999999-9999-9999-9999-999999999999: no such users row)',
    );
    expect(query(target, `SELECT created_at FROM users`)).toEqual([{ created_at: '2024-12-31T23:00:00.000000Z' }]);
    expect(query(target, `SELECT symbol, close, volume, created_at FROM market_data_cache`)).toEqual([
      { symbol: 'BRK-B', close: 410.25, volume: 100, created_at: '2025-06-30T22:00:00.000000Z' },
    ]);
  });

  it('a failed or cancelled import changes nothing and leaves no temporary file', async () => {
    const bad = join(tmp, 'bad.sql');
    writeFileSync(
      bad,
      `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\nCREATE TABLE public.market_data_cache (id uuid, symbol text, date date, close numeric(12,4), volume bigint, data_source text, created_at timestamp with time zone);\nCOPY public.market_data_cache (id, symbol, date, close, volume, data_source, created_at) FROM stdin;\n44444444-4444-4444-4444-444444444444\tAAPL\t2025-06-30\t1.0\t9223372036854775807\tyahoo\t2025-06-30 00:00:00+00\n\\.\n${PLAIN_DUMP_TAIL}`,
    );
    const target = fresh();
    const strict = await importIntoNewFile({ dumpPath: bad, targetPath: target, now, strict: true }).catch((e: unknown) => e);
    expect((strict as DumpError).code).toBe('strict_violation');
    expect((strict as DumpError).message).toMatch(/volume/);
    expect(existsSync(target) || existsSync(`${target}.importing`)).toBe(false);
    const lenient = await importIntoNewFile({ dumpPath: bad, targetPath: target, now });
    expect(table(lenient.report, 'market_data_cache')).toMatchObject({ imported: 0, skipped: { unconvertible_value: 1 }, unconvertible: { count: 1 } });

    const cancelled = fresh();
    const ac = new AbortController();
    ac.abort();
    expect(((await importIntoNewFile({ dumpPath: REF, targetPath: cancelled, now, signal: ac.signal }).catch((e: unknown) => e)) as DumpError).code).toBe('cancelled');
    expect(readdirSync(tmp).filter((f) => f.startsWith(cancelled.split('/').pop()!))).toEqual([]);

    expect(((await importIntoNewFile({ dumpPath: REF, targetPath: target, now }).catch((e: unknown) => e)) as DumpError).code).toBe('target_exists');
    expect(((await importIntoNewFile({ dumpPath: join(COMMITTED, 'custom.dump'), targetPath: fresh(), now }).catch((e: unknown) => e)) as DumpError).code).toBe('no_batchdesk_tables');
  });

  it('keepTemp leaves the finished file for the host to swap in (--replace)', async () => {
    const target = fresh();
    writeFileSync(target, 'live file stays untouched');
    const { path, report } = await importIntoNewFile({ dumpPath: REF, targetPath: target, now, keepTemp: true });
    expect(path).toBe(`${target}.importing`);
    expect(report.mode).toBe('replace');
    expect(query(path, `SELECT count(*) AS n FROM users`)).toEqual([{ n: 2 }]);
    rmSync(path);
  });

  it('plans without reading rows (--dry-run)', async () => {
    const plan = await planDumpImport({ dumpPath: REF });
    expect(plan.tables.find((t) => t.target === 'users')).toMatchObject({ source: 'public.users', columnsSkipped: ['hashed_password', 'clerk_user_id', 'tier'] });
    expect(plan.tables.find((t) => t.target === 'users')!.columnsMissing).toContain('user_key');
    expect(plan.tablesSkipped.map((t) => t.table)).toContain('public.symbol_universe');
  });
});

describe('merge into an existing database', () => {
  it('skips or replaces conflicting rows, in one transaction', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now });
    const db = openDatabase(target, { mustExist: true });
    try {
      const before = db.prepare(`SELECT count(*) AS n FROM market_data_cache`).get();
      const skip = await mergeIntoDatabase(db, { dumpPath: join(COMMITTED, 'reference-inserts.sql'), databasePath: target, now });
      expect(table(skip, 'users')).toMatchObject({ rowsRead: 2, imported: 0, skipped: { exists: 2 } });
      expect(db.prepare(`SELECT count(*) AS n FROM market_data_cache`).get()).toEqual(before);
      db.prepare(`UPDATE portfolios SET name = 'renamed' WHERE id = 'a1000000-0000-4000-8000-000000000001'`).run();
      const replace = await mergeIntoDatabase(db, { dumpPath: REF, databasePath: target, now, onConflict: 'replace' });
      expect(table(replace, 'portfolios').changes['replaced_existing']).toBe(3);
      expect(db.prepare(`SELECT name FROM portfolios WHERE id = 'a1000000-0000-4000-8000-000000000001'`).get()).toEqual({ name: 'Growth' });
      expect(db.prepare(`SELECT count(*) AS n FROM maintenance_log WHERE operation = 'import'`).get()).toEqual({ n: 3 });

      // a failure part-way rolls the whole merge back
      const bad = join(tmp, 'bad-merge.sql');
      writeFileSync(
        bad,
        `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\nCREATE TABLE public.users (id uuid, email text, created_at timestamp with time zone);\nCOPY public.users (id, email, created_at) FROM stdin;\n55555555-5555-5555-5555-555555555555\tnew@example.com\t2025-01-01 00:00:00+00\n\\.\nCREATE TABLE public.market_data_cache (id uuid, symbol text, date date, close numeric, volume bigint, data_source text, created_at timestamp with time zone);\nCOPY public.market_data_cache (id, symbol, date, close, volume, data_source, created_at) FROM stdin;\n66666666-6666-6666-6666-666666666666\tX\t2025-06-30\t1\t9223372036854775807\ty\t2025-06-30 00:00:00+00\n\\.\n${PLAIN_DUMP_TAIL}`,
      );
      const usersBefore = db.prepare(`SELECT count(*) AS n FROM users`).get();
      const e = await mergeIntoDatabase(db, { dumpPath: bad, databasePath: target, now, strict: true }).catch((x: unknown) => x);
      expect((e as DumpError).code).toBe('strict_violation');
      expect(db.inTransaction).toBe(false);
      expect(db.prepare(`SELECT count(*) AS n FROM users`).get()).toEqual(usersBefore);
    } finally {
      db.close();
    }
  });
});

describe('merge: rows matched by natural key under another id', () => {
  const GROWTH = 'a1000000-0000-4000-8000-000000000001';
  const DUMP_SCENARIO = 'dd000000-0000-4000-8000-000000000001';
  const DUMP_FACTOR = 'dd000000-0000-4000-8000-000000000002';
  const RESULT = 'dd000000-0000-4000-8000-000000000003';
  const EXPOSURE = 'dd000000-0000-4000-8000-000000000004';

  /**
   * A plain dump whose scenario and factor definition exist in the target under other ids (same
   * scenario_id, same name), with a stress result and a factor exposure pointing at the dump's
   * ids. The referencing tables come first, as pg_dump orders data by name.
   */
  function naturalKeyDump(scenarioKey: string, factorName: string): string {
    const path = join(tmp, `natural-key-${++n}.sql`);
    writeFileSync(
      path,
      [
        `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n`,
        `CREATE TABLE public.factor_exposures (id uuid, portfolio_id uuid, factor_id uuid, calculation_date date, exposure_value numeric(12,6), created_at timestamp with time zone);\n`,
        `COPY public.factor_exposures (id, portfolio_id, factor_id, calculation_date, exposure_value, created_at) FROM stdin;\n`,
        `${EXPOSURE}\t${GROWTH}\t${DUMP_FACTOR}\t2025-08-01\t1.050000\t2025-08-01 22:00:00+00\n\\.\n`,
        `CREATE TABLE public.factor_definitions (id uuid, name text, factor_type text, is_active boolean);\n`,
        `COPY public.factor_definitions (id, name, factor_type, is_active) FROM stdin;\n${DUMP_FACTOR}\t${factorName}\tmarket\tt\n\\.\n`,
        `CREATE TABLE public.stress_test_results (id uuid, portfolio_id uuid, scenario_id uuid, calculation_date date, direct_pnl numeric(16,2), created_at timestamp with time zone);\n`,
        `COPY public.stress_test_results (id, portfolio_id, scenario_id, calculation_date, direct_pnl, created_at) FROM stdin;\n`,
        `${RESULT}\t${GROWTH}\t${DUMP_SCENARIO}\t2025-08-01\t-1234.50\t2025-08-01 22:00:00+00\n\\.\n`,
        `CREATE TABLE public.stress_test_scenarios (id uuid, scenario_id text, name text, shock_config jsonb, active boolean);\n`,
        `COPY public.stress_test_scenarios (id, scenario_id, name, shock_config, active) FROM stdin;\n${DUMP_SCENARIO}\t${scenarioKey}\tFrom the dump\t{"Market Beta": -0.1}\tt\n\\.\n`,
        PLAIN_DUMP_TAIL,
      ].join(''),
    );
    return path;
  }

  /** A plain dump of users `[id, email]`, in dump order, and optionally portfolio COPY lines. */
  function usersDump(users: readonly (readonly [string, string])[], portfolios = ''): string {
    const path = join(tmp, `users-${++n}.sql`);
    writeFileSync(
      path,
      [
        `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n`,
        `CREATE TABLE public.users (id uuid, email text, created_at timestamp with time zone);\n`,
        `COPY public.users (id, email, created_at) FROM stdin;\n`,
        ...users.map(([id, email]) => `${id}\t${email}\t2025-01-01 00:00:00+00\n`),
        `\\.\n`,
        `CREATE TABLE public.portfolios (id uuid, user_id uuid, name text, account_name text, created_at timestamp with time zone);\n`,
        `COPY public.portfolios (id, user_id, name, account_name, created_at) FROM stdin;\n${portfolios}\\.\n`,
        PLAIN_DUMP_TAIL,
      ].join(''),
    );
    return path;
  }

  it('re-points the rows that reference them to the existing ids (skip and replace), and reports them', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    try {
      const scenario = db.prepare(`SELECT id, scenario_id, name FROM stress_test_scenarios WHERE id <> ? ORDER BY scenario_id LIMIT 1`).get(DUMP_SCENARIO) as Record<string, string>;
      const factor = db.prepare(`SELECT id, name FROM factor_definitions ORDER BY name LIMIT 1`).get() as Record<string, string>;
      const dump = naturalKeyDump(scenario['scenario_id']!, factor['name']!);

      const skip = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, seedReferenceData });
      expect(table(skip, 'stress_test_scenarios')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { duplicate_key: 1 } });
      expect(table(skip, 'stress_test_results')).toMatchObject({ rowsRead: 1, imported: 1, skipped: {}, changes: { repointed_to_existing: 1 } });
      expect(table(skip, 'factor_definitions')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { duplicate_key: 1 } });
      expect(table(skip, 'factor_exposures')).toMatchObject({ rowsRead: 1, imported: 1, skipped: {}, changes: { repointed_to_existing: 1 } });
      expect(table(skip, 'stress_test_results').changeExamples).toEqual([{ row: RESULT, change: `${RESULT}: scenario_id ${DUMP_SCENARIO} → ${scenario['id']}` }]);
      expect(skip.postSteps.orphansDeleted).toEqual({});
      // the referenced tables were loaded first
      const order = skip.tables.map((t) => t.table);
      expect(order.indexOf('stress_test_scenarios')).toBeLessThan(order.indexOf('stress_test_results'));
      expect(order.indexOf('factor_definitions')).toBeLessThan(order.indexOf('factor_exposures'));
      expect(formatImportReport(skip)).toMatch(/stress_test_results: read 1, imported 1\n {4}repointed to existing: 1/);
      expect(db.prepare(`SELECT scenario_id, direct_pnl FROM stress_test_results WHERE id = ?`).get(RESULT)).toEqual({ scenario_id: scenario['id'], direct_pnl: -1234.5 });
      expect(db.prepare(`SELECT factor_id FROM factor_exposures WHERE id = ?`).get(EXPOSURE)).toEqual({ factor_id: factor['id'] });
      expect(db.prepare(`SELECT count(*) AS n FROM stress_test_scenarios WHERE id = ?`).get(DUMP_SCENARIO)).toEqual({ n: 0 });

      // replace: the stored scenario takes the dump's values under its own id; the stored result
      // (same id) is replaced and still points at the existing scenario
      const replace = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' });
      expect(table(replace, 'stress_test_scenarios').changes).toMatchObject({ replaced_existing: 1 });
      expect(table(replace, 'stress_test_results')).toMatchObject({ imported: 1, changes: { replaced_existing: 1, repointed_to_existing: 1 } });
      expect(replace.postSteps.orphansDeleted).toEqual({});
      expect(db.prepare(`SELECT id, name FROM stress_test_scenarios WHERE scenario_id = ?`).get(scenario['scenario_id'])).toEqual({ id: scenario['id'], name: 'From the dump' });
      expect(db.prepare(`SELECT scenario_id FROM stress_test_results WHERE id = ?`).get(RESULT)).toEqual({ scenario_id: scenario['id'] });
      expect(db.prepare(`SELECT factor_id FROM factor_exposures WHERE id = ?`).get(EXPOSURE)).toEqual({ factor_id: factor['id'] });
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('--strict skip: natural-key and primary-key duplicates are skipped and reported as without --strict', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    try {
      const scenario = db.prepare(`SELECT id, scenario_id, name FROM stress_test_scenarios ORDER BY scenario_id LIMIT 1`).get() as Record<string, string>;
      const factor = db.prepare(`SELECT id, name FROM factor_definitions ORDER BY name LIMIT 1`).get() as Record<string, string>;
      const dump = naturalKeyDump(scenario['scenario_id']!, factor['name']!);

      // natural-key duplicates (the scenario and the factor exist under other ids)
      const first = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, seedReferenceData, strict: true });
      expect(table(first, 'stress_test_scenarios')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { duplicate_key: 1 } });
      expect(table(first, 'factor_definitions')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { duplicate_key: 1 } });
      expect(table(first, 'stress_test_results')).toMatchObject({ rowsRead: 1, imported: 1, skipped: {}, changes: { repointed_to_existing: 1 } });
      expect(db.prepare(`SELECT id, scenario_id, name FROM stress_test_scenarios WHERE scenario_id = ?`).all(scenario['scenario_id'])).toEqual([scenario]);
      expect(db.prepare(`SELECT scenario_id, direct_pnl FROM stress_test_results WHERE id = ?`).get(RESULT)).toEqual({ scenario_id: scenario['id'], direct_pnl: -1234.5 });

      // primary-key duplicates as well (the result and the exposure are stored now)
      const second = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, seedReferenceData, strict: true });
      expect(table(second, 'stress_test_results')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { exists: 1 } });
      expect(table(second, 'factor_exposures')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { exists: 1 } });
      expect(table(second, 'stress_test_scenarios')).toMatchObject({ rowsRead: 1, imported: 0, skipped: { duplicate_key: 1 } });
      expect(db.prepare(`SELECT count(*) AS n FROM maintenance_log WHERE operation = 'import'`).get()).toEqual({ n: 3 });

      // duplicates within the dump (a row conflicting with one this merge inserted) are no planned
      // conflict: --strict fails as for a new file; without it the later row is skipped as
      // duplicate_in_dump, and a row referencing it is not re-pointed to the first (an orphan)
      const users = () => db.prepare(`SELECT id, email FROM users ORDER BY id`).all();
      const usersBefore = users();
      const U1 = 'd1000000-0000-4000-8000-000000000011';
      const U2 = 'd2000000-0000-4000-8000-000000000012';
      const sameEmail = usersDump([
        [U1, 'twice@example.com'],
        [U2, 'twice@example.com'],
      ], `dd000000-0000-4000-8000-000000000013\t${U2}\tOf the second\tTwice Brokerage\t2025-01-01 00:00:00+00\n`);
      const sameId = usersDump([
        [U1, 'first@example.com'],
        [U1, 'second@example.com'],
      ]);
      for (const [dump, failed] of [
        [sameEmail, 'users.email'],
        // the same id derives the same user_key, whose index SQLite names; the row is found by its id
        [sameId, 'users.user_key'],
      ] as const) {
        for (const onConflict of ['skip', 'replace'] as const) {
          const e = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict, strict: true }).catch((x: unknown) => x);
          expect((e as DumpError).code, `${failed} ${onConflict}`).toBe('strict_violation');
          expect((e as DumpError).message).toBe(`--strict: public.users row 2 (${dump === sameId ? U1 : U2}) cannot be stored: UNIQUE constraint failed: ${failed}`);
          expect(users()).toEqual(usersBefore);
        }
      }
      const lenient = await mergeIntoDatabase(db, { dumpPath: sameEmail, databasePath: target, now });
      expect(table(lenient, 'users')).toMatchObject({ rowsRead: 2, imported: 1, skipped: { duplicate_in_dump: 1 } });
      expect(table(lenient, 'users').skippedExamples).toEqual([{ row: U2, reason: 'duplicate_in_dump', detail: 'UNIQUE constraint failed: users.email' }]);
      expect(table(lenient, 'portfolios')).toMatchObject({ rowsRead: 1, imported: 0, changes: {}, skipped: { orphan: 1 } });
      expect(lenient.postSteps.orphansDeleted).toEqual({ portfolios: 1 });
      expect(db.prepare(`SELECT id FROM users WHERE email = 'twice@example.com'`).all()).toEqual([{ id: U1 }]);
      // replace neither: the later row does not overwrite the first
      db.prepare(`DELETE FROM users WHERE id = ?`).run(U1);
      const replaced = await mergeIntoDatabase(db, { dumpPath: sameId, databasePath: target, now, onConflict: 'replace' });
      expect(table(replaced, 'users')).toMatchObject({ rowsRead: 2, imported: 1, changes: {}, skipped: { duplicate_in_dump: 1 } });
      expect(db.prepare(`SELECT email FROM users WHERE id = ?`).all(U1)).toEqual([{ email: 'first@example.com' }]);
    } finally {
      db.close();
    }
  });
});

describe('merge: a stress result that the database has under another id', () => {
  const STORED = 'ff000000-0000-4000-8000-000000000001';

  /** A database with one stress result (2025-08-01, direct P&L -100, created that evening). */
  async function withStoredResult(): Promise<{ db: ReturnType<typeof openDatabase>; target: string; portfolio: string; scenario: string }> {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    const portfolio = (db.prepare(`SELECT id FROM portfolios ORDER BY id LIMIT 1`).get() as { id: string }).id;
    const scenario = (db.prepare(`SELECT id FROM stress_test_scenarios ORDER BY scenario_id LIMIT 1`).get() as { id: string }).id;
    db.prepare(
      `INSERT INTO stress_test_results (id, portfolio_id, scenario_id, calculation_date, direct_pnl, correlated_pnl, correlation_effect, factor_impacts, calculation_metadata, created_at)
       VALUES (?, ?, ?, '2025-08-01', -100, -100, 0, '{}', '{}', '2025-08-01T22:00:00.000000Z')`,
    ).run(STORED, portfolio, scenario);
    return { db, target, portfolio, scenario };
  }

  /** A plain dump of stress results for 2025-08-01: `[id, direct P&L, created_at]`, in dump order. */
  function resultsDump(portfolio: string, scenario: string, rows: readonly (readonly [string, string, string])[]): string {
    const path = join(tmp, `results-${++n}.sql`);
    writeFileSync(
      path,
      [
        `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n`,
        `CREATE TABLE public.stress_test_results (id uuid, portfolio_id uuid, scenario_id uuid, calculation_date date, direct_pnl numeric(16,2), created_at timestamp with time zone);\n`,
        `COPY public.stress_test_results (id, portfolio_id, scenario_id, calculation_date, direct_pnl, created_at) FROM stdin;\n`,
        ...rows.map(([id, pnl, created]) => `${id}\t${portfolio}\t${scenario}\t2025-08-01\t${pnl}\t${created}\n`),
        `\\.\n`,
        PLAIN_DUMP_TAIL,
      ].join(''),
    );
    return path;
  }

  const pnl = (db: ReturnType<typeof openDatabase>, portfolio: string, scenario: string) =>
    db.prepare(`SELECT id, direct_pnl FROM stress_test_results WHERE portfolio_id = ? AND scenario_id = ? AND calculation_date = '2025-08-01'`).all(portfolio, scenario);

  it('follows --on-conflict (skip keeps the stored row even when the dump is newer; replace takes the dump row)', async () => {
    const { db, target, portfolio, scenario } = await withStoredResult();
    try {
      const dump = resultsDump(portfolio, scenario, [['ff000000-0000-4000-8000-000000000002', '-999.00', '2025-09-01 22:00:00+00']]);
      const skip = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now });
      expect(table(skip, 'stress_test_results')).toMatchObject({ imported: 0, skipped: { duplicate_key: 1 } });
      expect(pnl(db, portfolio, scenario)).toEqual([{ id: STORED, direct_pnl: -100 }]);
      // --strict changes nothing here: the conflict is planned, not a row that cannot be stored
      const strictSkip = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, strict: true });
      expect(table(strictSkip, 'stress_test_results')).toMatchObject({ imported: 0, skipped: { duplicate_key: 1 } });
      expect(pnl(db, portfolio, scenario)).toEqual([{ id: STORED, direct_pnl: -100 }]);
      const replace = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' });
      expect(table(replace, 'stress_test_results').changes).toMatchObject({ replaced_existing: 1 });
      expect(pnl(db, portfolio, scenario)).toEqual([{ id: STORED, direct_pnl: -999 }]);
    } finally {
      db.close();
    }
  });

  it.each(['newer first', 'older first'] as const)(
    'replace: among the dump rows of one key the newest created_at wins and the stored row keeps its id (%s)',
    async (order) => {
      const { db, target, portfolio, scenario } = await withStoredResult();
      try {
        const NEWER = 'ff000000-0000-4000-8000-000000000003';
        const OLDER = 'ff000000-0000-4000-8000-000000000004';
        const newer = [NEWER, '-300.00', '2025-09-02 22:00:00+00'] as const;
        const older = [OLDER, '-200.00', '2025-09-01 22:00:00+00'] as const;
        const dump = resultsDump(portfolio, scenario, order === 'newer first' ? [newer, older] : [older, newer]);
        const replace = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' });
        expect(table(replace, 'stress_test_results')).toMatchObject({ rowsRead: 2, imported: 1, changes: { replaced_existing: 1, duplicates_dropped: 1 } });
        // the dropped row is the older dump row; the stored row keeps its id (with the newer values)
        expect(table(replace, 'stress_test_results').changeExamples).toContainEqual(
          order === 'newer first'
            ? { row: OLDER, change: `${OLDER} (older than ${STORED})` }
            : { row: NEWER, change: `${OLDER} (older than ${NEWER}; stored ${STORED} keeps its id)` },
        );
        expect(db.prepare(`SELECT id, direct_pnl, created_at FROM stress_test_results WHERE portfolio_id = ? AND scenario_id = ? AND calculation_date = '2025-08-01'`).all(portfolio, scenario)).toEqual([
          { id: STORED, direct_pnl: -300, created_at: '2025-09-02T22:00:00.000000Z' },
        ]);
        expect(db.prepare(`SELECT count(*) AS n FROM stress_test_results WHERE id IN (?, ?)`).get(NEWER, OLDER)).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    },
  );
});

describe('merge: a portfolio matched by its account under another id', () => {
  const GROWTH = 'a1000000-0000-4000-8000-000000000001';
  const AAPL_LOT = 'b2000000-0000-4000-8000-000000000001';
  const DUMP_PORTFOLIO = 'ee000000-0000-4000-8000-000000000001';
  const DUMP_LOT = 'ee000000-0000-4000-8000-000000000002';
  const DUMP_SNAPSHOT = 'ee000000-0000-4000-8000-000000000003';

  /** Growth under the dump's own id (same user and account), with a lot stored here, a new lot and a new snapshot. */
  function sameAccountDump(local: Record<string, string>): string {
    const path = join(tmp, `same-account-${++n}.sql`);
    writeFileSync(
      path,
      [
        `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n`,
        `CREATE TABLE public.portfolio_snapshots (id uuid, portfolio_id uuid, snapshot_date date, total_value numeric, cash_value numeric, long_value numeric, short_value numeric, gross_exposure numeric, net_exposure numeric, num_positions integer, num_long_positions integer, num_short_positions integer, equity_balance numeric, created_at timestamp with time zone);\n`,
        `COPY public.portfolio_snapshots (id, portfolio_id, snapshot_date, total_value, cash_value, long_value, short_value, gross_exposure, net_exposure, num_positions, num_long_positions, num_short_positions, equity_balance, created_at) FROM stdin;\n`,
        `${DUMP_SNAPSHOT}\t${DUMP_PORTFOLIO}\t2025-07-02\t101000\t60000\t46000\t-5000\t51000\t41000\t4\t3\t1\t101000\t2025-07-02 23:00:00+00\n\\.\n`,
        `CREATE TABLE public.portfolios (id uuid, user_id uuid, name text, account_name text, created_at timestamp with time zone);\n`,
        `COPY public.portfolios (id, user_id, name, account_name, created_at) FROM stdin;\n`,
        `${DUMP_PORTFOLIO}\t${local['user_id']}\tGrowth (dump)\t${local['account_name']}\t2025-01-01 00:00:00+00\n\\.\n`,
        `CREATE TABLE public.positions (id uuid, portfolio_id uuid, symbol text, position_type text, quantity numeric, entry_price numeric, entry_date date, created_at timestamp with time zone);\n`,
        `COPY public.positions (id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, created_at) FROM stdin;\n`,
        `${AAPL_LOT}\t${DUMP_PORTFOLIO}\tAAPL\tLONG\t100\t191.00\t2025-06-30\t2025-06-30 00:00:00+00\n`,
        `${DUMP_LOT}\t${DUMP_PORTFOLIO}\tMSFT\tLONG\t10\t420\t2025-07-02\t2025-07-02 00:00:00+00\n\\.\n`,
        PLAIN_DUMP_TAIL,
      ].join(''),
    );
    return path;
  }

  it('is re-pointed: its rows join the local portfolio, nothing is orphaned, and a replace keeps the local lots under it', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    try {
      const local = db.prepare(`SELECT id, user_id, account_name FROM portfolios WHERE id = ?`).get(GROWTH) as Record<string, string>;
      const lots = () => db.prepare(`SELECT id FROM positions WHERE portfolio_id = ? ORDER BY id`).all(GROWTH).map((r) => (r as { id: string }).id);
      const localLots = lots();
      const aaplMarks = db.prepare(`SELECT * FROM position_marks WHERE position_id = ? AND mark_date = '2025-07-01'`).all(AAPL_LOT);
      expect(aaplMarks).toHaveLength(1);
      const dump = sameAccountDump(local);

      const skip = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, seedReferenceData });
      expect(table(skip, 'portfolios')).toMatchObject({ imported: 0, skipped: { duplicate_key: 1 } });
      expect(table(skip, 'positions')).toMatchObject({ imported: 1, skipped: { exists: 1 }, changes: { repointed_to_existing: 2 } });
            expect(table(skip, 'portfolio_snapshots')).toMatchObject({ imported: 1, changes: { repointed_to_existing: 1 } });
      expect(table(skip, 'positions').changeExamples).toContainEqual({ row: DUMP_LOT, change: `${DUMP_LOT}: portfolio_id ${DUMP_PORTFOLIO} → ${GROWTH}` });
      expect(skip.postSteps.orphansDeleted).toEqual({});
      expect(lots()).toEqual([...localLots, DUMP_LOT].sort());
      expect(db.prepare(`SELECT portfolio_id FROM portfolio_snapshots WHERE id = ?`).get(DUMP_SNAPSHOT)).toEqual({ portfolio_id: GROWTH });
      expect(db.prepare(`SELECT count(*) AS n FROM portfolios WHERE id = ?`).get(DUMP_PORTFOLIO)).toEqual({ n: 0 });

      // replace: the local lot matched by its id takes the dump's values but stays under the
      // local portfolio (it used to move to the dump's id and be deleted as an orphan, marks and all)
      const replace = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' });
      expect(table(replace, 'portfolios').changes).toMatchObject({ replaced_existing: 1 });
      expect(table(replace, 'positions')).toMatchObject({ imported: 2, skipped: {}, changes: { replaced_existing: 2, repointed_to_existing: 2 } });
      expect(replace.postSteps.orphansDeleted).toEqual({});
      expect(db.prepare(`SELECT name FROM portfolios WHERE id = ?`).get(GROWTH)).toEqual({ name: 'Growth (dump)' });
      expect(db.prepare(`SELECT portfolio_id, entry_price FROM positions WHERE id = ?`).get(AAPL_LOT)).toEqual({ portfolio_id: GROWTH, entry_price: 191 });
      expect(lots()).toEqual([...localLots, DUMP_LOT].sort());
      expect(db.prepare(`SELECT * FROM position_marks WHERE position_id = ? AND mark_date = '2025-07-01'`).all(AAPL_LOT)).toEqual(aaplMarks);
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('merge --on-conflict replace: a dump row whose parent exists nowhere', () => {
  it('leaves the stored row as it is (never points it at a missing parent, so nothing local is deleted as an orphan)', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    try {
      const RETIREMENT = 'a1000000-0000-4000-8000-000000000002';
      const BRK_LOT = 'b2000000-0000-4000-8000-000000000002';
      const NO_USER = 'ee000000-0000-4000-8000-000000000008';
      const NO_PORTFOLIO = 'ee000000-0000-4000-8000-000000000009';
      const counts = () =>
        Object.fromEntries(['portfolios', 'positions', 'position_marks', 'portfolio_snapshots'].map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
      const before = counts();
      const stored = () => [
        db.prepare(`SELECT user_id, name FROM portfolios WHERE id = ?`).get(RETIREMENT),
        db.prepare(`SELECT portfolio_id, entry_price FROM positions WHERE id = ?`).get(BRK_LOT),
      ];
      const storedBefore = stored();
      const dump = join(tmp, `missing-parent-${++n}.sql`);
      writeFileSync(
        dump,
        [
          `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n`,
          `CREATE TABLE public.portfolios (id uuid, user_id uuid, name text, account_name text, created_at timestamp with time zone);\n`,
          `COPY public.portfolios (id, user_id, name, account_name, created_at) FROM stdin;\n`,
          `${RETIREMENT}\t${NO_USER}\tRetirement (dump)\tFidelity IRA\t2025-01-01 00:00:00+00\n\\.\n`,
          `CREATE TABLE public.positions (id uuid, portfolio_id uuid, symbol text, position_type text, quantity numeric, entry_price numeric, entry_date date, created_at timestamp with time zone);\n`,
          `COPY public.positions (id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, created_at) FROM stdin;\n`,
          `${BRK_LOT}\t${NO_PORTFOLIO}\tBRK-B\tLONG\t10\t999\t2025-06-30\t2025-06-30 00:00:00+00\n\\.\n`,
          PLAIN_DUMP_TAIL,
        ].join(''),
      );
      const replace = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' });
      expect(table(replace, 'portfolios')).toMatchObject({ imported: 0, skipped: { missing_parent: 1 } });
      expect(table(replace, 'positions')).toMatchObject({ imported: 0, skipped: { missing_parent: 1 } });
      expect(table(replace, 'positions').skippedExamples).toEqual([{ row: BRK_LOT, reason: 'missing_parent', detail: `portfolio_id ${NO_PORTFOLIO}: no such portfolios row` }]);
      expect(replace.postSteps.orphansDeleted).toEqual({});
      expect(stored()).toEqual(storedBefore);
      expect(counts()).toEqual(before);
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);

      const strict = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace', strict: true }).catch((x: unknown) => x);
      expect((strict as DumpError).code).toBe('strict_violation');
      expect(counts()).toEqual(before);
    } finally {
      db.close();
    }
  });
});

describe('merge --on-conflict replace: a stored user', () => {
  const ADA = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
  const BOB = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const DUMP_ADA = 'ee000000-0000-4000-8000-000000000010';

  it('keeps its local user_key, matched by id or by email under another id, and reports it as derived_columns_kept', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    try {
      db.prepare(`UPDATE users SET user_key = 'demo_individual', full_name = 'local' WHERE id = ?`).run(ADA);
      db.prepare(`UPDATE users SET user_key = 'demo_hnw', full_name = 'local' WHERE id = ?`).run(BOB);
      const users = () => db.prepare(`SELECT id, user_key, full_name FROM users ORDER BY id`).all();

      // by id: the reference dump's users
      const byId = await mergeIntoDatabase(db, { dumpPath: REF, databasePath: target, now, onConflict: 'replace' });
      expect(table(byId, 'users')).toMatchObject({ rowsRead: 2, imported: 2, changes: { replaced_existing: 2, derived_columns_kept: 2 } });
      expect(byId.mergeRule).toMatch(/users\.user_key\) are never overwritten/);
      expect(users()).toEqual([
        { id: BOB, user_key: 'demo_hnw', full_name: null },
        { id: ADA, user_key: 'demo_individual', full_name: 'Ada Lovelace' },
      ]);

      // by email: Ada under the dump's own id
      const dump = join(tmp, `user-by-email-${++n}.sql`);
      writeFileSync(
        dump,
        [
          `--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n`,
          `CREATE TABLE public.users (id uuid, email text, full_name text, is_active boolean, created_at timestamp with time zone);\n`,
          `COPY public.users (id, email, full_name, is_active, created_at) FROM stdin;\n`,
          `${DUMP_ADA}\tada@example.com\tAda (dump)\tt\t2025-06-01 09:00:00+00\n\\.\n`,
          PLAIN_DUMP_TAIL,
        ].join(''),
      );
      const byEmail = await mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' });
      expect(table(byEmail, 'users')).toMatchObject({ rowsRead: 1, imported: 1, changes: { replaced_existing: 1, derived_columns_kept: 1 } });
      expect(users()).toEqual([
        { id: BOB, user_key: 'demo_hnw', full_name: null },
        { id: ADA, user_key: 'demo_individual', full_name: 'Ada (dump)' },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('merge: the local bookkeeping (batch_run_tracking, batch_run_history)', () => {
  it('is never replaced, whatever --on-conflict says; the rows it lacks are inserted', async () => {
    const target = fresh();
    await importIntoNewFile({ dumpPath: REF, targetPath: target, now, seedReferenceData });
    const db = openDatabase(target, { mustExist: true });
    try {
      // a local run's rows: one date tracked under a local id (same run_date as the dump's), one
      // history row under the dump's id; the dump's second date is missing here
      db.prepare(
        `UPDATE batch_run_tracking SET id = 'local-tracking', status = 'success', phase_status = '{"marks":"success"}', metadata = '{"local":true}', run_id = 'batch_local' WHERE id = 'a9000000-0000-4000-8000-000000000001'`,
      ).run();
      db.prepare(`DELETE FROM batch_run_tracking WHERE id = 'a9000000-0000-4000-8000-000000000002'`).run();
      db.prepare(`UPDATE batch_run_history SET mode = 'normal', status = 'success', summary = '{"local":true}' WHERE id = 'aa000000-0000-4000-8000-000000000001'`).run();
      const local = () => [db.prepare(`SELECT * FROM batch_run_tracking WHERE id = 'local-tracking'`).get(), db.prepare(`SELECT * FROM batch_run_history ORDER BY id`).all()];
      const localBefore = local();

      for (const onConflict of ['replace', 'skip'] as const) {
        const r = await mergeIntoDatabase(db, { dumpPath: REF, databasePath: target, now, onConflict });
        expect(table(r, 'batch_run_tracking')).toMatchObject({ rowsRead: 2, imported: onConflict === 'replace' ? 1 : 0, skipped: { local_bookkeeping_kept: onConflict === 'replace' ? 1 : 2 } });
        expect(table(r, 'batch_run_history')).toMatchObject({ rowsRead: 2, imported: 0, skipped: { local_bookkeeping_kept: 2 } });
        expect(table(r, 'batch_run_tracking').changes['replaced_existing']).toBeUndefined();
        expect(table(r, 'batch_run_history').changes['replaced_existing']).toBeUndefined();
        expect(r.mergeRule).toMatch(/batch_run_tracking and batch_run_history rows .* never replaced/);
        expect(local()).toEqual(localBefore);
      }
      expect(db.prepare(`SELECT run_date, status FROM batch_run_tracking WHERE id = 'a9000000-0000-4000-8000-000000000002'`).get()).toEqual({ run_date: '2025-07-01', status: 'imported' });
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!HAS_POSTGRES)('import of the full PostgreSQL 15 fixture dumps', () => {
  it.each(['custom.dump', 'plain.sql', 'directory', 'archive.tar', 'custom-inserts.dump', 'load-via-root.dump', 'kolkata.dump'])('%s imports with the same rows', async (file) => {
    const dir = fullFixtures();
    const target = fresh();
    const { report } = await importIntoNewFile({ dumpPath: join(dir, file), targetPath: target, now, seedReferenceData });
    expect(report.postSteps.integrityCheck).toBe('ok');
    expect(table(report, 'positions').imported).toBe(7);
    expect(query(target, `SELECT count(*) AS n FROM market_data_cache`)).toEqual([{ n: 6 }]);
    expect(report.tablesSkipped.map((t) => t.table)).toEqual(expect.arrayContaining(['public.awkward_text', 'public.measurements', 'extra.positions']));
  });
});
