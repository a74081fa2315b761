/**
 * Verified backups (SPEC.md j.1, j.2) on real files: the manifest's SHA-256 matches the file,
 * the copy is a self-contained file with the source's row counts, a backup while another
 * process holds the run lock is a mid-run image (warned, counts not compared), and retention
 * deletes the oldest backups with their manifests.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256File, verifyDatabaseFile } from '../../../db/maintenance/database-file';
import { runCli } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, ENV, execOn, holdLockInChild, readJson, rowCountsOf, SAFE_NOW } from '../../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('backup', () => {
  it('names a second backup of the same second apart instead of refusing it (a pinned clock gives every backup that second)', async () => {
    const db = copyTo(seeded);
    const files = [];
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['backup', '--db', db, '--json'], ENV);
      expect(r.code, r.stderr).toBe(0);
      files.push(basename(JSON.parse(r.stdout).file as string));
    }
    expect(files).toEqual(['portfolios.sqlite.20250710T230000Z.manual.sqlite', 'portfolios.sqlite.20250710T230000Z-2.manual.sqlite', 'portfolios.sqlite.20250710T230000Z-3.manual.sqlite']);
  });

  it('writes a verified copy and a manifest whose checksum matches the file', async () => {
    const db = copyTo(seeded);
    const r = await runCli(['backup', '--db', db, '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const { file } = JSON.parse(r.stdout);
    expect(basename(file)).toBe('portfolios.sqlite.20250710T230000Z.manual.sqlite');
    expect(dirname(file)).toBe(join(dirname(db), 'backups'));
    const m = readJson(`${file}.json`);
    expect(m.sha256).toBe(sha256File(file));
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(verifyDatabaseFile(file).ok).toBe(true);
    const { maintenance_log: _a, ...source } = rowCountsOf(db);
    const { maintenance_log: _b, ...copy } = rowCountsOf(file);
    expect(copy).toEqual(source);
  });

  it('during a run held by another process: a mid-run image with a warning', async () => {
    const db = copyTo(seeded);
    const holder = await holdLockInChild(db);
    try {
      const r = await runCli(['backup', '--db', db, '--json'], ENV);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/mid-run image/);
      expect(JSON.parse(r.stdout).manifest).toMatchObject({ mid_run: true, row_counts_verified: false });
    } finally {
      await holder.stop();
    }
  });

  it('retention keeps the newest N (and the newest of each reason) and deletes the rest with their manifests', async () => {
    const db = copyTo(seeded);
    const files: string[] = [];
    // The real clock: a pinned BATCHDESK_NOW restarts at the same instant in every command, so
    // the backups' creation order would be arbitrary.
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['backup', '--db', db, '--out', join(dirname(db), 'backups', `portfolios.old${i}.manual.sqlite`), '--json']);
      expect(r.code, r.stderr).toBe(0);
      files.push(JSON.parse(r.stdout).file);
    }
    // All made "now": keep_days keeps them; with keep_days 0 only the newest 2 and newest per reason stay.
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.keep_days', '0')`).run());
    const r = await runCli(['backup', '--db', db, '--keep', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.deleted).toHaveLength(2);
    expect(out.deleted.map((f: string) => f.split('/').pop()).sort()).toEqual(['portfolios.old0.manual.sqlite', 'portfolios.old1.manual.sqlite']);
    const left = readdirSync(join(dirname(db), 'backups')).filter((f) => f.endsWith('.sqlite'));
    expect(left).toHaveLength(2);
    for (const d of out.deleted) expect(existsSync(`${d}.json`)).toBe(false);
  });
});
