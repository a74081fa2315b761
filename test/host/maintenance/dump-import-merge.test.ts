/**
 * `import --merge` into a database that was already backfilled (SPEC.md j.7, b.2, b.5): the
 * dump (test/support/reference-dump.ts: the demo backfilled to 2025-07-10, written into the
 * reference system's tables) is merged into the same demo backfilled on to 2025-07-17. The merge
 * rule: rows that exist already keep their locally derived columns, `portfolios.equity_balance`,
 * the `positions.mark` cache and the local handle `users.user_key` (`demo_individual`, not the
 * `user_` + 8 hex digits the import derives), even with --on-conflict replace, and the local marks of a
 * portfolio-date are not replaced by the mark bootstrap; `reconcile` of the latest date still
 * flags nothing afterwards.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../support/cli';
import { runDemo, seedDemoDb } from '../../support/demo-db';
import { writeReferenceDump } from '../../support/reference-dump';

const NOW = '2025-07-17T23:00:00Z';
const ENV = { BATCHDESK_NOW: NOW };
const LOCAL_DERIVED = {
  userKeys: `SELECT id, user_key FROM users ORDER BY id`,
  equity: `SELECT id, equity_balance FROM portfolios ORDER BY id`,
  markCache: `SELECT id, last_price, market_value, unrealized_pnl, price_date, price_source, marked_as_of FROM positions ORDER BY id`,
  latestMarks: `SELECT * FROM position_marks WHERE mark_date = '2025-07-17' ORDER BY position_id`,
};

let dump = '';
let backfilled = '';

function derivedOf(path: string): Record<keyof typeof LOCAL_DERIVED, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(LOCAL_DERIVED).map(([k, sql]) => [k, db.prepare(sql).all()])) as Record<keyof typeof LOCAL_DERIVED, unknown[]>;
  } finally {
    db.close();
  }
}

function copyOfBackfilled(): string {
  const path = join(tempDir('merge-backfilled-'), 'live.db');
  copyFileSync(backfilled, path);
  return path;
}

beforeAll(async () => {
  backfilled = seedDemoDb(NOW);
  const first = await runDemo(backfilled, NOW, { startDate: '2025-06-30', endDate: '2025-07-10' });
  if (first.kind !== 'run' || first.exitCode !== 0) throw new Error('demo backfill to 2025-07-10 failed');
  dump = join(tempDir('merge-dump-'), 'reference.sql');
  writeReferenceDump(backfilled, dump);
  const rest = await runDemo(backfilled, NOW, {});
  if (rest.kind !== 'run' || rest.exitCode !== 0) throw new Error('demo backfill to 2025-07-17 failed');
}, 300_000);

describe('merge into a backfilled database', () => {
  it('--on-conflict replace updates existing users, portfolios and lots but keeps their user keys, equity and mark cache; reconcile stays clean', async () => {
    const db = copyOfBackfilled();
    const before = derivedOf(db);
    const demoKeys = ['demo_familyoffice', 'demo_hedgefundstyle', 'demo_hnw', 'demo_individual'];
    expect(before.userKeys.map((u) => (u as { user_key: string }).user_key).sort()).toEqual(demoKeys);
    const imp = await runCli(['import', dump, '--db', db, '--merge', '--on-conflict', 'replace', '--json'], ENV);
    expect(imp.code, imp.stderr).toBe(0);
    expect(derivedOf(db)).toEqual(before);
    const report = JSON.parse(imp.stdout).report;
    const t = (name: string) => report.tables.find((x: { table: string }) => x.table === name);
    expect(t('users')).toMatchObject({ rowsRead: 4, imported: 4, changes: { replaced_existing: 4, derived_columns_kept: 4 } });
    expect(t('portfolios')).toMatchObject({ rowsRead: 5, imported: 5, changes: { replaced_existing: 5, derived_columns_kept: 5 } });
    expect(t('positions').changes).toMatchObject({ replaced_existing: t('positions').rowsRead, derived_columns_kept: t('positions').rowsRead });
    expect(report.mergeRule).toMatch(/never overwritten/);
    const rec = await runCli(['reconcile', '--db', db], ENV);
    expect(rec.code, rec.stdout).toBe(0);
    expect(rec.stdout).toMatch(/Flagged portfolio-dates: 0 \/ 5/);
  }, 120_000);

  it('the mark bootstrap of portfolios with newly merged snapshots leaves the local marks of their latest date alone', async () => {
    const db = copyOfBackfilled();
    // The local database lacks the first dates (purged), so the merge brings their snapshots back.
    const purge = await runCli(['purge', '--db', db, '--from', '2025-06-30', '--to', '2025-07-02', '--no-backup', '--yes'], ENV);
    expect(purge.code, purge.stderr).toBe(0);
    const before = derivedOf(db);
    const imp = await runCli(['import', dump, '--db', db, '--merge', '--json'], ENV);
    expect(imp.code, imp.stderr).toBe(0);
    expect(derivedOf(db)).toEqual(before);
    const report = JSON.parse(imp.stdout).report;
    expect(report.tables.find((x: { table: string }) => x.table === 'portfolio_snapshots').imported).toBeGreaterThan(0);
    expect(report.postSteps.marksBootstrapped).toEqual([]);
    const rec = await runCli(['reconcile', '--db', db], ENV);
    expect(rec.code, rec.stdout).toBe(0);
  }, 120_000);
});
