/**
 * Issue 7 acceptance: baseline compare reports zero differences between two identical
 * backfills (canonical form, m.12) and the exact fields after a deliberate change to one
 * price; comparing two files opens no database (m.24). Monitor-only writes nothing (content
 * checksums before and after are equal), reports the differences a price change would make
 * (exit 4, summary `monitor` section) and writes per-phase trace files; a date whose market
 * data fails reports its portfolio-dates as not run, not as failed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { checksumsOf, copyTo, ENV, execOn, FAMILY_PRIVATE, INDIVIDUAL, readJson, SAFE_NOW } from '../support/safeguards';

let seeded = '';
let a = '';
let b = '';
let symbol = '';
beforeAll(async () => {
  seeded = seedDemoDb(SAFE_NOW);
  a = copyTo(seeded, 'a.sqlite');
  b = copyTo(seeded, 'b.sqlite');
  for (const db of [a, b]) {
    const r = await runCli(['run', '--db', db, '--quiet'], ENV);
    expect(r.code, r.stderr).toBe(0);
  }
  const d = new Database(seeded, { readonly: true });
  symbol = (d.prepare(`SELECT symbol FROM positions WHERE portfolio_id = ? AND investment_class = 'PUBLIC' ORDER BY symbol LIMIT 1`).get(INDIVIDUAL) as { symbol: string }).symbol;
  d.close();
}, 300_000);

const exportTo = async (db: string, name: string) => {
  const out = join(tempDir(), name);
  const r = await runCli(['history', 'export-baseline', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', out], ENV);
  expect(r.code, r.stderr).toBe(0);
  return out;
};

describe('baseline compare', () => {
  it('two identical backfills compare equal, field by field, without opening a database', async () => {
    const fa = await exportTo(a, 'a.json');
    const fb = await exportTo(b, 'b.json');
    const nowhere = join(tempDir(), 'never-created.sqlite');
    const r = await runCli(['history', 'compare', fa, fb, '--db', nowhere, '--json'], ENV);
    expect(r.code, r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ matched: true, match_share: 1, differences: [] });
    expect(out.compared_fields).toBeGreaterThan(1000);
    expect(existsSync(nowhere)).toBe(false);
    const db = await runCli(['history', 'compare', fa, 'db', '--db', b], ENV);
    expect(db.code, db.stdout).toBe(0);
    expect(db.stdout).toMatch(/No differences\./);
  });

  it('a deliberate change to one price shows up as the exact fields it moved', async () => {
    const fa = await exportTo(a, 'a2.json');
    const c = copyTo(b, 'c.sqlite');
    execOn(c, (d) => d.prepare(`UPDATE market_data_cache SET close = close * 1.10 WHERE symbol = ? AND date = '2025-07-09'`).run(symbol));
    const rerun = await runCli(['run', '--db', c, '--start-date', '2025-07-09', '--quiet'], ENV);
    expect(rerun.code, rerun.stderr).toBe(0);
    const fc = await exportTo(c, 'c.json');
    const r = await runCli(['history', 'compare', fa, fc, '--json'], ENV);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    const snap = out.differences.filter((d: { kind: string }) => d.kind === 'snapshot');
    // Nothing before the changed date moves; the portfolio holding the symbol moves on 07-09.
    expect(out.differences.every((d: { date: string }) => d.date >= '2025-07-09')).toBe(true);
    const nav = snap.find((d: { portfolio_id: string; field: string; date: string }) => d.portfolio_id === INDIVIDUAL && d.field === 'total_value' && d.date === '2025-07-09');
    expect(nav).toBeDefined();
    expect(nav.abs_diff).toBeGreaterThan(0.01);
    expect(snap.some((d: { portfolio_id: string }) => d.portfolio_id === FAMILY_PRIVATE)).toBe(false);
    expect(out.differences.some((d: { kind: string; field: string }) => d.kind === 'hash' && d.field === 'position_marks')).toBe(true);
    const human = await runCli(['history', 'compare', fa, fc], ENV);
    expect(human.stdout).toMatch(new RegExp(`2025-07-09 +${INDIVIDUAL.slice(0, 8)} +snapshot +total_value`));
  });
});

describe('monitor-only', () => {
  it('writes nothing but history: content checksums before and after are equal; nothing differs', async () => {
    const db = copyTo(a);
    const before = checksumsOf(db);
    const r = await runCli(['run', '--db', db, '--monitor-only', '--start-date', '2025-07-08', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.mode).toBe('monitor');
    expect(s.monitor).toMatchObject({ clean: true, entries_different: 0, totals: { rows_added: 0, rows_removed: 0, rows_changed: 0 } });
    expect(s.monitor.entries_compared).toBe(3 * 6); // 3 dates x (5 portfolios + date-level rows)
    // The human summary on stderr says so too.
    expect(r.stderr).toContain("Monitor: clean: 15 portfolio-dates and the date-level rows of 3 dates compared, all the same; nothing was written but the run's history row");
    expect(checksumsOf(db)).toEqual(before);
    const d = new Database(db, { readonly: true });
    expect(d.prepare(`SELECT mode, status FROM batch_run_history WHERE mode = 'monitor'`).all()).toEqual([{ mode: 'monitor', status: 'completed' }]);
    expect((d.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n).toBe(0);
    d.close();
  });

  it('reports what a price change would do (exit 4) and traces one date, still writing nothing', async () => {
    const db = copyTo(a);
    execOn(db, (d) => d.prepare(`UPDATE market_data_cache SET close = close * 1.10 WHERE symbol = ? AND date = '2025-07-10'`).run(symbol));
    const before = checksumsOf(db);
    const trace = tempDir();
    const r = await runCli(['run', '--db', db, '--monitor-only', '--target-date', '2025-07-10', '--portfolio', INDIVIDUAL, '--trace', trace, '--summary-json'], ENV);
    expect(r.code).toBe(4);
    const m = JSON.parse(r.stdout).monitor;
    expect(m.clean).toBe(false);
    const entry = m.entries.find((e: { portfolio_id: string }) => e.portfolio_id === INDIVIDUAL);
    expect(entry.status).toBe('different');
    const marks = entry.tables.find((t: { table: string }) => t.table === 'position_marks');
    expect(marks.changed).toBeGreaterThan(0);
    expect(marks.max_abs_diff.price).toBeGreaterThan(0);
    const snaps = entry.tables.find((t: { table: string }) => t.table === 'portfolio_snapshots');
    expect(snaps.changed).toBe(1);
    expect(snaps.max_abs_diff.total_value).toBeGreaterThan(0.01);
    // On stderr: the verdict and a line per table that differs, with its largest difference.
    expect(r.stderr).toMatch(/Monitor: DIFFERENT: portfolio-dates 1 compared, 1 different, 0 new; date-level rows 1 compared, \d+ different, 0 new \(rows added 0, removed 0, changed \d+\); nothing was written but the run's history row/);
    expect(r.stderr).toMatch(new RegExp(`  2025-07-10  ${INDIVIDUAL.slice(0, 8)}  portfolio_snapshots  added 0, removed 0, changed 1  largest difference: \\w+ [0-9.e-]+`));
    expect(checksumsOf(db)).toEqual(before);
    const dir = join(trace, '2025-07-10', INDIVIDUAL);
    expect(readdirSync(dir).sort()).toEqual(['analytics.json', 'marks.json', 'sector_tags.json', 'snapshots.json', 'summary.json']);
    const t = readJson(join(dir, 'marks.json'));
    expect(t.inputs.prices[symbol]).toMatchObject({ date: '2025-07-10', source: 'exact' });
    expect(t.differences.find((x: { table: string }) => x.table === 'position_marks').changed.length).toBeGreaterThan(0);
    expect(existsSync(join(trace, 'monitor-report.json'))).toBe(true);
  });

  it('a date whose portfolio-dates fail is reported as FAILED, each failed portfolio-date named, not as different or clean', async () => {
    const db = copyTo(a);
    execOn(db, (d) => d.prepare(`DELETE FROM portfolio_snapshots WHERE snapshot_date = '2025-07-09'`).run());
    const r = await runCli(['run', '--db', db, '--monitor-only', '--target-date', '2025-07-10', '--summary-json'], ENV);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).monitor.portfolio_dates).toMatchObject({ compared: 5, failed: 5 });
    expect(r.stderr).toMatch(/Monitor: FAILED: portfolio-dates 5 compared, 0 different, 0 new, 5 failed; date-level rows 1 compared, /);
    expect(r.stderr).toContain(`  2025-07-10  ${INDIVIDUAL.slice(0, 8)}  failed: a critical phase failed (rolled back); its rows computed before the failure are compared`);
  });

  it('a date whose market data fails: its portfolio-dates are not run, neither compared nor failed, and the line names the phase', async () => {
    const db = copyTo(a);
    // Offline, SPY without a close within the fallback window: market_data fails the date.
    execOn(db, (d) => d.prepare(`DELETE FROM market_data_cache WHERE symbol = 'SPY' AND date >= '2025-06-30'`).run());
    const r = await runCli(['run', '--db', db, '--monitor-only', '--target-date', '2025-07-10', '--market-data', 'offline', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).monitor.portfolio_dates).toEqual({ compared: 0, same: 0, different: 0, new: 0, failed: 0, not_run: 5 });
    expect(r.stderr).toMatch(/Monitor: FAILED: portfolio-dates 0 compared, 0 different, 0 new, 5 not run; date-level rows 1 compared, 0 different, 0 new, 1 failed /);
    expect(r.stderr).toContain(`  2025-07-10  ${INDIVIDUAL.slice(0, 8)}  not run: the date's market_data phase failed before it; nothing was compared`);
    expect(r.stderr).not.toContain(`${INDIVIDUAL.slice(0, 8)}  failed:`);
  });
});
