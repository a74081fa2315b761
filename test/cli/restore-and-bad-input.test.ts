/**
 * Issue 7 acceptance: restoring a backup gives back the same row counts and the same content
 * checksum per table (m.12), after a safety backup; bad input (an unknown backup file, a
 * corrupt backup, a restore onto a database held by a running batch in another process)
 * gives a clear message, the exit code of k.3 and no change.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { backfilledDemo, checksumsOf, copyTo, ENV, holdLockInChild, rowCountsOf, type LockHolder } from '../support/safeguards';

let template = '';
beforeAll(async () => {
  template = await backfilledDemo();
}, 300_000);

const withoutLogs = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([t]) => t !== 'maintenance_log' && t !== 'run_lock'));

describe('restore', () => {
  it('round trip: same row counts and the same canonical checksum per table; a safety backup is kept', async () => {
    const db = copyTo(template);
    const b = await runCli(['backup', '--db', db, '--json'], ENV);
    expect(b.code, b.stderr).toBe(0);
    const backup = JSON.parse(b.stdout).file as string;
    const sums = checksumsOf(db);
    const counts = withoutLogs(rowCountsOf(db));
    const purged = await runCli(['purge', '--db', db, '--no-backup', '--yes'], ENV);
    expect(purged.code, purged.stderr).toBe(0);
    expect(rowCountsOf(db)['position_marks']).toBe(0);
    const changed = checksumsOf(db);

    const r = await runCli(['restore', backup, '--db', db, '--yes', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ manifestChecked: true, migrationsApplied: 0 });
    expect(checksumsOf(db)).toEqual(sums);
    expect(withoutLogs(rowCountsOf(db))).toEqual(counts);
    expect(rowCountsOf(db)['run_lock']).toBe(0);
    expect(existsSync(`${db}-wal`) ? readFileSync(`${db}-wal`).length : 0).toBe(0);
    // The safety backup holds the purged state that was replaced.
    expect(out.safetyBackup).toMatch(/\.pre-restore\.sqlite$/);
    expect(checksumsOf(out.safetyBackup)).toEqual(changed);
  }, 120_000);

  it('onto a database file that does not exist yet: says there was nothing to back up, not a flag never given', async () => {
    const db = copyTo(template);
    const b = await runCli(['backup', '--db', db, '--json'], ENV);
    expect(b.code, b.stderr).toBe(0);
    const fresh = join(tempDir(), 'new.sqlite');
    const r = await runCli(['restore', JSON.parse(b.stdout).file as string, '--db', fresh, '--yes'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Safety backup:'))).toEqual(['Safety backup:  none (there was no database to back up)']);
    expect(checksumsOf(fresh)).toEqual(checksumsOf(db));
  }, 120_000);

  it('an unknown backup file: exit 5, message, database unchanged', async () => {
    const db = copyTo(template);
    const before = tableContents(db);
    const r = await runCli(['restore', join(dirname(db), 'nope.sqlite'), '--db', db, '--yes'], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/backup file .*nope\.sqlite not found/);
    expect(tableContents(db)).toEqual(before);
  });

  it('a corrupt backup: checksum mismatch with a manifest, unreadable without one; exit 5, unchanged', async () => {
    const db = copyTo(template);
    const b = JSON.parse((await runCli(['backup', '--db', db, '--json'], ENV)).stdout).file as string;
    const before = tableContents(db);
    const bytes = readFileSync(b);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(b, bytes);
    const r1 = await runCli(['restore', b, '--db', db, '--yes'], ENV);
    expect(r1.code).toBe(5);
    expect(r1.stderr).toMatch(/is corrupt: its SHA-256 .* differs from the manifest/);
    // What to do next: another backup, or this one without its manifest (restore has no flag that skips the check).
    expect(r1.stderr).toMatch(
      new RegExp(
        `\\(the file changed after the backup was made\\); choose another backup \\(\`batchdesk backup list --db ${db}\` lists them with their checks\\), or, if you trust this file, remove its manifest ${b}\\.json and restore again: restore then skips the checksum and still checks the file's integrity$`,
      ),
    );
    const garbage = join(tempDir(), 'garbage.sqlite');
    writeFileSync(garbage, Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4096, 7)]));
    const r2 = await runCli(['restore', garbage, '--db', db, '--yes'], ENV);
    expect(r2.code).toBe(5);
    expect(r2.stderr).toMatch(/cannot be restored/);
    expect(r2.stderr).toMatch(/; choose another backup \(`batchdesk backup list --db .*` lists them with their checks\)$/);
    expect(tableContents(db)).toEqual(before);
  });

  it('a one-byte or empty file named like a backup: not a SQLite database, exit 5, unchanged; the list shows the verdict without the advice', async () => {
    const db = copyTo(template);
    const before = tableContents(db);
    const folder = join(dirname(db), 'backups');
    for (const [name, bytes] of [
      ['portfolios.sqlite.20250701T000000Z.manual.sqlite', 'x'],
      ['portfolios.sqlite.20250702T000000Z.manual.sqlite', ''],
    ] as const) {
      const file = join(folder, name);
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, bytes);
      const r = await runCli(['restore', file, '--db', db, '--yes'], ENV);
      expect(r.code).toBe(5);
      const problem = `backup ${file} cannot be restored: it is not a SQLite database (${bytes.length} byte${bytes.length === 1 ? '' : 's'}, without the SQLite header: empty, truncated or another kind of file)`;
      expect(r.stderr).toBe(`error: ${problem}; choose another backup (\`batchdesk backup list --db ${db}\` lists them with their checks)`);
      const listed = JSON.parse((await runCli(['backup', 'list', '--db', db, '--json'], ENV)).stdout) as { backups: { file: string; lastVerification: { problem: string } | null }[] };
      expect(listed.backups.find((x) => x.file === file)?.lastVerification?.problem).toBe(problem);
    }
    expect(tableContents(db)).toEqual(before);
  });

  describe('while another process holds the run lock', () => {
    let holder: LockHolder;
    let db = '';
    beforeAll(async () => {
      db = copyTo(template);
      holder = await holdLockInChild(db);
    });
    afterAll(async () => holder.stop());

    it('restore refuses with exit 3 and changes nothing (no safety backup either)', async () => {
      const backup = join(tempDir(), 'b.sqlite');
      copyFileSync(template, backup);
      const { run_lock: _lockBefore, ...before } = tableContents(db); // the holder heartbeats its lock row
      const r = await runCli(['restore', backup, '--db', db, '--yes'], ENV);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`locked by another run \\(cli pid ${holder.child.pid} on`));
      const { run_lock: _lockAfter, ...after } = tableContents(db);
      expect(after).toEqual(before);
      expect(existsSync(join(dirname(db), 'backups')) ? readdirSync(join(dirname(db), 'backups')) : []).toEqual([]);
    });
  });
});
