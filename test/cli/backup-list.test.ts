/**
 * `batchdesk backup list`: the database's backups in the backup folder, newest first, as the
 * app's Backups list has them (the same listing: its --json is the listBackups answer), in
 * ASCII, with the backup files whose manifest was deleted marked as such; exit codes as k.3.
 */
import { existsSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../support/memory-io';
import { main } from '../../cli/main';
import { dispatch } from '../../host/dispatcher';
import { runCli } from '../support/cli';
import { testHostContext } from '../support/app/host-context';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

let template = '';
beforeAll(() => {
  template = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('backup list', () => {
  it('says where backups go when there are none', async () => {
    const db = copyTo(template);
    const r = await runCli(['backup', 'list', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Folder: ${join(db, '..', 'backups')}`);
    expect(r.stdout).toContain(`No backups yet: \`batchdesk backup --db ${db}\` makes one.`);
    expect(JSON.parse((await runCli(['backup', 'list', '--db', db, '--json'], ENV)).stdout)).toEqual({ dir: join(db, '..', 'backups'), backups: [], incomplete: [] });
  });

  it('lists each backup with its time, reason, size and check, a file without a manifest marked, newest first; --json is the app list', async () => {
    const db = copyTo(template);
    const made = JSON.parse((await runCli(['backup', '--db', db, '--json'], ENV)).stdout).file as string;
    rmSync(`${made}.json`);
    const fileTime = new Date('2025-07-09T12:34:56Z');
    utimesSync(made, fileTime, fileTime);
    const withManifest = JSON.parse((await runCli(['backup', '--db', db, '--reason', 'pre-purge', '--json'], ENV)).stdout).file as string;

    const r = await runCli(['backup', 'list', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect([...Buffer.from(r.stdout + r.stderr)].every((b) => b < 0x80)).toBe(true);
    const lines = r.stdout.split('\n');
    const withManifestLine = lines.findIndex((l) => l.startsWith('portfolios.sqlite.20250710T230000Z.pre-purge.sqlite '));
    const bareLine = lines.findIndex((l) => l.startsWith('portfolios.sqlite.20250710T230000Z.manual.sqlite '));
    expect(withManifestLine).toBeGreaterThan(0);
    expect(bareLine).toBeGreaterThan(withManifestLine);
    expect(lines[withManifestLine]).toMatch(/ 2025-07-10 23:00:0\d +pre-purge +\d+ +managed +yes$/);
    expect(lines[bareLine]).toMatch(/ 2025-07-10 23:00:00 +manual +\d+ +not managed +no manifest: restore checks integrity first$/);
    expect(r.stdout).toContain('2 backup(s), 1 without a manifest (restore checks their integrity first; no checksum to compare; not managed by retention, which never deletes them: delete them by hand when no longer needed)');

    const json = await runCli(['backup', 'list', '--db', db, '--json'], ENV);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout);
    expect(listed.backups.map((b: { file: string; hasManifest: boolean; madeAt: string; managedByRetention: boolean }) => [b.file, b.hasManifest, b.madeAt.slice(0, 18), b.managedByRetention])).toEqual([
      [withManifest, true, '2025-07-10T23:00:0', true],
      [made, false, '2025-07-10T23:00:0', false],
    ]);
    const app = await dispatch('listBackups', {}, testHostContext(db, SAFE_NOW, { reader: false }));
    expect(app).toEqual({ ok: true, output: listed });

    // The listed file restores (no checksum to compare), and the list then shows the check it passed.
    expect((await runCli(['restore', made, '--db', db, '--yes'], ENV)).code).toBe(0);
    const after = await runCli(['backup', 'list', '--db', db], ENV);
    expect(after.stdout).toMatch(/manual +\d+ +not managed +no manifest: restore checks integrity first; passed at restore on 2025-07-10 23:00:\d\d/);
  });

  it('exit codes as k.3: a bad flag is a usage error (2), a missing database a data error (5)', async () => {
    const db = copyTo(template);
    const bad = await runCli(['backup', 'list', '--db', db, '--out', 'x.sqlite'], ENV);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown flag --out for `batchdesk backup list`');
    const missing = await runCli(['backup', 'list', '--db', join(db, '..', 'nope.sqlite')], ENV);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('does not exist');
  });

  it('`backup --out list` is a backup into the file `list`, not the list subcommand', async () => {
    const db = copyTo(template);
    const out = join(db, '..', 'list');
    const io = memoryIO({ ...ENV }, join(db, '..'));
    const code = await main(['backup', '--db', db, '--out', 'list', '--json'], { io });
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(JSON.parse(io.stdout.join('\n')).file).toBe(out);
    expect(existsSync(out)).toBe(true);
  });
});
