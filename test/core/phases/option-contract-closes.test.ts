/**
 * d.2.2: an option contract with a close of its own in the cache (imported data, say) is
 * marked from it, `exact` on its day and `fallback` for the five trading days after, even
 * though contracts are never fetched (market_data.fetch_option_contracts off, the default);
 * only without one does the model price it. The chunk price tables held only fetched symbols,
 * so every contract was model-marked whatever the cache had. The closes below are the
 * auditor's, checked by hand against d.2.1's lookup. And e.6: a contract the model prices has
 * no missing_prices row of its own (with fetch_option_contracts on, each had one).
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOptionContractSymbol } from '../../../core/domain/symbols';
import { runCli, tempDir } from '../../support/cli';
import { putSettings } from '../../support/app/demo-fixture';
import { seedDemoDb } from '../../support/demo-db';

const NOW = '2026-11-27T23:00:00Z';
const CONTRACT_CLOSES = [
  'symbol,date,close,volume',
  'QQQ250815C00420000,2025-07-10,45.0,100',
  'QQQ250815C00420000,2025-07-15,50.0,100',
  '',
].join('\n');

function contractMarks(path: string): { mark_date: string; price_source: string; price: number; price_date: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT m.mark_date, m.price_source, m.price, m.price_date FROM position_marks m JOIN positions p ON p.id = m.position_id
         WHERE p.symbol = 'QQQ250815C00420000' AND m.mark_date BETWEEN '2025-07-09' AND '2025-07-23' ORDER BY m.mark_date`,
      )
      .all() as { mark_date: string; price_source: string; price: number; price_date: string }[];
  } finally {
    db.close();
  }
}

/** What d.2.1/d.2.2 give for the two closes: exact on their days, then fallback to the latest within five trading days. */
function expectContractMarks(path: string): void {
  const marks = contractMarks(path).map((m) => [m.mark_date, m.price_source, m.price_source === 'model' ? null : m.price, m.price_source === 'model' ? null : m.price_date]);
  expect(marks).toEqual([
    ['2025-07-09', 'model', null, null],
    ['2025-07-10', 'exact', 45, '2025-07-10'],
    ['2025-07-11', 'fallback', 45, '2025-07-10'],
    ['2025-07-14', 'fallback', 45, '2025-07-10'],
    ['2025-07-15', 'exact', 50, '2025-07-15'],
    ['2025-07-16', 'fallback', 50, '2025-07-15'],
    ['2025-07-17', 'fallback', 50, '2025-07-15'],
    ['2025-07-18', 'fallback', 50, '2025-07-15'],
    ['2025-07-21', 'fallback', 50, '2025-07-15'],
    ['2025-07-22', 'fallback', 50, '2025-07-15'],
    ['2025-07-23', 'model', null, null],
  ]);
}

describe('option contracts marked from their own cached closes (d.2.2)', () => {
  const dir = tempDir('batchdesk-contract-closes-');
  const csv = join(dir, 'contract.csv');
  writeFileSync(csv, CONTRACT_CLOSES);
  const env = { BATCHDESK_NOW: NOW };

  it('a backfill after the import marks the contract from them, the model only outside their reach', async () => {
    const db = seedDemoDb(NOW, dir);
    expect((await runCli(['prices', 'import', csv, '--db', db], env)).code).toBe(0);
    const run = await runCli(['run', '--start-date', '2025-07-08', '--end-date', '2025-07-25', '--db', db], env);
    expect(run.code, run.stderr).toBe(0);
    expectContractMarks(db);
  });

  it('an import over processed dates makes them stale, and the retry marks the contract from the closes', async () => {
    const db = seedDemoDb(NOW, tempDir('batchdesk-contract-closes-retry-'));
    const first = await runCli(['run', '--start-date', '2025-07-08', '--end-date', '2025-07-25', '--db', db], env);
    expect(first.code, first.stderr).toBe(0);
    expect(contractMarks(db).every((m) => m.price_source === 'model')).toBe(true);
    expect((await runCli(['prices', 'import', csv, '--db', db], env)).code).toBe(0);
    const retry = await runCli(['run', '--retry-failed-phases', '--db', db], env);
    expect(retry.code, retry.stderr).toBe(0);
    expectContractMarks(db);
  });

  it('with fetch_option_contracts on, a model-priced contract has no missing_prices row; a fallback-marked one has its row', async () => {
    const db = seedDemoDb(NOW, tempDir('batchdesk-contract-closes-fetch-'));
    expect((await runCli(['prices', 'import', csv, '--db', db], env)).code).toBe(0);
    putSettings(db, { 'market_data.fetch_option_contracts': true });
    const run = await runCli(['run', '--start-date', '2025-07-08', '--end-date', '2025-07-25', '--market-data', 'offline', '--db', db], env);
    expect(run.code, run.stderr).toBe(0);
    expectContractMarks(db);
    const conn = new Database(db, { readonly: true });
    try {
      const held = conn.prepare(`SELECT COUNT(DISTINCT symbol) AS n FROM positions WHERE investment_class = 'OPTIONS'`).get() as { n: number };
      expect(held.n).toBeGreaterThan(1);
      const rows = (conn.prepare(`SELECT price_date, symbol, resolution, fallback_price_date FROM missing_prices ORDER BY price_date, symbol`).all() as { symbol: string }[]).filter((r) =>
        isOptionContractSymbol(r.symbol),
      );
      expect(rows).toEqual(
        ['2025-07-11', '2025-07-14', '2025-07-16', '2025-07-17', '2025-07-18', '2025-07-21', '2025-07-22'].map((d) => ({
          price_date: d,
          symbol: 'QQQ250815C00420000',
          resolution: 'fallback',
          fallback_price_date: d < '2025-07-15' ? '2025-07-10' : '2025-07-15',
        })),
      );
    } finally {
      conn.close();
    }
    // Nor does the marks prerequisite miss a row for it: marks alone runs on the date.
    const marksOnly = await runCli(['run', '--target-date', '2025-07-09', '--phase', 'marks', '--market-data', 'offline', '--db', db], env);
    expect(marksOnly.code, marksOnly.stderr).toBe(0);
  });
});
