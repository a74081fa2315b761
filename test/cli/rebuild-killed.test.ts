/**
 * A rebuild killed with SIGKILL (SPEC.md j.5, g.9, m.17): a real `batchdesk rebuild` child is
 * killed once its purge step is reported (or once its backfill has committed a date). Until
 * someone takes its lock over, `history --running` (text and --json) and the app's maintenance
 * state report an interrupted rebuild naming the pre-rebuild backup and what to do (not
 * "rebuilding"); the next run that takes the dead lock clears settings.maintenance, closes the
 * maintenance_log row as failed and interrupted, marks its backfill run interrupted (so nothing
 * advises resuming it), and closes the gate as a cancelled rebuild does, with the restore command;
 * that run is then refused at the gate it closed (g.6: the gate is checked after the lock), naming
 * the ways out; a rebuild, or a run with --ignore-gate, that takes the lock over goes on and
 * reports that gate change (`gate_changed`) in its log, and `cancel` advises running the rebuild
 * again or restoring its backup. The pre-rebuild
 * backup holds nothing of the rebuild: restored, the database is as it was before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { maintenanceOf } from '../../host/views/database-info-view';
import { runCli, tempDir } from '../support/cli';
import { backfillCommittedADate, killRebuildChild, purgeReported, readRow } from '../support/killed-rebuild';
import { backfilledDemo, copyTo, ENV } from '../support/safeguards';

/**
 * Starts a rebuild of 2025-07-01 .. 2025-07-08 and SIGKILLs it once `due` says so: by default
 * when the purge step line appears. Returns its output and the pre-rebuild backup it named.
 */
async function killRebuild(db: string, due: (output: string) => boolean = purgeReported): Promise<{ output: string; backup: string }> {
  const output = await killRebuildChild(['--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08'], due);
  return { output, backup: /backup: (\S+\.pre-rebuild\.sqlite)/.exec(output)![1]! };
}

