/**
 * `prices import` and `profiles import` over processed dates (g.8 applied to imported inputs):
 * closes or profile fields an import changes make the tracked work that read them stale, and
 * `run --retry-failed-phases` then recomputes exactly that work. The proof is an invariant:
 * import-then-retry leaves the same derived rows, in the canonical form of m.12, as importing
 * the same file before the backfill. The summary names every processed date that reads a changed
 * input and is stale after the import, also the dates an earlier import left stale (a second
 * correction), so the retry hint is never dropped. Also: a close that fills a missing price re-runs that
 * date's market_data, and an import is refused (exit code 3, nothing changed) while a run holds
 * the lock.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';
import { diffChecksums, fileContentChecksums } from '../../db/canonical';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { copyDb, seedDemoDb } from '../support/demo-db';
import { holdLockInChild } from '../support/safeguards';

const NOW = '2025-07-11T23:00:00Z';
const ENV = { BATCHDESK_NOW: NOW };
const RUN = ['run', '--market-data', 'offline', '--no-guard'];
const derived = (path: string) => fileContentChecksums(path, { tables: DERIVED_TABLES.map((t) => t.name) });

function query<T>(path: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

function execute(path: string, sql: string, ...args: unknown[]): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

type PhaseStatus = Record<string, { status: string; portfolios?: Record<string, { status: string }> }>;
const phaseStatus = (path: string, date: string): PhaseStatus =>
  JSON.parse(query<{ phase_status: string }>(path, `SELECT phase_status FROM batch_run_tracking WHERE run_date = ?`, date)[0]!.phase_status) as PhaseStatus;
const cell = (ps: PhaseStatus, phase: string, portfolioId: string) => ps[phase]?.portfolios?.[portfolioId]?.status;

/** The seeded closes of `symbol` on `dates`, scaled by `factor`, as CSV rows. */
function scaledRows(seeded: string, symbol: string, dates: readonly string[], factor: number): string[] {
  return dates.map((d) => {
    const r = query<{ close: number; volume: number | null }>(seeded, `SELECT close, volume FROM market_data_cache WHERE symbol = ? AND date = ?`, symbol, d)[0]!;
    return `${symbol},${d},${(Math.round(r.close * factor * 10000) / 10000).toFixed(4)},${r.volume ?? ''}`;
  });
}

