/**
 * `backup list --dir FOLDER` lists the backups of the database that `backup --out FOLDER/` wrote
 * there (`backup list` alone shows the backup folder only, so these could not be listed): the
 * Folder line says it is not the backup folder and that retention prunes it only when a backup
 * into it is given --keep (j.2), as its retention column does; `--json` gives the same list as
 * for the backup folder. A folder that is not there, or a file, is a usage error naming it.
 */
import { writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, execOn, SAFE_NOW } from '../support/safeguards';

/** The automatic name of a manual backup of portfolios.sqlite at SAFE_NOW (the pinned clock). */
const NAME = 'portfolios.sqlite.20250710T230000Z.manual.sqlite';

describe('backup list --dir', () => {
  it('lists the backups an --out folder holds, and says that folder is pruned only with --keep', async () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    const own = tempDir('own-backups-');
    const made = await runCli(['backup', '--db', db, '--out', `${own}${sep}`], ENV);
    expect(made.code, made.stderr).toBe(0);

    const plain = await runCli(['backup', 'list', '--db', db], ENV);
    expect(plain.stdout).toContain('No backups yet');

    const r = await runCli(['backup', 'list', '--db', db, '--dir', own], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Folder: ${own} (not the backup folder: retention prunes it only when a backup into it is given --keep)`);
    const line = r.stdout.split('\n').find((l) => l.startsWith(NAME));
    expect(line?.split(/\s{2,}/)).toEqual([NAME, '2025-07-10 23:00:00', 'manual', expect.stringMatching(/^\d+$/), 'with --keep', 'yes']);

    const json = await runCli(['backup', 'list', '--db', db, '--dir', own, '--json'], ENV);
    const list = JSON.parse(json.stdout) as { dir: string; backups: { file: string; hasManifest: boolean }[] };
    expect(list.dir).toBe(own);
    expect(list.backups.map((b) => [b.file, b.hasManifest])).toEqual([[join(own, NAME), true]]);
  });

  it('lists the backup folder as without --dir when --dir names it', async () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    expect((await runCli(['backup', '--db', db], ENV)).code).toBe(0);
    const folder = join(db, '..', 'backups');
    const r = await runCli(['backup', 'list', '--db', db, '--dir', folder], ENV);
    expect(r.stdout).toBe((await runCli(['backup', 'list', '--db', db], ENV)).stdout);
    expect(r.stdout).toContain(`Folder: ${folder}\n`);
    expect(r.stdout.split('\n').find((l) => l.startsWith(NAME))).toContain('  managed  ');
  });

  it('refuses a folder that is not there, or a file, naming it (exit 2)', async () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    const missing = join(tempDir(), 'nowhere');
    const r = await runCli(['backup', 'list', '--db', db, '--dir', missing], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --dir: there is no folder ${missing}; give the folder \`backup --out FOLDER/\` wrote to (or leave --dir out for the backup folder)`);
    const file = join(tempDir(), 'a.sqlite');
    writeFileSync(file, '');
    const f = await runCli(['backup', 'list', '--db', db, '--dir', file], ENV);
    expect(f.code).toBe(2);
    expect(f.stderr).toBe(`error: --dir: ${file} is a file, not a folder; give the folder it is in, or \`batchdesk backup list\` without --dir for the backup folder`);
  });

  it('says no backup can be made when the backup folder cannot be created (backup.dir under a file)', async () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.dir', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(join(blocker, 'backups'))));
    const r = await runCli(['backup', 'list', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`No backups, and none can be made: the backup folder cannot be created (${blocker} is a file, not a folder). Set backup.dir to a folder that can be written, or back up elsewhere with \`batchdesk backup --out FOLDER/ --db ${db}\`.`);
    expect(r.stdout).not.toContain('No backups yet');
  });
});
