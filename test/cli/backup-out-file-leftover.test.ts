/**
 * `backup --out FILE` run again after a backup to that same file was stopped once its copy was
 * made (while it verified or hashed the copy): the copy `<FILE>.partial` then starts with the
 * SQLite header, like a database of the user's. Its writer record decides (SPEC.md j.1):
 *   - a real child frozen (SIGSTOP) in its verification still writes it: the rerun is refused
 *     (exit 2) naming that backup's process, and touches nothing; so is one frozen mid-copy,
 *     whose copy is no SQLite file yet (the rerun used to delete it and write its own);
 *   - once the child is killed (SIGKILL), the rerun removes the copy with its writer record,
 *     reports it ("Removed:", removedIncomplete, its maintenance_log row) and makes the backup,
 *     also when the file is outside the backup folder (which alone is swept for other copies);
 *   - a SQLite file there with no writer record of a backup of this database stays refused
 *     (it may be a database of the user's), saying so; one a backup on another machine wrote
 *     lately is refused, saying when a backup removes it;
 *   - a refusal for another reason (the --out file exists) removes nothing (m.22), and a
 *     leftover that is the database itself is never removed, whatever its record says.
 */
import type { ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARTIAL_WRITER_SCHEMA } from '../../db/maintenance/backup-manifest';
import { exitedPid, killChild, reapChildrenAfterEach, signalWhen } from '../support/child-processes';
import { runCli, startCliProcess, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, execOn, SAFE_NOW, withBallast } from '../support/safeguards';

const CHILD_ENV = { ...ENV, BATCHDESK_NO_BUNDLE: '1' };

let seeded = '';
let ballasted = '';
let deadPid = 0;
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
  // Ballast, so the child's verification takes long enough to catch it there.
  ballasted = withBallast(copyTo(seeded), 96);
  // A killed backup's writer.
  deadPid = exitedPid();
}, 120_000);

const children = reapChildrenAfterEach();

/**
 * True once the copy is made and reopened for its checks: byte 18 of the header (the write
 * version) is 1 only after copyDatabase switched the copy from WAL to a rollback journal; during
 * the copy the first page is still zeros.
 */
