/**
 * A rebuild killed with SIGKILL (SPEC.md j.5, g.9, m.17): a real `batchdesk rebuild` child is
 * killed once its purge step is reported. Until someone takes its lock over, `history --running`
 * and the app's maintenance state report an interrupted rebuild naming the pre-rebuild backup
 * (not "rebuilding"); the next run that takes the dead lock clears settings.maintenance, closes
 * the maintenance_log row as failed and interrupted, and closes the gate as a cancelled rebuild
 * does, with the restore command.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { maintenanceOf } from '../../host/views/database-info-view';
import { runCli, startCliProcess } from '../support/cli';
import { backfilledDemo, copyTo, ENV } from '../support/safeguards';

const CHILD_ENV = { ...ENV, BATCHDESK_NO_BUNDLE: '1' };

/** Starts a rebuild of 2025-07-01 .. 2025-07-08 and SIGKILLs it once the purge step line appears. */
async function killRebuildAfterPurge(db: string): Promise<string> {
  const child = startCliProcess(['rebuild', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08', '--yes'], CHILD_ENV);
  let output = '';
  const onData = (d: Buffer) => {
    output += d.toString();
    if (/\bpurge: /.test(output) && child.exitCode === null) child.kill('SIGKILL');
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, s) => resolve(s)));
  expect(signal, output).toBe('SIGKILL');
  return output;
}

function read<T>(db: string, sql: string): T {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).get() as T;
  } finally {
    d.close();
  }
}

const setting = (db: string, key: string) => JSON.parse(read<{ value: string }>(db, `SELECT value FROM settings WHERE key = '${key}'`).value) as Record<string, any>;
const rebuildRow = (db: string) => read<{ status: string | null; completed_at: string | null; details: string }>(db, `SELECT status, completed_at, details FROM maintenance_log WHERE operation = 'rebuild'`);

describe('a rebuild killed with SIGKILL', () => {
  it('reads as interrupted until the next run takes its lock, which clears the flag, closes the row and the gate, and names the backup', async () => {
    const db = copyTo(await backfilledDemo());
    const output = await killRebuildAfterPurge(db);
    const backup = /backup: (\S+\.pre-rebuild\.sqlite)/.exec(output)![1]!;

    // What the dead process left: the flag on and its row open.
    expect(setting(db, 'maintenance')).toMatchObject({ active: true, reason: 'rebuild' });
    expect(rebuildRow(db).status).toBeNull();

    // Readers see an interrupted rebuild with its backup, not "rebuilding".
    const running = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(running.code, running.stderr).toBe(0);
    expect(JSON.parse(running.stdout).interruptedRebuild).toMatchObject({ range: { start: '2025-07-01', end: '2025-07-08' }, backupFile: backup });
    const reader = new Database(db, { readonly: true });
    const state = maintenanceOf(reader);
    reader.close();
    expect(state).toMatchObject({ active: false, interrupted: true, backup_file: backup });
    expect(String(state!['reason'])).toContain(`batchdesk restore ${backup}`);

    // The next run takes the dead lock over and closes what the rebuild left open.
    const run = await runCli(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-08'], ENV);
    expect(run.code, run.stderr).toBe(0);
    expect(setting(db, 'maintenance')).toMatchObject({ active: false, reason: null });
    const row = rebuildRow(db);
    expect(row.status).toBe('failed');
    expect(row.completed_at).not.toBeNull();
    const details = JSON.parse(row.details);
    expect(details.interrupted).toBe(true);
    expect(details.failures.at(-1)).toMatch(/^interrupted: the rebuild process \(pid \d+ on .+\) stopped before it finished; restore the backup with `batchdesk restore /);
    expect(details.failures.at(-1)).toContain(backup);
    const gate = setting(db, 'gate');
    expect(gate['state']).toBe('closed');
    expect(gate['findings'][0]).toMatchObject({ check: 'G1', date: '2025-07-01..2025-07-08', expected: 'rebuild completed' });
    expect(gate['findings'][0].message).toContain(`batchdesk restore ${backup}`);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM run_lock`).n).toBe(0);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM maintenance_log WHERE status IS NULL`).n).toBe(0);

    // Nothing is left to report as interrupted.
    const after = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(JSON.parse(after.stdout).interruptedRebuild).toBeNull();
  }, 180_000);
});