/** The JSON-lines log at `log` holds one `gate_changed`: the gate closed over the killed rebuild, naming its backup. */
function expectOneGateClosing(log: string, backup: string): void {
  const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; level: string; payload: { name?: string; tags?: Record<string, string> } });
  const changes = events.filter((e) => e.event === 'metric' && e.payload.name === 'gate_changed');
  expect(changes).toHaveLength(1);
  expect(changes[0]!.level).toBe('error');
  expect(changes[0]!.payload.tags!['state']).toBe('closed');
  expect(changes[0]!.payload.tags!['reason']).toMatch(/^rebuild failed: interrupted: the rebuild process \(pid \d+ on .+\) stopped before it finished; restore the backup with `batchdesk restore /);
  expect(changes[0]!.payload.tags!['reason']).toContain(backup);
}

/** One row of `sql` from the database file at `db`. */
const read = <T,>(db: string, sql: string): T => readRow<T>(db, sql)!;

const setting = (db: string, key: string) => JSON.parse(read<{ value: string }>(db, `SELECT value FROM settings WHERE key = '${key}'`).value) as Record<string, any>;
const rebuildRow = (db: string) => read<{ status: string | null; completed_at: string | null; details: string }>(db, `SELECT status, completed_at, details FROM maintenance_log WHERE operation = 'rebuild'`);

describe('a rebuild killed with SIGKILL', () => {
  it('reads as interrupted until the next run takes its lock, which clears the flag, closes the row and the gate, and names the backup', async () => {
    const db = copyTo(await backfilledDemo());
    const { backup } = await killRebuild(db);

    // What the dead process left: the flag on and its row open.
    expect(setting(db, 'maintenance')).toMatchObject({ active: true, reason: 'rebuild' });
    expect(rebuildRow(db).status).toBeNull();

    // Readers see an interrupted rebuild with its backup, not "rebuilding".
    const running = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(running.code, running.stderr).toBe(0);
    expect(JSON.parse(running.stdout).interruptedRebuild).toMatchObject({ range: { start: '2025-07-01', end: '2025-07-08' }, backupFile: backup });
    // The text form says it too: what stopped, when, its range, and the two ways out, naming the backup.
    const text = await runCli(['history', '--running', '--db', db], ENV);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Rebuild interrupted: the rebuild of 2025-07-01 \.\. 2025-07-08 started 2025-07-10T23:00:\S+ \(maintenance_log #\d+\) stopped before it finished/);
    expect(text.stdout).toContain(`Run it again with \`batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db ${db}\``);
    expect(text.stdout).toContain(`or put the pre-rebuild backup ${backup} back with \`batchdesk restore ${backup} --db ${db}\``);
    const reader = new Database(db, { readonly: true });
    const state = maintenanceOf(reader);
    reader.close();
    expect(state).toMatchObject({ active: false, interrupted: true, backup_file: backup });
    // The app offers both ways out, as `history --running` does: run it again, or restore.
    expect(String(state!['reason'])).toContain(`run it again with \`batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db ${db}\``);
    expect(String(state!['reason'])).toContain(`put the pre-rebuild backup ${backup} back with \`batchdesk restore ${backup} --db ${db}\``);

    // The next run takes the dead lock over and closes what the rebuild left open. The gate that
    // closed is checked after the lock is taken (g.6), so the run is refused as at any closed
    // gate, saying what it found and the ways out.
    const run = await runCli(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08'], ENV);
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/the rebuild holding the lock \(pid \d+ on .+\) stopped before it finished: taking its lock over closed it as failed and closed the regression gate over 2025-07-01 \.\. 2025-07-08; run it again with `batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db /);
    expect(run.stderr).toContain(`, or put the pre-rebuild backup ${backup} back with \`batchdesk restore ${backup} --db ${db}\`, or start the run with --ignore-gate`);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM batch_run_history WHERE started_at > (SELECT started_at FROM maintenance_log WHERE operation = 'rebuild') AND mode <> 'rebuild'`).n).toBe(0);
    expect(setting(db, 'maintenance')).toMatchObject({ active: false, reason: null });
    const row = rebuildRow(db);
    expect(row.status).toBe('failed');
    expect(row.completed_at).not.toBeNull();
    const details = JSON.parse(row.details);
    expect(details.interrupted).toBe(true);
    expect(details.failures.at(-1)).toMatch(/^interrupted: the rebuild process \(pid \d+ on .+\) stopped before it finished; restore the backup with `batchdesk restore /);
    expect(details.failures.at(-1)).toContain(backup);
    // The gate closed over the range, every trading day of it failed: a guard that passes over
    // them all reopens it (this run's own guard may have, once it re-ran the whole range).
    const closing = JSON.parse(read<{ details: string }>(db, `SELECT details FROM maintenance_log WHERE operation = 'gate' ORDER BY id LIMIT 1`).details);
    expect(closing).toMatchObject({ action: 'close', dates: ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'] });
    expect(closing.first_findings[0]).toMatchObject({ check: 'G1', date: '2025-07-01..2025-07-08', expected: 'rebuild completed' });
    expect(closing.first_findings[0].message).toContain(`batchdesk restore ${backup}`);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM run_lock`).n).toBe(0);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM maintenance_log WHERE status IS NULL`).n).toBe(0);

    // Nothing is left to report as interrupted.
    const after = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(JSON.parse(after.stdout).interruptedRebuild).toBeNull();
  }, 180_000);

  it('closes the backfill run it left running, so nothing advises resuming it: the rebuild is what to run again', async () => {
    const db = copyTo(await backfilledDemo());
    const { backup } = await killRebuild(db, backfillCommittedADate(db));
    const backfill = read<{ id: string; batch_run_id: string }>(db, `SELECT id, batch_run_id FROM batch_run_history WHERE status = 'running'`);
    expect(backfill).toBeDefined();

    // `cancel` takes the dead lock over, as the Lock line of `history --running` advises, and
    // says what became of the rebuild and what to do: run it again or restore, not resume.
    const cancel = await runCli(['cancel', '--db', db], ENV);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/the rebuild holding the lock \(rebuild-\S+, pid \d+ on .+\) is no longer running; its lock was released, the rebuild closed as failed and the regression gate closed over 2025-07-01 \.\. 2025-07-08; run it again with `batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db /);
    expect(cancel.stdout).toContain(`, or put the pre-rebuild backup ${backup} back with \`batchdesk restore ${backup} --db ${db}\``);
    expect(cancel.stdout).not.toContain('--resume');
    expect(read<{ status: string }>(db, `SELECT status FROM batch_run_history WHERE id = '${backfill.id}'`).status).toBe('interrupted');
    const text = await runCli(['history', '--running', '--db', db], ENV);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain('--resume');
    expect(text.stdout).not.toContain(backfill.batch_run_id);
    expect(text.stdout).toContain('Run: none');
  }, 180_000);

  it('leaves a pre-rebuild backup that restores the database as it was before the rebuild', async () => {
    const db = copyTo(await backfilledDemo());
    const maintenanceBefore = read<{ value: string } | undefined>(db, `SELECT value FROM settings WHERE key = 'maintenance'`);
    const { backup } = await killRebuild(db);

    const restored = await runCli(['restore', backup, '--db', db, '--yes'], ENV);
    expect(restored.code, restored.stderr).toBe(0);
    // Nothing of the rebuild came back: no rebuild row, no open row, the flag as it was.
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM maintenance_log WHERE operation = 'rebuild' OR status IS NULL`).n).toBe(0);
    expect(read<{ value: string } | undefined>(db, `SELECT value FROM settings WHERE key = 'maintenance'`)).toEqual(maintenanceBefore);
    const running = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(JSON.parse(running.stdout).interruptedRebuild).toBeNull();

    // So the next lock taker has no rebuild to close, nor a gate to close over it.
    const run = await runCli(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08'], ENV);
    expect(run.code, run.stderr).toBe(0);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM maintenance_log WHERE operation = 'rebuild' OR details LIKE '%rebuild completed%'`).n).toBe(0);
  }, 180_000);

  it('a rebuild that takes the dead lock over reports the gate it closed (gate_changed) in its log', async () => {
    const db = copyTo(await backfilledDemo());
    const { backup } = await killRebuild(db);
    const log = join(tempDir(), 'rebuild.jsonl');

    const again = await runCli(['rebuild', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08', '--yes', '--log-file', log], ENV);
    expect(again.code, again.stderr).toBe(0);
    expectOneGateClosing(log, backup);
    // Its guard passed over every date of the range, so the gate the takeover closed is open again.
    expect(setting(db, 'gate')).toMatchObject({ state: 'open' });
  }, 180_000);

  it('a run that takes the dead lock over with --ignore-gate goes on and reports the gate it closed (gate_changed) in its --log-file', async () => {
    const db = copyTo(await backfilledDemo());
    const { backup } = await killRebuild(db);
    const log = join(tempDir(), 'run.jsonl');

    const run = await runCli(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08', '--no-guard', '--ignore-gate', '--log-json', '--log-file', log], ENV);
    expect(run.code, run.stderr).toBe(0);
    expectOneGateClosing(log, backup);
    // And says so on the terminal.
    expect(run.stderr).toMatch(/warning: the regression gate closed: rebuild failed: interrupted: the rebuild process \(pid \d+ on .+\) stopped before it finished; restore the backup with `batchdesk restore /);
  }, 180_000);
});
