/**
 * Ctrl-C on `purge` and `restore` (audit, SPEC.md k.3), through a real child
 * process and a real SIGINT: each stops before it changes anything, exits 130 with a message
 * that says nothing was changed, and leaves the content (canonical checksums) as it was and the
 * lock free. The signal goes out at a moment seen from outside: the backup's partial file
 * appears. The child is paused around the signal (SIGSTOP .. SIGCONT) so that it cannot
 * run past the step while the signal is on its way.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startCliProcess } from '../support/cli';
import { backfilledDemo, checksumsOf, copyTo, SAFE_NOW } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: SAFE_NOW };

let demo = '';
beforeAll(async () => {
  demo = await backfilledDemo();
}, 180_000);

/** Runs the CLI in a child and sends SIGINT (child paused meanwhile) once `ready()` holds; its exit code and stderr. */
async function interrupted(args: readonly string[], ready: (child: ChildProcess) => boolean): Promise<{ code: number | null; stderr: string; sent: boolean }> {
  const child = startCliProcess(args, ENV);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  let sent = false;
  const poll = setInterval(() => {
    if (sent || child.exitCode !== null || !ready(child)) return;
    sent = true;
    child.kill('SIGSTOP');
    child.kill('SIGINT');
    child.kill('SIGCONT');
  }, 1);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(poll);
  return { code, stderr, sent };
}

const backupDir = (db: string) => join(dirname(db), 'backups');
const partialIn = (dir: string) => () => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.partial'));
const lockRows = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('Ctrl-C before a maintenance command changes anything', () => {
  it('purge --yes stopped during its backup: exit 130, nothing deleted, no partial file, lock free', async () => {
    const db = copyTo(demo);
    const before = checksumsOf(db);
    const r = await interrupted(['purge', '--db', db, '--yes'], partialIn(backupDir(db)));
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('Stopping...');
    expect(r.stderr).toMatch(/purge cancelled .*nothing was deleted/);
    expect(checksumsOf(db)).toEqual(before);
    expect(readdirSync(backupDir(db)).filter((f) => f.includes('.partial'))).toEqual([]);
    expect(lockRows(db)).toBe(0);
  }, 120_000);

  it('restore --yes stopped during its safety backup: exit 130, the database unchanged', async () => {
    const db = copyTo(demo);
    const emptied = copyTo(demo, 'emptied.sqlite');
    const d = new Database(emptied);
    d.prepare(`DELETE FROM portfolio_snapshots`).run();
    d.close();
    const before = checksumsOf(db);
    const r = await interrupted(['restore', emptied, '--db', db, '--yes'], partialIn(backupDir(db)));
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(`restore cancelled before the database was replaced; ${db} was not changed`);
    expect(checksumsOf(db)).toEqual(before);
    expect(lockRows(db)).toBe(0);
  }, 120_000);
});