function copyMade(partial: string): boolean {
  try {
    const fd = openSync(partial, 'r');
    try {
      const head = Buffer.alloc(19);
      return readSync(fd, head, 0, 19, 0) === 19 && head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000' && head[18] === 1;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Starts `batchdesk backup --db DB --out FILE` and freezes it (SIGSTOP) once `reached` holds for its partial copy. */
async function freezeBackup(db: string, file: string, reached: (partial: string) => boolean): Promise<ChildProcess> {
  const c = children.track(startCliProcess(['backup', '--db', db, '--out', file], CHILD_ENV));
  await signalWhen(c, 'SIGSTOP', () => reached(`${file}.partial`));
  return c;
}

/** A leftover as a stopped backup leaves it after its copy: a real backup copied to `<file>.partial`, with a writer record when given. */
async function leftover(db: string, file: string, writer?: { source?: string; host?: string; pid: number }): Promise<string> {
  const made = await runCli(['backup', '--db', db, '--out', join(tempDir(), 'made.sqlite')], ENV);
  expect(made.code, made.stderr).toBe(0);
  const partial = `${file}.partial`;
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(made.stdout.match(/^Backup: +(.+)$/m)![1]!, partial);
  if (writer) writeFileSync(`${partial}.writer.json`, JSON.stringify({ schema: PARTIAL_WRITER_SCHEMA, source: 'portfolios.sqlite', host: hostname(), ...writer }));
  return partial;
}

describe('backup --out FILE again after a backup to FILE stopped once its copy was made', () => {
  it.each([
    ['in its checks, after its copy (a SQLite file)', copyMade],
    ['mid-copy (not yet a SQLite file)', existsSync],
  ] as const)('frozen %s: refused while that backup runs, and its leftover removed (reported) once it is killed', async (_, reached) => {
    const db = copyTo(ballasted);
    const folder = join(tempDir(), 'out');
    const file = join(folder, 'f2.sqlite');
    const partial = `${file}.partial`;
    const c = await freezeBackup(db, file, reached);
    const left = readdirSync(folder).sort();
    expect(left).toEqual(expect.arrayContaining(['f2.sqlite.partial', 'f2.sqlite.partial.writer.json']));

    const whileLive = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(whileLive.code).toBe(2);
    expect(whileLive.stderr).toContain(
      `refusing to write the partial backup to ${partial}: another backup (process ${c.pid} on this machine) is writing it, to make ${file}; let that backup finish, or choose another --out file`,
    );
    expect(readdirSync(folder).sort()).toEqual(left);

    await killChild(c);
    const next = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(`Removed:    1 incomplete backup(s) that stopped backups had left (partial copies nothing writes any more)\n  ${partial}`);
    expect(next.stdout).toContain(`Backup:     ${file}\n`);
    expect(readdirSync(folder).sort()).toEqual(['f2.sqlite', 'f2.sqlite.json']);
    expect(existsSync(join(dirname(db), 'backups'))).toBe(false);
  }, 120_000);

  it('--json lists the removed leftover of a backup killed after its copy (writer record naming a dead process)', async () => {
    const db = copyTo(seeded);
    const file = join(tempDir(), 'f2.sqlite');
    const partial = await leftover(db, file, { pid: deadPid });
    const r = await runCli(['backup', '--db', db, '--out', file, '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, removedIncomplete: [partial] });
    expect(readdirSync(dirname(file)).sort()).toEqual(['f2.sqlite', 'f2.sqlite.json']);
    const logged = execOn(db, (d) => d.prepare(`SELECT details FROM maintenance_log WHERE operation = 'backup' ORDER BY id DESC LIMIT 1`).get() as { details: string });
    expect(JSON.parse(logged.details)).toMatchObject({ file, removed_incomplete: [partial] });
  });

  it('an --out file in the backup folder: the sweep removes it', async () => {
    const db = copyTo(seeded);
    const file = join(dirname(db), 'backups', 'f2.sqlite');
    const partial = await leftover(db, file, { pid: deadPid });
    const r = await runCli(['backup', '--db', db, '--out', file, '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, removedIncomplete: [partial] });
    expect(existsSync(`${partial}.writer.json`)).toBe(false);
  });
});

describe('backup --out FILE refuses a SQLite file at FILE.partial that is no leftover of its own it can vouch for', () => {
  it('no writer record: refused (exit 2) as perhaps a database of the user\'s, and kept', async () => {
    const db = copyTo(seeded);
    const file = join(tempDir(), 'f2.sqlite');
    const partial = await leftover(db, file);
    const r = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `refusing to write the partial backup to ${partial}: it is a SQLite database file, and not a backup leftover batchdesk can vouch for (no writer record says a stopped backup of portfolios.sqlite left it), so it may be a database of yours; choose another path`,
    );
    expect(existsSync(partial)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('the writer record of another database\'s backup: refused alike, and kept', async () => {
    const db = copyTo(seeded);
    const file = join(tempDir(), 'f2.sqlite');
    const partial = await leftover(db, file, { source: 'other.sqlite', pid: deadPid });
    const r = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to write the partial backup to ${partial}: it is a SQLite database file, and not a backup leftover batchdesk can vouch for`);
    expect(existsSync(`${partial}.writer.json`)).toBe(true);
  });

  it('written lately by a backup on another machine: refused, saying from when a backup removes it', async () => {
    const db = copyTo(seeded);
    const file = join(tempDir(), 'f2.sqlite');
    const partial = await leftover(db, file, { host: `not-${hostname()}`, pid: deadPid });
    const r = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `refusing to write the partial backup to ${partial.replace(/[.]/g, '\\.')}: a backup of this database on another machine \\(not-${hostname()}, process ${deadPid}\\) wrote it at (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC and may still be writing it; run this backup again from (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC on \\(it then removes the copy unless it changed again\\), or choose another --out file`,
      ),
    );
    expect(existsSync(partial)).toBe(true);
  });
});

describe('a leftover of a stopped backup to FILE that the backup must still not remove', () => {
  it('--out FILE that exists: refused (exit 2) before the leftover is removed', async () => {
    const db = copyTo(seeded);
    const file = join(tempDir(), 'f2.sqlite');
    const partial = await leftover(db, file, { pid: deadPid });
    writeFileSync(file, 'mine');
    const r = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`backup destination ${file} already exists; choose another --out file`);
    expect(existsSync(partial) && existsSync(`${partial}.writer.json`)).toBe(true);
  });

  it('the database itself at FILE.partial, with a crafted writer record: refused as the database', async () => {
    const db = copyTo(seeded, 'f2.sqlite.partial');
    const file = join(dirname(db), 'f2.sqlite');
    writeFileSync(`${db}.writer.json`, JSON.stringify({ schema: PARTIAL_WRITER_SCHEMA, source: 'f2.sqlite.partial', host: hostname(), pid: deadPid }));
    const r = await runCli(['backup', '--db', db, '--out', file], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to write the partial backup to ${db}: it is the database ${db}; choose another path`);
    expect(existsSync(db)).toBe(true);
  });
});