async function run(db: string, ...extra: string[]) {
  const r = await runCli([...RUN, '--db', db, ...extra], ENV);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('prices import over processed dates', () => {
  const dir = tempDir('batchdesk-price-stale-');
  let seeded: string;
  let holders: string[];
  let others: string[];
  let csv: string;

  beforeAll(() => {
    seeded = seedDemoDb(NOW, dir);
    const all = query<{ id: string }>(seeded, `SELECT id FROM portfolios ORDER BY id`).map((r) => r.id);
    holders = query<{ portfolio_id: string }>(seeded, `SELECT DISTINCT portfolio_id FROM positions WHERE symbol = 'AAPL' OR underlying_symbol = 'AAPL' ORDER BY portfolio_id`).map((r) => r.portfolio_id);
    others = all.filter((id) => !holders.includes(id));
    csv = join(dir, 'corrections.csv');
    // AAPL (held) corrected on the 8th and 9th, SPY (a factor ETF, not held directly) on the 10th.
    writeFileSync(csv, ['symbol,date,close,volume', ...scaledRows(seeded, 'AAPL', ['2025-07-08', '2025-07-09'], 1.01), ...scaledRows(seeded, 'SPY', ['2025-07-10'], 1.005), ''].join('\n'));
  });

  it('marks stale what read the changed closes; the retry recomputes exactly that, as if the file had come first', async () => {
    expect(holders.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const late = copyDb(seeded, tempDir('batchdesk-price-stale-late-'));
    await run(late);
    const DATES = ['2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11'];
    const was = new Map(DATES.map((d) => [d, phaseStatus(late, d)]));

    const imp = await runCli(['prices', 'import', csv, '--db', late], ENV);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('Replaced: 3');
    expect(imp.stdout).toContain(`Stale: 4 processed date(s) from 2025-07-08 to 2025-07-11 read closes this import changed; \`batchdesk run --retry-failed-phases --db ${late}\` recomputes them`);

    // Holders: marks and what reads them, from the AAPL change on the 8th; the others: only
    // their (successful) analytics, from the SPY change on the 10th; nothing before the 8th.
    const stale = (date: string, phase: string, p: string): boolean =>
      date >= '2025-07-08' && (holders.includes(p) ? ['marks', 'snapshots', 'analytics'].includes(phase) : phase === 'analytics' && date >= '2025-07-10');
    for (const date of DATES) {
      const ps = phaseStatus(late, date);
      expect(ps['market_data']!.status).toBe('success');
      for (const p of [...holders, ...others]) {
        for (const phase of ['marks', 'snapshots', 'sector_tags', 'analytics']) {
          const before = cell(was.get(date)!, phase, p);
          expect(cell(ps, phase, p), `${date} ${phase} ${p}`).toBe(stale(date, phase, p) && before === 'success' ? 'stale' : before);
        }
      }
    }
    expect(others.some((p) => cell(phaseStatus(late, '2025-07-10'), 'analytics', p) === 'stale')).toBe(true);
    const tracked = query<{ run_date: string; status: string }>(late, `SELECT run_date, status FROM batch_run_tracking ORDER BY run_date`);
    expect(tracked.filter((t) => t.status === 'stale').map((t) => t.run_date)).toEqual(['2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11']);

    const retry = await run(late, '--retry-failed-phases', '--summary-json');
    const summary = JSON.parse(retry.stdout) as { dates: { processed: number; first: string; last: string } };
    expect(summary.dates).toMatchObject({ processed: 4, success: 4, first: '2025-07-08', last: '2025-07-11' });
    expect(query<{ n: number }>(late, `SELECT count(*) AS n FROM batch_run_tracking WHERE status <> 'success'`)[0]!.n).toBe(0);

    const first = copyDb(seeded, tempDir('batchdesk-price-stale-first-'));
    const pre = await runCli(['prices', 'import', csv, '--db', first], ENV);
    expect(pre.code, pre.stderr).toBe(0);
    expect(pre.stdout).not.toContain('Stale:');
    await run(first);
    expect(diffChecksums(derived(first), derived(late))).toEqual([]);
    // The corrections really reached the rows, so the equality above is not trivially met.
    const plain = copyDb(seeded, tempDir('batchdesk-price-stale-plain-'));
    await run(plain);
    expect(diffChecksums(derived(plain), derived(late))).toContain('position_marks');
  });

  it('reports every date that reads a changed close and is stale after the import, also those stale already', async () => {
    const db = copyDb(seeded, tempDir('batchdesk-price-stale-again-'));
    await run(db);
    const file = (name: string, rows: readonly string[]) => {
      const p = join(dir, name);
      writeFileSync(p, ['symbol,date,close,volume', ...rows, ''].join('\n'));
      return p;
    };
    // A correction on the 10th leaves the holders stale on the 10th and 11th.
    const first = await runCli(['prices', 'import', file('again-1.csv', scaledRows(seeded, 'AAPL', ['2025-07-10'], 1.01)), '--db', db], ENV);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Stale: 2 processed date(s) from 2025-07-10 to 2025-07-11');
    // One from the 8th: the 8th and 9th become stale, the 10th and 11th were already; all four read a changed close.
    const second = await runCli(['prices', 'import', file('again-2.csv', scaledRows(seeded, 'AAPL', ['2025-07-08', '2025-07-10'], 1.02)), '--db', db, '--json'], ENV);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).stale).toEqual({ dates: 4, first: '2025-07-08', last: '2025-07-11' });
    // A second correction of the same closes changes no tracking row, and still names every date to retry.
    const third = await runCli(['prices', 'import', file('again-3.csv', scaledRows(seeded, 'AAPL', ['2025-07-08'], 1.03)), '--db', db], ENV);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('Replaced: 1');
    expect(third.stdout).toContain(`Stale: 4 processed date(s) from 2025-07-08 to 2025-07-11 read closes this import changed; \`batchdesk run --retry-failed-phases --db ${db}\` recomputes them`);
    // The same file again changes no close: nothing is reported, though the dates are still stale.
    const same = await runCli(['prices', 'import', join(dir, 'again-3.csv'), '--db', db], ENV);
    expect(same.stdout).toContain('Unchanged: 1');
    expect(same.stdout).not.toContain('Stale:');
    // What was reported is what the retry redoes.
    const retry = await run(db, '--retry-failed-phases', '--summary-json');
    expect((JSON.parse(retry.stdout) as { dates: unknown }).dates).toMatchObject({ processed: 4, first: '2025-07-08', last: '2025-07-11' });
  });

  it('re-runs market_data of a date where an imported close fills a missing price', async () => {
    const gap = copyDb(seeded, tempDir('batchdesk-price-stale-gap-'));
    const row = scaledRows(seeded, 'AAPL', ['2025-07-09'], 1)[0]!;
    execute(gap, `DELETE FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-09'`);
    await run(gap);
    expect(query(gap, `SELECT symbol FROM missing_prices WHERE price_date = '2025-07-09'`)).toEqual([{ symbol: 'AAPL' }]);

    const file = join(dir, 'fill.csv');
    writeFileSync(file, `symbol,date,close,volume\n${row}\n`);
    const imp = await runCli(['prices', 'import', file, '--db', gap], ENV);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('Added: 1');
    expect(imp.stdout).toContain('Stale: 3 processed date(s) from 2025-07-09 to 2025-07-11');
    expect(phaseStatus(gap, '2025-07-09')['market_data']!.status).toBe('stale');
    expect(phaseStatus(gap, '2025-07-10')['market_data']!.status).toBe('success');

    // One retry brings everything up to date: it re-runs every portfolio from the 9th (the
    // re-run market_data is read by all of them), so no later date is left stale.
    const retry = await run(gap, '--retry-failed-phases');
    expect(retry.stderr).not.toMatch(/stale/);
    expect(query(gap, `SELECT run_date FROM batch_run_tracking WHERE status <> 'success'`)).toEqual([]);
    expect(query(gap, `SELECT symbol FROM missing_prices WHERE price_date = '2025-07-09'`)).toEqual([]);
    const plain = copyDb(seeded, tempDir('batchdesk-price-stale-plain2-'));
    await run(plain);
    expect(diffChecksums(derived(plain), derived(gap))).toEqual([]);
  });

  it('is refused while a run holds the lock, and changes nothing', async () => {
    const locked = copyDb(seeded, tempDir('batchdesk-price-stale-locked-'));
    await run(locked);
    const holder = await holdLockInChild(locked);
    try {
      const before = tableContents(locked);
      const r = await runCli(['prices', 'import', csv, '--db', locked], ENV);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/the database is locked by another run/);
      const after = tableContents(locked);
      // The holder's heartbeat moves its lock row; everything else is as it was.
      delete before['run_lock'];
      delete after['run_lock'];
      expect(after).toEqual(before);
    } finally {
      await holder.stop();
    }
  });

  it('profiles: a changed sector makes the holders stale on every tracked date; a field the engine does not read changes nothing', async () => {
    const profiles = join(dir, 'profiles.csv');
    expect((await runCli(['profiles', 'export', '--out', profiles, '--db', seeded], ENV)).code).toBe(0);
    const lines = readFileSync(profiles, 'utf8').split('\n');
    const header = lines[0]!.split(',');
    const edit = (symbol: string, column: string, value: string) => {
      const i = lines.findIndex((l) => l.startsWith(`${symbol},`));
      const cells = lines[i]!.split(',');
      // The demo's descriptions hold commas inside quotes: edit only columns before it.
      cells[header.indexOf(column)] = value;
      lines[i] = cells.join(',');
    };
    edit('AAPL', 'sector', 'Utilities');
    const sectorFile = join(dir, 'profiles-sector.csv');
    writeFileSync(sectorFile, lines.join('\n'));

    const late = copyDb(seeded, tempDir('batchdesk-profile-stale-late-'));
    await run(late);
    const imp = await runCli(['profiles', 'import', sectorFile, '--db', late], ENV);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('Updated: 1');
    expect(imp.stdout).toContain('Stale: 9 processed date(s) from 2025-06-30 to 2025-07-11 read profiles this import changed');
    const ps = phaseStatus(late, '2025-07-01');
    for (const p of holders) expect([cell(ps, 'marks', p), cell(ps, 'sector_tags', p), cell(ps, 'analytics', p)]).toEqual(['success', 'stale', 'stale']);
    for (const p of others) expect(cell(ps, 'sector_tags', p)).not.toBe('stale');
    // Changed again before the retry (and back): the dates were stale already, and still read the changed profile.
    const sectorLines = [...lines];
    edit('AAPL', 'sector', 'Energy');
    const energyFile = join(dir, 'profiles-energy.csv');
    writeFileSync(energyFile, lines.join('\n'));
    lines.splice(0, lines.length, ...sectorLines);
    for (const f of [energyFile, sectorFile]) {
      const again = await runCli(['profiles', 'import', f, '--db', late], ENV);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Updated: 1');
      expect(again.stdout).toContain('Stale: 9 processed date(s) from 2025-06-30 to 2025-07-11 read profiles this import changed');
    }
    // With the guard: the retried analytics come after the marks they read (G1).
    const retry = await runCli(['run', '--market-data', 'offline', '--retry-failed-phases', '--db', late], ENV);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).toMatch(/Guard: pass/);

    const first = copyDb(seeded, tempDir('batchdesk-profile-stale-first-'));
    expect((await runCli(['profiles', 'import', sectorFile, '--db', first], ENV)).code).toBe(0);
    await run(first);
    expect(diffChecksums(derived(first), derived(late))).toEqual([]);

    // Importing the same file again, or one that changes only what the engine does not read, makes nothing stale.
    const same = await runCli(['profiles', 'import', sectorFile, '--db', late], ENV);
    expect(same.stdout).not.toContain('Stale:');
    edit('MSFT', 'company_name', 'Renamed Corp');
    writeFileSync(sectorFile, lines.join('\n'));
    const cosmetic = await runCli(['profiles', 'import', sectorFile, '--db', late], ENV);
    expect(cosmetic.stdout).toContain('Updated: 1');
    expect(cosmetic.stdout).not.toContain('Stale:');
  });
});
