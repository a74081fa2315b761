/**
 * `restore` checks its backup file before it asks (tester: `restore backups/nothere.sqlite` asked
 * to replace the database with a file that is not there, exit 2, and said "not found" only with
 * --yes). A missing file is "not found" (exit 5) with or without --yes, naming this database's
 * backup folder (backup.dir, else `backups` beside the database) and the command that lists it;
 * a folder or a device is refused in restore's own words before the question too. In process
 * (stdin is no terminal there, so a question is refused with exit 2), and once as a real child
 * process, as the tester ran it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCli, runCliProcess, tempDir } from '../support/cli';
import { ENV, execOn } from '../support/safeguards';

function newDatabase(): string {
  const db = join(tempDir('batchdesk-restore-prompt-'), 'q.db');
  openStore(db).close();
  return db;
}

describe('restore of a backup file that cannot be restored, before the question', () => {
  const notFound = (missing: string, db: string) =>
    `error: backup file ${missing} not found; list the backups with \`batchdesk backup list --db ${db}\` (this database's backups are in ${join(dirname(db), 'backups')}; give one as ${join(dirname(db), 'backups', '<file>')})`;

  it.each([[[]], [['--yes']]])('a missing file is not found (exit 5) with flags %j, naming the backup folder; the database is unchanged', async (flags) => {
    const db = newDatabase();
    const before = readFileSync(db);
    const missing = join(dirname(db), 'backups', 'nothere.sqlite');
    const r = await runCli(['restore', missing, '--db', db, ...flags], ENV);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toBe(notFound(missing, db));
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('the same in a child process without --yes, as the tester ran it', () => {
    const db = newDatabase();
    const missing = join(dirname(db), 'backups', 'nothere.sqlite');
    const r = runCliProcess(['restore', missing, '--db', db], { ...ENV, BATCHDESK_NO_BUNDLE: '1' });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toBe(`${notFound(missing, db)}\n`);
  });

  it("names the folder the database's backup.dir setting chooses", async () => {
    const db = newDatabase();
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.dir', ?)`).run(JSON.stringify('kept-backups')));
    const missing = join(dirname(db), 'nothere.sqlite');
    const r = await runCli(['restore', missing, '--db', db], ENV);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain(`(this database's backups are in ${join(dirname(db), 'kept-backups')}; give one as ${join(dirname(db), 'kept-backups', '<file>')})`);
  });

  it("a folder and a device are refused in restore's words without --yes", async () => {
    const db = newDatabase();
    const folder = join(dirname(db), 'backups');
    mkdirSync(folder);
    const f = await runCli(['restore', folder, '--db', db], ENV);
    expect(f.code, f.stderr).toBe(5);
    expect(f.stderr).toBe(`error: ${folder} is a folder, not a backup file; give the .sqlite file inside it (see \`batchdesk backup --help\`)`);
    const d = await runCli(['restore', '/dev/zero', '--db', db], ENV);
    expect(d.code, d.stderr).toBe(5);
    expect(d.stderr).toContain('/dev/zero is not a regular file (a device, pipe or socket), so it is no backup');
  });

  it('a backup that is there is still asked about (no terminal: refused, exit 2, nothing changed)', async () => {
    const db = newDatabase();
    const made = await runCli(['backup', '--db', db, '--json'], ENV);
    expect(made.code, made.stderr).toBe(0);
    const file = JSON.parse(made.stdout).file as string;
    const r = await runCli(['restore', file, '--db', db], ENV);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: Replace ${db} with ${file}? There is no terminal to ask on: pass --yes to confirm. Nothing was changed.`);
  });
});
