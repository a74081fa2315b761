/**
 * `backup --keep N` with `--out` (SPEC.md j.1, j.2, k.2): retention is never silently skipped.
 *   - `--out <folder> --keep N` prunes that folder by j.2's rules (the newest N, those younger
 *     than backup.keep_days, the newest of each reason), only among this database's backups with
 *     a manifest: another database's backups, a backup whose manifest is gone and any other file
 *     stay.
 *   - `--out <folder>` without --keep prunes nothing there (the folder is the user's own), even
 *     when backup.keep would.
 *   - `--out <file> --keep N` outside the backup folder has no folder to prune: a usage error
 *     (exit 2) that says what to do, before anything is written or logged.
 *   - A retention pass (a backup's, also the one after a purge's or a restore's backup) says how
 *     many backup files without a manifest it left, since it never deletes them.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, execOn, SAFE_NOW } from '../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

/** Each backup a minute later, so "newest" is the order they were made in. */
const at = (minute: number) => ({ BATCHDESK_NOW: `2025-07-10T23:${String(minute).padStart(2, '0')}:00Z` });

async function backup(args: readonly string[], minute: number): Promise<{ file: string; deleted: string[] }> {
  const r = await runCli(['backup', ...args, '--json'], at(minute));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('backup --out <folder> --keep N', () => {
  it("prunes that folder's backups of this database by the j.2 rules, and only with --keep", async () => {
    const db = copyTo(seeded);
    const other = copyTo(seeded, 'other.sqlite');
    // backup.keep 1 and no age rule: without --keep, the backup folder would keep just one.
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.keep', '1'), ('backup.keep_days', '0')`).run());
    const folder = join(tempDir(), 'chosen');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'mine');
    // Named as a backup of this database but without a manifest: retention never counts it.
    const bare = join(folder, 'portfolios.sqlite.20250101T000000Z.manual.sqlite');
    writeFileSync(bare, 'x');
    const otherBackup = (await backup(['--db', other, '--out', folder], 0)).file;
    const prePurge = (await backup(['--db', db, '--out', folder, '--reason', 'pre-purge'], 1)).file;
    const manual: string[] = [];
    for (const minute of [2, 3, 4]) {
      const r = await backup(['--db', db, '--out', folder], minute);
      expect(r.deleted).toEqual([]);
      manual.push(r.file);
    }
    const last = await backup(['--db', db, '--out', folder, '--keep', '1'], 5);
    expect([...last.deleted].sort()).toEqual([...manual].sort());
    const left = readdirSync(folder).filter((f) => !f.endsWith('.json'));
    expect(left.sort()).toEqual(['notes.txt', ...[bare, otherBackup, prePurge, last.file].map((f) => f.slice(folder.length + 1))].sort());
    expect(readdirSync(folder).filter((f) => f.endsWith('.json')).sort()).toEqual([otherBackup, prePurge, last.file].map((f) => `${f.slice(folder.length + 1)}.json`).sort());
  });

  it('a retention pass says how many backup files without a manifest it left, to be deleted by hand: backup, purge and restore', async () => {
    const db = copyTo(seeded);
    const folder = join(dirname(db), 'backups');
    mkdirSync(folder);
    const bare = ['portfolios.sqlite.20250101T000000Z.manual.sqlite', 'portfolios.sqlite.20250102T000000Z.pre-purge.sqlite'].map((n) => join(folder, n));
    for (const f of bare) writeFileSync(f, 'x');
    const warning = `warning: retention left 2 backup files without a manifest in ${folder}: retention never deletes them, so delete them by hand when no longer needed (\`batchdesk backup list\` marks them "not managed")`;

    const kept = await runCli(['backup', '--db', db, '--keep', '1', '--json'], at(0));
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toBe(warning);
    expect(JSON.parse(kept.stdout).warnings).toEqual([warning.slice('warning: '.length)]);
    const purged = await runCli(['purge', '--db', db, '--yes'], at(1));
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stderr).toContain(warning);
    const restored = await runCli(['restore', JSON.parse(kept.stdout).file, '--db', db, '--yes'], at(2));
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toContain(warning);
    for (const f of bare) expect(readdirSync(folder)).toContain(f.slice(folder.length + 1));
    // With none left, nothing is said.
    for (const f of bare) rmSync(f);
    const quiet = await runCli(['backup', '--db', db, '--json'], at(3));
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).warnings).toEqual([]);
  });

  it('--keep with an --out file outside the backup folder is a usage error that changes nothing', async () => {
    const db = copyTo(seeded);
    const out = join(tempDir(), 'elsewhere', 'before-rebuild.sqlite');
    const before = tableContents(db);
    const filesBefore = readdirSync(dirname(db)).sort();
    const r = await runCli(['backup', '--db', db, '--out', out, '--keep', '2'], at(0));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --keep prunes the older backups in a folder, but --out ${out} names a file outside the backup folder ${join(dirname(db), 'backups')}, so there is nothing it could apply to; to prune a folder give it as --out (ending in /), or leave out --keep`,
    );
    expect(tableContents(db)).toEqual(before);
    expect(readdirSync(dirname(db)).sort()).toEqual(filesBefore);
    expect(readdirSync(dirname(dirname(out)))).toEqual([]);
  });

  it('the help text says where --keep applies', async () => {
    const r = await runCli(['backup', '--help']);
    expect(r.stdout).toMatch(/--keep N .*in the backup folder, or in the --out folder \(pruned only when --keep is given\).*Refused with an --out file outside the backup folder/);
    expect(r.stdout).toMatch(/--out PATH .*a path ending in \/ \(created when missing\)/);
  });
});

describe('what retention kept, and why', () => {
  it('--keep 1 says the backups it kept beyond the newest by their rule: younger than backup.keep_days, the newest of a reason', async () => {
    const db = copyTo(seeded);
    const folder = join(tempDir(), 'kept');
    mkdirSync(folder);
    await backup(['--db', db, '--out', `${folder}/`, '--reason', 'pre-purge'], 0);
    await backup(['--db', db, '--out', `${folder}/`], 1);
    const text = await runCli(['backup', '--db', db, '--out', `${folder}/`, '--keep', '1'], at(2));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n').filter((l) => l.startsWith('Retention:'))).toEqual(['Retention:  kept 3: the newest 1, 2 younger than 30 days (backup.keep_days)']);

    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.keep_days', '0')`).run());
    const json = await runCli(['backup', '--db', db, '--out', `${folder}/`, '--keep', '1', '--json'], at(3));
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as { kept: unknown; deleted: string[] };
    expect(r.kept).toEqual({ newest: 1, young: 0, newestOfReason: 1, keepDays: 0 });
    expect(r.deleted).toHaveLength(2);
    const again = await runCli(['backup', '--db', db, '--out', `${folder}/`, '--keep', '1'], at(4));
    expect(again.stdout.split('\n').filter((l) => l.startsWith('Retention:'))).toEqual(['Retention:  kept 2: the newest 1, 1 the newest of its reason; deleted 1 older backup(s)']);
  }, 120_000);

  it('an --out file says nothing of retention (none ran), in --json a null', async () => {
    const db = copyTo(seeded);
    const file = join(tempDir(), 'one.sqlite');
    const r = await runCli(['backup', '--db', db, '--out', file, '--json'], at(0));
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { kept: unknown }).kept).toBeNull();
  }, 60_000);
});
