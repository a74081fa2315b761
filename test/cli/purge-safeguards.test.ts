/**
 * Issue 7 acceptance for purge: it refuses while a run is held by another process (a real
 * child process holding the lock: exit 3, nothing changed), refuses when its backup fails
 * (the backup folder's parent is a file: tests run as root, m.18; exit 5, nothing purged),
 * rejects a range whose end is before its start (exit 2), and resets exactly the derived
 * columns of j.4 (positions.mark to the latest remaining mark, equity to the latest
 * remaining snapshot) in one transaction, with counts before and after.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { tableContents } from '../support/db-content';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';
import { diffChecksums } from '../../db/canonical';
import { backfilledDemo, checksumsOf, copyTo, ENV, execOn, FAMILY_GROWTH, holdLockInChild, INDIVIDUAL, rowCountsOf, type LockHolder } from '../support/safeguards';

let template = '';
beforeAll(async () => {
  template = await backfilledDemo();
}, 300_000);

const except = (c: Record<string, string>, ...tables: string[]) => Object.fromEntries(Object.entries(c).filter(([t]) => !tables.includes(t)));

describe('purge refuses', () => {
  describe('while another process holds a run', () => {
    let holder: LockHolder;
    let db = '';
    beforeAll(async () => {
      db = copyTo(template);
      holder = await holdLockInChild(db);
    });
    afterAll(async () => holder.stop());

    it('exit 3 naming the holder; no backup, no row changed', async () => {
      const before = except(tableContents(db), 'run_lock');
      const r = await runCli(['purge', '--db', db, '--yes'], ENV);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`locked by another run \\(cli pid ${holder.child.pid} on .*\\); wait for it to finish`));
      expect(except(tableContents(db), 'run_lock')).toEqual(before);
    });
  });

  it('when the backup fails (its folder parent is a file): exit 5 and nothing purged', async () => {
    const db = copyTo(template);
    const file = join(dirname(db), 'not-a-folder');
    writeFileSync(file, 'x');
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.dir', ?)`).run(JSON.stringify(join(file, 'backups'))));
    const before = tableContents(db);
    const r = await runCli(['purge', '--db', db, '--yes'], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cannot create the backup folder .*not-a-folder\/backups/);
    const after = tableContents(db);
    expect(except(after, 'maintenance_log')).toEqual(except(before, 'maintenance_log'));
    const log = new Database(db, { readonly: true }).prepare(`SELECT operation, status FROM maintenance_log ORDER BY id`).all();
    expect(log).toEqual([
      { operation: 'backup', status: 'failed' },
      { operation: 'purge', status: 'failed' },
    ]);
    // `backup --out` under a file is refused before any backup is tried (exit 5, as every output path under a file): it logs nothing.
    const b = await runCli(['backup', '--db', db, '--out', join(file, 'x.sqlite')], ENV);
    expect(b.code).toBe(5);
    expect(b.stderr).toMatch(/^error: cannot write the backup to .*: .*not-a-folder is a file, not a folder; choose another --out path/);
    expect(new Database(db, { readonly: true }).prepare(`SELECT count(*) AS n FROM maintenance_log`).get()).toEqual({ n: 2 });
  });

  it('without --yes and without a terminal to ask on: exit 2 naming --yes, no backup, unchanged', async () => {
    const db = copyTo(template);
    const before = tableContents(db);
    const r = await runCli(['purge', '--db', db, '--from', '2025-07-09'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Purge derived rows 2025-07-09 \.\. to the end in .*\? There is no terminal to ask on: pass --yes to confirm\. Nothing was changed\./);
    expect(tableContents(db)).toEqual(before);
    expect(existsSync(join(dirname(db), 'backups'))).toBe(false);
  });

  it('a range with the end before the start: exit 2, unchanged', async () => {
    const db = copyTo(template);
    const before = tableContents(db);
    const r = await runCli(['purge', '--db', db, '--from', '2025-07-10', '--to', '2025-07-01', '--yes'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to 2025-07-01 is before --from 2025-07-10/);
    const bad = await runCli(['purge', '--db', db, '--from', '2025-02-30', '--yes'], ENV);
    expect(bad.code).toBe(2);
    expect(tableContents(db)).toEqual(before);
  });
});

describe('purge of a range and a portfolio', () => {
  it('dry run changes nothing and counts what would go', async () => {
    const db = copyTo(template);
    const before = tableContents(db);
    const r = await runCli(['purge', '--db', db, '--from', '2025-07-09', '--dry-run', '--json'], ENV);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.outcome.deleted).toMatchObject({ position_marks: 97 * 2, portfolio_snapshots: 10, batch_run_tracking: 2 });
    // The header names a range with no end given in words.
    expect((await runCli(['purge', '--db', db, '--dry-run'], ENV)).stdout).toContain('Range: every date   Portfolios: all');
    expect((await runCli(['purge', '--db', db, '--to', '2025-07-02', '--dry-run'], ENV)).stdout).toContain('Range: up to 2025-07-02   Portfolios: all');
    expect(tableContents(db)).toEqual(before);
  });

  it('deletes only derived rows, resets the mark cache and equity to the latest remaining values, marks tracking stale', async () => {
    const db = copyTo(template);
    const counts = rowCountsOf(db);
    const r = await runCli(['purge', '--db', db, '--from', '2025-07-09', '--portfolio', INDIVIDUAL, '--yes', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.outcome.deleted['position_marks']).toBe(16 * 2);
    expect(out.outcome.deleted['symbol_factor_exposures']).toBeUndefined(); // date-level rows stay with a portfolio filter
    expect(out.outcome.positionsReset).toBe(16);
    const d = new Database(db, { readonly: true });
    const lot = d.prepare(`SELECT p.last_price, p.market_value, p.marked_as_of, m.price, m.market_value AS mv FROM positions p JOIN position_marks m ON m.position_id = p.id AND m.mark_date = '2025-07-08' WHERE p.portfolio_id = ? LIMIT 1`).get(INDIVIDUAL) as Record<string, unknown>;
    const eq = d.prepare(`SELECT p.equity_balance, s.equity_balance AS snap FROM portfolios p JOIN portfolio_snapshots s ON s.portfolio_id = p.id AND s.snapshot_date = '2025-07-08' WHERE p.id = ?`).get(INDIVIDUAL) as Record<string, number>;
    const other = d.prepare(`SELECT count(*) AS n FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date >= '2025-07-09'`).get(FAMILY_GROWTH) as { n: number };
    const tracking = d.prepare(`SELECT status, phase_status FROM batch_run_tracking WHERE run_date = '2025-07-10'`).get() as { status: string; phase_status: string };
    d.close();
    expect(lot).toMatchObject({ marked_as_of: '2025-07-08', last_price: lot['price'], market_value: lot['mv'] });
    expect(eq.equity_balance).toBe(eq.snap);
    expect(other.n).toBe(2);
    expect(tracking.status).toBe('stale');
    expect(JSON.parse(tracking.phase_status).marks.portfolios[INDIVIDUAL]).toBeUndefined();
    const after = rowCountsOf(db);
    for (const t of ['users', 'portfolios', 'positions', 'market_data_cache', 'company_profiles', 'position_realized_events', 'equity_changes']) expect(after[t]).toBe(counts[t]);
  });

  it('names the run that rebuilds what it purged, and that run gives the purged rows back', async () => {
    const derivedOf = (db: string) => checksumsOf(db, DERIVED_TABLES.map((t) => t.name));
    const baseline = derivedOf(template);

    // A middle range of one portfolio (named by the short id plan tables print): later
    // snapshots remain, so the run needs a start date.
    const middle = copyTo(template);
    const p = await runCli(['purge', '--db', middle, '--from', '2025-07-02', '--to', '2025-07-03', '--portfolio', INDIVIDUAL.slice(0, 8), '--yes', '--no-backup'], ENV);
    expect(p.stdout).toContain(`Range: 2025-07-02 .. 2025-07-03   Portfolios: ${INDIVIDUAL}`);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain(
      `Rebuild: batchdesk run --start-date 2025-07-02 --portfolio ${INDIVIDUAL} --db ${middle}   (to the latest date: later snapshots remain, so a run without dates would resume after them and skip the purged dates)`,
    );
    const automatic = await runCli(['run', '--db', middle], ENV);
    expect(automatic.stderr).toContain('Already up to date');
    const named = await runCli(['run', '--db', middle, '--start-date', '2025-07-02', '--portfolio', INDIVIDUAL], ENV);
    expect(named.code, named.stderr).toBe(0);
    expect(diffChecksums(baseline, derivedOf(middle))).toEqual([]);

    // The end of the range: a run without dates gets there, from the first purged date.
    const tail = copyTo(template);
    const dry = await runCli(['purge', '--db', tail, '--from', '2025-07-09', '--dry-run', '--json'], ENV);
    expect(JSON.parse(dry.stdout).rebuild).toEqual({ startDate: '2025-07-09', automatic: true });
    const t = await runCli(['purge', '--db', tail, '--from', '2025-07-09', '--yes', '--no-backup'], ENV);
    expect(t.stdout).toContain('Range: from 2025-07-09 on   Portfolios: all');
    // The advised command names the database it was given (and runs as printed, below).
    expect(t.stdout).toContain(`Rebuild: batchdesk run --db ${tail}   (no later snapshot remains, so the automatic range starts again at 2025-07-09)`);
    expect((await runCli(['run', '--db', tail], ENV)).code).toBe(0);
    expect(diffChecksums(baseline, derivedOf(tail))).toEqual([]);

    // Nothing of the scope in the range (before the demo's first date): nothing to rebuild, no line.
    // (A range after the target date is refused: test/cli/purge-empty-range.test.ts.)
    const none = await runCli(['purge', '--db', copyTo(template), '--to', '2025-06-27', '--dry-run', '--json'], ENV);
    expect(JSON.parse(none.stdout).rebuild).toBeNull();
  });
  it('a purge limited to a portfolio is redone by a retry of the stale dates it leaves, that portfolio only', async () => {
    const derivedOf = (db: string) => checksumsOf(db, DERIVED_TABLES.map((t) => t.name));
    const baseline = derivedOf(template);
    const db = copyTo(template);
    expect((await runCli(['purge', '--db', db, '--from', '2025-07-02', '--to', '2025-07-03', '--portfolio', INDIVIDUAL, '--yes', '--no-backup', '--quiet'], ENV)).code).toBe(0);
    // Before, the retry found no cell to redo: the purge had removed the portfolio's entries.
    const plan = await runCli(['run', '--db', db, '--retry-failed-phases', '--dry-run', '--summary-json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    const dates = (JSON.parse(plan.stdout).dates as { date: string; portfolios: { portfolio_id: string; phases: string[]; reason: string }[] }[]).map((d) => ({ date: d.date, portfolios: d.portfolios }));
    const redo = { portfolio_id: INDIVIDUAL, phases: ['marks', 'snapshots', 'sector_tags', 'analytics'], reason: 'retry_purged' };
    expect(dates).toEqual([
      { date: '2025-07-02', portfolios: [redo] },
      { date: '2025-07-03', portfolios: [redo] },
    ]);
    const retry = await runCli(['run', '--db', db, '--retry-failed-phases', '--quiet'], ENV);
    expect(retry.code, retry.stderr).toBe(0);
    expect(diffChecksums(baseline, derivedOf(db))).toEqual([]);
    const d = new Database(db, { readonly: true });
    try {
      for (const r of d.prepare(`SELECT status, metadata FROM batch_run_tracking WHERE run_date IN ('2025-07-02', '2025-07-03')`).all() as { status: string; metadata: string }[]) {
        expect(r.status).toBe('success');
        expect(JSON.parse(r.metadata)).not.toHaveProperty('purged_portfolios');
      }
    } finally {
      d.close();
    }
  });
});
