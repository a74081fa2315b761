/**
 * Issue 6 acceptance, "after import, the engine runs": a dump of a seeded reference-schema
 * database (test/support/reference-dump.ts: the demo portfolios, seeded with synthetic prices
 * and backfilled to 2025-07-10, written into the reference system's tables) is imported with
 * `batchdesk import`, then a backfill runs on the result (SPEC.md m.8, m.15):
 * - the dump carries prices: `run --market-data offline` processes 2025-07-11 .. 2025-07-17
 *   from the imported cache, and continues the imported equity chain: every new snapshot
 *   equals, to the cent, the one the original database computes for the same date;
 * - the dump has no prices: `run --market-data synthetic` works on it.
 * Exit code 0 or 1 is accepted (m.15); both runs are expected to be complete here.
 * With PostgreSQL 15 installed, the plain dump is also loaded into a real cluster and its
 * `pg_dump -Fc` archive imported, giving the same database.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { runDemo, seedDemoDb } from '../support/demo-db';
import { startPgCluster } from '../support/pg-cluster';
import { HAS_POSTGRES } from '../support/pg-fixtures';
import { writeReferenceDump } from '../support/reference-dump';

const NOW = '2025-07-17T23:00:00Z';
const ENV = { BATCHDESK_NOW: NOW };
/** Stamps written with the import's own clock (pinned by BATCHDESK_NOW, then running). */
const IMPORT_TIME = /^2025-07-1[78]T\d\d:\d\d:\d\d\.\d{6}Z$/;
const NEW_DATES = ['2025-07-11', '2025-07-14', '2025-07-15', '2025-07-16', '2025-07-17'];
const tmp = mkdtempSync(join(tmpdir(), 'import-engine-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let demo = '';
let withPrices = '';
let withoutPrices = '';
let archive: string | null = null;

function rows(path: string, sql: string, ...args: unknown[]): Record<string, unknown>[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  demo = seedDemoDb(NOW);
  const r = await runDemo(demo, NOW, { startDate: '2025-06-30', endDate: '2025-07-10' });
  if (r.kind !== 'run' || r.exitCode !== 0) throw new Error(`demo backfill: ${r.kind}`);
  withPrices = join(tmp, 'reference.sql');
  withoutPrices = join(tmp, 'reference-no-prices.sql');
  const counts = writeReferenceDump(demo, withPrices);
  expect(counts['market_data_cache']).toBeGreaterThan(10_000);
  expect(counts['portfolio_snapshots']).toBe(40);
  writeReferenceDump(demo, withoutPrices, { withoutPrices: true });
  if (HAS_POSTGRES) {
    const pg = startPgCluster();
    try {
      pg.psql('postgres', 'CREATE DATABASE reference');
      pg.run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'reference', '-f', withPrices]);
      archive = join(tmp, 'reference.dump');
      pg.run('pg_dump', ['-Fc', '-f', archive, 'reference']);
    } finally {
      pg.stop();
    }
  }
}, 300_000);

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

async function imported(dump: string, name: string): Promise<string> {
  const db = join(tmp, name);
  const r = await runCli(['import', dump, '--db', db, '--json'], ENV);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout).report;
  expect(report.postSteps.integrityCheck).toBe('ok');
  expect(report.postSteps.marksBootstrapped).toHaveLength(5);
  return db;
}

const SNAPSHOT = `SELECT portfolio_id, snapshot_date, round(equity_balance, 2) AS equity, round(cash_value, 2) AS cash, round(daily_pnl, 2) AS pnl,
  round(long_value, 2) AS long_value, round(short_value, 2) AS short_value, num_positions FROM portfolio_snapshots WHERE snapshot_date > '2025-07-10' ORDER BY 1, 2`;

describe('a backfill runs on an imported reference-schema database', () => {
  it('with prices in the dump: --market-data offline continues the equity chain', async () => {
    const db = await imported(withPrices, 'with-prices.sqlite');
    const run = await runCli(['run', '--db', db, '--market-data', 'offline'], ENV);
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr).toMatch(/Dates: 2025-07-11 \.\. 2025-07-17 \(5 trading days/);
    const tracking = rows(db, `SELECT run_date, status FROM batch_run_tracking WHERE run_date > '2025-07-10' ORDER BY run_date`);
    expect(tracking.map((t) => t['run_date'])).toEqual(NEW_DATES);
    expect(tracking.every((t) => t['status'] === 'success')).toBe(true);

    // The original database, continued by its own run over the same dates, computes the same snapshots.
    const original = join(tmp, 'original.sqlite');
    copyFileSync(demo, original);
    const native = await runDemo(original, NOW, { marketData: 'offline' });
    expect(native.kind).toBe('run');
    // The reference keeps money as numeric(16,2), so the imported chain starts from cents:
    // a value may differ by one cent of rounding, never more.
    const got = rows(db, SNAPSHOT);
    const want = rows(original, SNAPSHOT);
    expect(got).toHaveLength(25);
    expect(got.map((r) => [r['portfolio_id'], r['snapshot_date'], r['num_positions']])).toEqual(want.map((r) => [r['portfolio_id'], r['snapshot_date'], r['num_positions']]));
    got.forEach((r, i) => {
      for (const k of ['equity', 'cash', 'pnl', 'long_value', 'short_value']) {
        expect(Math.abs((r[k] as number) - (want[i]![k] as number)), `${String(r['portfolio_id'])} ${String(r['snapshot_date'])} ${k}`).toBeLessThanOrEqual(0.0100001);
      }
    });
  }, 120_000);

  it('without prices: --market-data synthetic works on it', async () => {
    const db = await imported(withoutPrices, 'without-prices.sqlite');
    expect(rows(db, `SELECT count(*) AS n FROM market_data_cache`)).toEqual([{ n: 0 }]);
    const run = await runCli(['run', '--db', db, '--market-data', 'synthetic'], ENV);
    expect([0, 1], run.stderr).toContain(run.code);
    const done = rows(db, `SELECT snapshot_date, count(*) AS n FROM portfolio_snapshots WHERE snapshot_date > '2025-07-10' GROUP BY 1 ORDER BY 1`);
    expect(done).toEqual(NEW_DATES.map((d) => ({ snapshot_date: d, n: 5 })));
  }, 120_000);

  it.skipIf(!HAS_POSTGRES)('the same database from a real pg_dump -Fc of the seeded reference database', async () => {
    const a = await imported(withPrices, 'from-plain.sqlite');
    const b = await imported(archive!, 'from-archive.sqlite');
    for (const t of ['users', 'portfolios', 'positions', 'market_data_cache', 'portfolio_snapshots', 'stress_test_results', 'position_marks']) {
      const q = `SELECT * FROM ${t} ORDER BY 1`;
      // jsonb comes back from PostgreSQL in its own key order and spacing: compare parsed.
      const json = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v) ? JSON.stringify(sortKeys(JSON.parse(v))) : v);
      const strip = (rs: Record<string, unknown>[]) =>
        rs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'run_id' || (typeof v === 'string' && IMPORT_TIME.test(v)) ? null : json(v)])));
      expect(strip(rows(b, q)), t).toEqual(strip(rows(a, q)));
    }
  }, 120_000);
});
