/**
 * `backup` while another process keeps SQLite's write lock (SPEC.md j.1, m.16): a child takes the
 * run lock as a run does and then holds a write transaction open, as a run stopped mid-date
 * (SIGSTOP) does. The copy only reads, but its maintenance_log row cannot be written: the backup
 * exits 3 (not 5) naming the lock holder, and leaves no backup file and no row behind. Once the
 * writer is gone, the same backup succeeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { firstOutput, killChild, reapChildrenAfterEach } from '../support/child-processes';
import { REPO_ROOT, runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { ENV, SAFE_NOW } from '../support/safeguards';

/** Takes the run lock with this process's pid, then holds a write transaction until killed. */
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL');
const now = new Date().toISOString().replace('Z', '000Z');
db.prepare("INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested) VALUES (1, 'run', 'writer', 'cli', ?, ?, ?, ?, 0)").run(require('node:os').hostname(), process.pid, now, now);
db.prepare('BEGIN IMMEDIATE').run();
db.prepare("UPDATE run_lock SET heartbeat_at = heartbeat_at WHERE id = 1").run();
process.stdout.write('writing\\n');
setInterval(() => {}, 1000);
`;

const children = reapChildrenAfterEach();

/** Starts the WRITER child on `db` and resolves once it holds the write transaction. */
async function holdWriteLock(db: string): Promise<ChildProcess> {
  const child = children.track(spawn(process.execPath, ['-e', WRITER, db], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] }));
  await firstOutput(child, 'writer');
  return child;
}

const backupRows = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(`SELECT count(*) AS n FROM maintenance_log WHERE operation = 'backup'`).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('backup while another process holds the write lock', () => {
  it('exits 3 naming the holder and keeps nothing; succeeds once the writer is gone', async () => {
    const db = seedDemoDb(SAFE_NOW);
    const backups = join(dirname(db), 'backups');
    const writer = await holdWriteLock(db);

    const refused = await runCli(['backup', '--db', db], ENV);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('cannot record the backup in maintenance_log, so it was removed: the database is locked by another run');
    expect(refused.stderr).toContain(`pid ${writer.pid} on `);
    expect(refused.stderr).toContain(`stop it with \`batchdesk cancel --db ${db}\``);
    expect(existsSync(backups) ? readdirSync(backups) : []).toEqual([]);

    await killChild(writer);
    expect(backupRows(db)).toBe(0);

    const made = await runCli(['backup', '--db', db], ENV);
    expect(made.code, made.stderr).toBe(0);
    expect(backupRows(db)).toBe(1);
    expect(readdirSync(backups).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
  }, 120_000);
});
