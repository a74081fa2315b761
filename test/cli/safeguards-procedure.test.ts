/**
 * Issue 7 acceptance: the seed's backfill procedure end to end from the CLI on the demo
 * database (backup -> purge with counts -> backfill -> verify guard -> reconcile with 0 flags
 * -> history export-baseline), then the same procedure as one `rebuild` on a small range.
 * Every command runs in process through `main`, on a real SQLite file; every output is ASCII.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { shellWord } from '../../core/api/shell-word';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';
import { runCli, tempDir, type CliResult } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { checksumsOf, copyTo, ENV, isAscii, readJson, rowCountsOf, SAFE_NOW } from '../support/safeguards';

const DERIVED = DERIVED_TABLES.map((t) => t.name);
// positions and portfolios get column resets (positions.mark, portfolios.equity); their rows stay.
const RAW = ['users', 'position_realized_events', 'equity_changes', 'market_data_cache', 'company_profiles', 'factor_definitions', 'stress_test_scenarios', 'synthetic_truth'];

let db = '';
const outputs: CliResult[] = [];
async function cli(args: string[]): Promise<CliResult> {
  const r = await runCli([...args, '--db', db], ENV);
  outputs.push(r);
  return r;
}

beforeAll(async () => {
  db = seedDemoDb(SAFE_NOW, tempDir());
  const r = await cli(['run', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
}, 300_000);

describe('backup -> purge -> backfill -> verify guard -> reconcile -> export-baseline', () => {
  it('runs every step with the documented results', async () => {
    const before = checksumsOf(db, DERIVED);
    const rawBefore = checksumsOf(db, RAW);

    const backup = await cli(['backup', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const b = JSON.parse(backup.stdout);
    expect(existsSync(b.file)).toBe(true);
    expect(b.manifest).toMatchObject({ reason: 'manual', integrity: 'ok', row_counts_verified: true, foreign_key_violations: 0 });

    const purge = await cli(['purge', '--from', '2025-07-07', '--yes', '--json']);
    expect(purge.code, purge.stderr).toBe(0);
    const p = JSON.parse(purge.stdout);
    expect(p.backupFile).toMatch(/\.pre-purge\.sqlite$/);
    expect(p.countsBefore['position_marks']).toBe(97 * 8);
    expect(p.countsAfter["position_marks"]).toBe(97 * 4); // 06-30 .. 07-03 remain
    expect(p.outcome.deleted['portfolio_snapshots']).toBe(5 * 4);
    expect(p.outcome.deleted['batch_run_tracking']).toBe(4);
    // The counts are in one maintenance_log row; raw tables are untouched.
    const m = new Database(db, { readonly: true });
    const row = m.prepare(`SELECT * FROM maintenance_log WHERE operation = 'purge' ORDER BY id DESC LIMIT 1`).get() as { status: string; details: string };
    const positions = m.prepare(`SELECT count(*) AS n FROM positions WHERE marked_as_of > '2025-07-03'`).get() as { n: number };
    m.close();
    expect(row.status).toBe('success');
    expect(JSON.parse(row.details)).toMatchObject({ counts_before: { position_marks: 776 }, counts_after: { position_marks: 388 }, range: { start: '2025-07-07', end: null } });
    expect(positions.n).toBe(0); // the mark cache points at the latest remaining mark
    expect(checksumsOf(db, RAW)).toEqual(rawBefore);
    expect(rowCountsOf(db)['positions']).toBe(97);
    expect(rowCountsOf(db)['portfolios']).toBe(5);

    const run = await cli(['run', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    // A re-backfill of the purged dates gives the same content (m.12).
    expect(checksumsOf(db, DERIVED)).toEqual(before);

    const guard = await cli(['verify', 'guard', '--start-date', '2025-06-30', '--end-date', '2025-07-10']);
    expect(guard.code, guard.stdout).toBe(0);
    expect(guard.stdout).toMatch(/Guard: pass/);

    const rec = await cli(['reconcile', '--start-date', '2025-06-30', '--end-date', '2025-07-10']);
    expect(rec.code, rec.stdout).toBe(0);
    expect(rec.stdout).toMatch(/Flagged portfolio-dates: 0 \/ 40/);
    // The family-office growth portfolio is slightly levered: an informational line, not a flag (m.11).
    const block = rec.stdout.split('\n\n').find((x) => x.startsWith('Demo Family Office Public Growth  2025-07-10'))!;
    expect(block).toMatch(/LEVERAGE: borrowed [\d,]+\.\d\d; gross exposure \/ equity = 1\.00\d\d/);
    expect(block).not.toMatch(/\[FLAG\]/);

    const out = join(tempDir(), 'baseline.json');
    const exp = await cli(['history', 'export-baseline', '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', out]);
    expect(exp.code, exp.stderr).toBe(0);
    const baseline = readJson(out);
    expect(baseline.schema).toBe('batchdesk.baseline/1');
    expect(baseline.tracking).toHaveLength(8);
    expect(baseline.outputs).toHaveLength(40);
    expect(Object.keys(baseline.outputs[0].hashes)).toContain('position_marks');

    const rc = await cli(['verify', 'rowcounts', '--since-purge']);
    expect(rc.code, rc.stdout).toBe(0);
    // An id that names no purge is a bad flag value (exit 2), saying what to give.
    const missing = await cli(['verify', 'rowcounts', '--since-purge', '999']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("maintenance_log has no row 999; give a purge's id, or no id for the latest purge");
    expect((await cli(['backup'])).code).toBe(0);
    const log = new Database(db, { readonly: true });
    const backupId = (log.prepare(`SELECT max(id) AS id FROM maintenance_log WHERE operation = 'backup'`).get() as { id: number }).id;
    log.close();
    const notPurge = await cli(['verify', 'rowcounts', '--since-purge', String(backupId)]);
    expect(notPurge.code).toBe(2);
    expect(notPurge.stderr).toMatch(/maintenance_log row \d+ is a backup, not a purge/);
    for (const check of [['verify', 'coverage', '--start-date', '2025-06-30', '--end-date', '2025-07-10'], ['verify', 'views'], ['verify', 'demo'], ['diagnose', 'equity-cash'], ['history']]) {
      const r = await cli(check);
      expect(r.code, `${check.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  }, 300_000);

  it('rebuild runs the whole procedure on a small range and records it in one maintenance_log row', async () => {
    const before = checksumsOf(db, DERIVED);
    const folder = tempDir();
    const r = await cli(['rebuild', '--start-date', '2025-07-08', '--end-date', '2025-07-10', '--chunk-days', '2', '--yes', '--json', '--log-file', join(folder, 'rebuild.jsonl')]);
    const report = JSON.parse(r.stdout);
    expect(r.code, JSON.stringify(report.steps, null, 1)).toBe(0);
    expect(report.status).toBe('success');
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual([
      'lock',
      'backup',
      'baseline before',
      'purge',
      'backfill',
      'verify rowcounts',
      'verify demo',
      'reconcile',
      'verify coverage',
      'verify guard',
      'verify views',
      'compare baselines',
    ]);
    expect(report.steps.filter((s: { status: string }) => s.status === 'fail')).toEqual([]);
    // Each step says how long it took: the backfill of 3 dates takes measurable time, the lock step almost none.
    const durations = new Map(report.steps.map((s: { step: string; durationMs: number }) => [s.step, s.durationMs]));
    for (const d of durations.values()) expect(d).toBeGreaterThanOrEqual(0);
    expect(durations.get('backfill')).toBeGreaterThan(0);
    for (const f of ['before.json', 'after.json', 'comparison.json', 'rebuild-report.json']) expect(existsSync(join(report.folder, f))).toBe(true);
    expect(readJson(join(report.folder, 'comparison.json')).matched).toBe(true);
    expect(existsSync(join(folder, 'rebuild.jsonl'))).toBe(true);
    const m = new Database(db, { readonly: true });
    const rows = m.prepare(`SELECT status, details FROM maintenance_log WHERE operation = 'rebuild'`).all() as { status: string; details: string }[];
    const settings = m.prepare(`SELECT value FROM settings WHERE key = 'maintenance'`).get() as { value: string };
    const lock = m.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number };
    m.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('success');
    expect(JSON.parse(rows[0]!.details).steps).toHaveLength(12);
    expect(JSON.parse(settings.value).active).toBe(false);
    expect(lock.n).toBe(0);
    expect(checksumsOf(db, DERIVED)).toEqual(before);
    expect(rowCountsOf(db)['portfolio_snapshots']).toBe(40);
  }, 300_000);

  it('rebuild says which later dates it left stale, with the command that redoes them', async () => {
    // A name the shell would split: the advice quotes it.
    const copy = copyTo(db, 'my portfolios.sqlite');
    const r = await runCli(['rebuild', '--db', copy, '--start-date', '2025-07-08', '--end-date', '2025-07-09', '--yes', '--json'], ENV);
    const report = JSON.parse(r.stdout);
    expect(r.code, JSON.stringify(report.steps, null, 1)).toBe(0);
    expect(report.steps.find((s: { step: string }) => s.step === 'later dates')).toMatchObject({
      status: 'info',
      // Naming the rebuilt database, so the advice redoes them there and not in the default database.
      detail: `1 later date(s) from 2025-07-10 to 2025-07-10 are now stale: \`batchdesk run --retry-failed-phases --db ${shellWord(copy)}\` redoes them`,
    });
  }, 300_000);

  it('rebuild of a range purged before has nothing to compare: it says so, as information, and succeeds', async () => {
    const copy = copyTo(db);
    const purge = await runCli(['purge', '--db', copy, '--from', '2025-07-08', '--to', '2025-07-09', '--no-backup', '--yes'], ENV);
    expect(purge.code, purge.stderr).toBe(0);
    const r = await runCli(['rebuild', '--db', copy, '--start-date', '2025-07-08', '--end-date', '2025-07-09', '--yes', '--json', '--log-file', join(tempDir(), 'rebuild.jsonl')], ENV);
    const report = JSON.parse(r.stdout);
    expect(r.code, JSON.stringify(report.steps, null, 1)).toBe(0);
    expect(report.status).toBe('success');
    expect(report.steps.find((s: { step: string }) => s.step === 'baseline before').detail).toMatch(/\(0 dates, 0 portfolio-dates\)$/);
    const compare = report.steps.find((s: { step: string }) => s.step === 'compare baselines');
    expect(compare.status).toBe('info');
    expect(compare.detail).toBe(
      `nothing to compare: the range had no derived rows before the rebuild (purged earlier or never run), so all 2 date(s) and 10 portfolio-date(s) are new (${join(report.folder, 'comparison.json')})`,
    );
    expect(compare.detail).not.toMatch(/difference|% of/);
    // The human report says the same.
    const human = await runCli(['rebuild', '--db', copyTo(db), '--start-date', '2025-07-08', '--end-date', '2025-07-08', '--yes', '--log-file', join(tempDir(), 'rebuild.jsonl')], ENV);
    expect(human.code, human.stdout).toBe(0);
    expect(human.stdout).toMatch(/\[INFO {3}\] +[\d.]+ s {2}compare baselines: 0 difference\(s\); 100\.00% of \d+ fields match \(/);
  }, 300_000);

  it('rebuild of a range before every portfolio\'s first date has nothing to view: it passes and leaves the gate open', async () => {
    const copy = copyTo(db);
    const r = await runCli(['rebuild', '--db', copy, '--start-date', '2025-06-02', '--end-date', '2025-06-27', '--yes', '--json', '--log-file', join(tempDir(), 'rebuild.jsonl')], ENV);
    const report = JSON.parse(r.stdout);
    // Before, `verify views` failed on it (no view has rows there) and closed the gate.
    expect(r.code, JSON.stringify(report.steps, null, 1)).toBe(0);
    expect(report.steps.find((s: { step: string }) => s.step === 'verify views')).toEqual(expect.objectContaining({ status: 'skipped', detail: 'no portfolio-date in the range, so no view to check' }));
    const next = await runCli(['run', '--db', copy, '--dry-run'], ENV);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout + next.stderr).not.toMatch(/gate is closed/);
  }, 300_000);

  it('writes only ASCII', () => {
    for (const o of outputs) {
      expect(isAscii(o.stdout)).toBe(true);
      expect(isAscii(o.stderr)).toBe(true);
    }
  });
});
