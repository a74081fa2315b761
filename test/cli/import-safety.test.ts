/**
 * Issue 6 acceptance, bad input and atomicity (SPEC.md j.7, k.3, m.15, m.22):
 * - every bad input gives exit code 5 and a message naming the problem, and leaves no file
 *   and no row behind: no database, no `.importing` file, no unpacked temporary folder, no
 *   backup; a database given to --replace or --merge keeps its content checksums (m.12), its
 *   row counts (the maintenance log too) and its folder listing;
 * - --replace swaps the file only when the whole import worked, after a verified pre-import
 *   backup that holds the old content; --merge is one transaction (skip or replace on
 *   conflict); both refuse with exit code 3 while another process holds the lock;
 * - target rules: an existing --db, or an existing default database without --merge or
 *   --replace, is a usage error (2); a --db in a missing folder is exit 5;
 * - --dry-run prints the plan and writes nothing; --report saves the JSON report; the report
 *   is stored in maintenance_log.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { parseArchive, writeArchive } from '../support/pg-archive-writer';
import { COMMITTED } from '../support/pg-fixtures';
import { checksumsOf, execOn, holdLockInChild, isAscii, readJson, rowCountsOf } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };
const REF = join(COMMITTED, 'reference.dump');
const bad = tempDir('import-bad-');
afterAll(() => rmSync(bad, { recursive: true, force: true }));

/** The bad inputs of the issue, each with the words its message must contain. */
const BAD: Record<string, { file: string; message: RegExp }> = {};

beforeAll(async () => {
  const archive = readFileSync(REF);
  const put = (name: string, bytes: Buffer | string, message: RegExp) => {
    writeFileSync(join(bad, name), bytes);
    BAD[name] = { file: join(bad, name), message };
  };
  // cut after several tables' data: the first tables would load before the failure
  put('truncated.dump', archive.subarray(0, Math.floor(archive.length * 0.6)), /truncated|ends|unexpected end/i);
  const a = await parseArchive(archive);
  const prices = a.entries.find((e) => e.strings.tag?.toString() === 'market_data_cache' && e.strings.desc?.toString() === 'TABLE DATA')!;
  const block = a.blocks.get(prices.dumpId)!;
  if (block.type !== 1) throw new Error('expected a data block');
  const chunk = Buffer.from(block.chunks[0]!);
  chunk.fill(0xff, Math.floor(chunk.length / 2), Math.floor(chunk.length / 2) + 12);
  a.blocks.set(prices.dumpId, { type: 1, chunks: [chunk] });
  put('corrupt-chunk.dump', await writeArchive(a, { compression: 'keep' }), /market_data_cache/);
  const magic = Buffer.from(archive);
  magic.write('PGDMX', 0, 'latin1');
  put('wrong-magic.dump', magic, /not a PostgreSQL dump|PGDMP/);
  const future = Buffer.from(archive);
  future[6] = 17; // version 1.17
  put('future-version.dump', future, /archive version 1\.17\.0 is newer/);
  const plain = readFileSync(join(COMMITTED, 'reference-plain.sql'), 'latin1');
  const copy = plain.indexOf('COPY public.market_data_cache');
  put('cut-in-copy.sql', Buffer.from(plain.slice(0, plain.indexOf('\n', plain.indexOf('\n', copy) + 1) + 1), 'latin1'), /ends inside the COPY data of public\.\w+ without the \\. end marker; the file is truncated/);
  // Cut between statements: every statement is whole, only pg_dump's closing lines tell.
  const inserts = readFileSync(join(COMMITTED, 'reference-inserts.sql'), 'latin1');
  const firstPosition = inserts.indexOf('INSERT INTO public.positions');
  put('cut-between-inserts.sql', Buffer.from(inserts.slice(0, inserts.indexOf('\n', firstPosition) + 1), 'latin1'), /does not end with its \\unrestrict line: the file is truncated/);
  const noRestrict = plain.replace(/^\\(un)?restrict .*\n/gm, '');
  put('cut-before-trailer.sql', Buffer.from(noRestrict.slice(0, noRestrict.indexOf('-- PostgreSQL database dump complete')), 'latin1'), /does not end with pg_dump's "-- PostgreSQL database dump complete" line: the file is truncated/);
  BAD['other-schema.dump'] = { file: join(COMMITTED, 'custom.dump'), message: /none of batchdesk's tables in schema public.*--allow-empty/ };
  BAD['missing-file'] = { file: join(bad, 'no-such.dump'), message: /no-such\.dump does not exist/ };
  mkdirSync(join(bad, 'empty-folder'));
  BAD['not-a-dump-folder'] = { file: join(bad, 'empty-folder'), message: /without toc\.dat/ };
  BAD['path-under-a-file'] = { file: join(bad, 'truncated.dump', 'inner'), message: /does not exist/ };
}, 60_000);

/** A folder with an imported reference database, closed. */
async function liveDatabase(): Promise<{ dir: string; db: string }> {
  const dir = tempDir('import-live-');
  const db = join(dir, 'portfolios.sqlite');
  const r = await runCli(['import', REF, '--db', db, '--quiet'], ENV);
  expect(r.code, r.stderr).toBe(0);
  return { dir, db };
}

function snapshot(dir: string, db: string) {
  return { checksums: checksumsOf(db), counts: rowCountsOf(db), files: readdirSync(dir, { recursive: true }).map(String).sort() };
}

describe('bad input: exit code 5, a message naming the problem, nothing left behind', () => {
  it.each(['truncated.dump', 'corrupt-chunk.dump', 'wrong-magic.dump', 'future-version.dump', 'cut-in-copy.sql', 'cut-between-inserts.sql', 'cut-before-trailer.sql', 'other-schema.dump', 'missing-file', 'not-a-dump-folder', 'path-under-a-file'])(
    '%s into a new file',
    async (name) => {
      const { file, message } = BAD[name]!;
      const dir = tempDir('import-new-');
      const db = join(dir, 'new.sqlite');
      const r = await runCli(['import', file, '--db', db], ENV);
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toMatch(/^error: import failed: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/nothing was changed/);
      expect(isAscii(r.stderr + r.stdout)).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it.each(['truncated.dump', 'corrupt-chunk.dump', 'cut-in-copy.sql', 'cut-between-inserts.sql', 'cut-before-trailer.sql', 'future-version.dump', 'other-schema.dump'])('%s with --replace and with --merge: the database is unchanged', async (name) => {
    const { file, message } = BAD[name]!;
    const { dir, db } = await liveDatabase();
    const before = snapshot(dir, db);
    for (const mode of ['--replace', '--merge']) {
      const r = await runCli(['import', file, '--db', db, mode], ENV);
      expect(r.code, `${mode}: ${r.stderr}`).toBe(5);
      expect(r.stderr).toMatch(message);
      expect(snapshot(dir, db), mode).toEqual(before);
    }
  });

  it('a dump with none of our tables imports with --allow-empty (nothing from the dump)', async () => {
    const dir = tempDir('import-empty-');
    const db = join(dir, 'empty.sqlite');
    const r = await runCli(['import', join(COMMITTED, 'custom.dump'), '--db', db, '--allow-empty', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout).report;
    expect(report.tables).toEqual([]);
    expect(report.tablesSkipped.map((t: { table: string }) => t.table)).toEqual(expect.arrayContaining(['public.awkward_text', 'extra.positions']));
    expect(rowCountsOf(db)['users']).toBe(0);
    expect(rowCountsOf(db)['portfolios']).toBe(0);
  });
});

describe('--replace and --merge', () => {
  it('--replace: a verified pre-import backup of the old content, then the new file in its place', async () => {
    const { dir, db } = await liveDatabase();
    execOn(db, (d) => d.prepare(`UPDATE portfolios SET name = 'changed locally' WHERE id = 'a1000000-0000-4000-8000-000000000001'`).run());
    const old = checksumsOf(db);
    const fresh = join(tempDir('import-fresh-'), 'fresh.sqlite');
    expect((await runCli(['import', REF, '--db', fresh, '--quiet'], ENV)).code).toBe(0);

    const r = await runCli(['import', REF, '--db', db, '--replace', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['backups', 'portfolios.sqlite']);
    const out = JSON.parse(r.stdout);
    expect(out.mode).toBe('replace');
    expect(out.backupFile).toMatch(/backups\/portfolios\.sqlite\.\d{8}T\d{6}Z\.pre-import\.sqlite$/);
    expect(checksumsOf(out.backupFile)).toEqual(old);
    expect(readJson(`${out.backupFile}.json`)).toMatchObject({ reason: 'pre-import', integrity: 'ok', row_counts_verified: true });
    expect(checksumsOf(db)).toEqual(checksumsOf(fresh));
    expect(rowCountsOf(db)['run_lock']).toBe(0);
    execOn(db, (d) => {
      const log = d.prepare(`SELECT details FROM maintenance_log WHERE operation = 'import'`).all() as { details: string }[];
      expect(log).toHaveLength(1);
      expect(JSON.parse(log[0]!.details)).toMatchObject({ mode: 'replace', preImportBackup: out.backupFile, resultFile: db });
    });
  });

  it('--merge: one transaction, skip or replace on conflict, after a pre-import backup; the report is logged', async () => {
    const { dir, db } = await liveDatabase();
    const counts = rowCountsOf(db);
    const skip = await runCli(['import', join(COMMITTED, 'reference-inserts.sql'), '--db', db, '--merge', '--json'], ENV);
    expect(skip.code, skip.stderr).toBe(0);
    const s = JSON.parse(skip.stdout);
    expect(s.backupFile).toMatch(/\.pre-import\.sqlite$/);
    expect(s.report.tables.find((t: { table: string }) => t.table === 'users')).toMatchObject({ rowsRead: 2, imported: 0, skipped: { exists: 2 } });
    const after = rowCountsOf(db);
    for (const t of Object.keys(counts)) if (t !== 'maintenance_log') expect(after[t], t).toBe(counts[t]);
    execOn(db, (d) => d.prepare(`UPDATE portfolios SET name = 'changed locally' WHERE id = 'a1000000-0000-4000-8000-000000000001'`).run());
    const replace = await runCli(['import', REF, '--db', db, '--merge', '--on-conflict', 'replace'], ENV);
    expect(replace.code, replace.stderr).toBe(0);
    expect(replace.stdout).toMatch(/merged, on conflict replace/);
    execOn(db, (d) => {
      expect(d.prepare(`SELECT name FROM portfolios WHERE id = 'a1000000-0000-4000-8000-000000000001'`).get()).toEqual({ name: 'Growth' });
      const ops = d.prepare(`SELECT operation, status FROM maintenance_log ORDER BY id`).all();
      expect(ops).toEqual([
        { operation: 'import', status: 'success' },
        { operation: 'backup', status: 'success' },
        { operation: 'import', status: 'success' },
        { operation: 'backup', status: 'success' },
        { operation: 'import', status: 'success' },
      ]);
    });
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(2);
  });

  it("the pre-import backup's warnings reach the import report: --replace and --merge, printed and in --json", async () => {
    const { dir, db } = await liveDatabase();
    const folder = join(dir, 'backups');
    mkdirSync(folder);
    // Named as a backup of this database but without a manifest: retention never deletes it, and says so.
    writeFileSync(join(folder, 'portfolios.sqlite.20250101T000000Z.manual.sqlite'), 'x');
    const warning = `pre-import backup: retention left 1 backup file without a manifest in ${folder}: retention never deletes it, so delete it by hand when no longer needed (\`batchdesk backup list\` marks it "not managed")`;
    const replaced = await runCli(['import', REF, '--db', db, '--replace', '--json'], ENV);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout).report.warnings).toContain(warning);
    const merged = await runCli(['import', REF, '--db', db, '--merge'], ENV);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`  warning: ${warning}`);
  });

  it('--replace and --merge refuse with exit code 3 while another process holds the lock; nothing changes', async () => {
    const { dir, db } = await liveDatabase();
    const holder = await holdLockInChild(db);
    try {
      const before = snapshot(dir, db);
      for (const mode of ['--replace', '--merge']) {
        const r = await runCli(['import', REF, '--db', db, mode], ENV);
        expect(r.code, r.stderr).toBe(3);
        expect(r.stderr).toMatch(/locked by another run/);
        expect(snapshot(dir, db)).toEqual(before);
      }
    } finally {
      await holder.stop();
    }
  });
});

describe('targets, flags and outputs', () => {
  it('an existing --db, or an existing default database without --merge/--replace, is a usage error', async () => {
    const { db } = await liveDatabase();
    const r = await runCli(['import', REF, '--db', db], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists; import into a new file, or pass --replace .* or --merge/);

    const home = tempDir('import-home-');
    const env = { ...ENV, XDG_CONFIG_HOME: home, BATCHDESK_DB: undefined, APPDATA: home };
    const first = await runCli(['import', REF, '--quiet'], env);
    expect(first.code, first.stderr).toBe(0);
    const defaultDb = join(home, 'batchdesk', 'portfolios.sqlite');
    expect(existsSync(defaultDb)).toBe(true);
    const before = checksumsOf(defaultDb);
    const again = await runCli(['import', REF], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/the default database .*portfolios\.sqlite already exists; pass --merge .* --replace .* or --db NEW\.sqlite/);
    expect(checksumsOf(defaultDb)).toEqual(before);
    expect((await runCli(['import', REF, '--merge', '--quiet'], env)).code).toBe(0);
  });

  it('a --db in a missing folder is exit 5; conflicting flags are usage errors', async () => {
    const dir = tempDir('import-flags-');
    const missing = await runCli(['import', REF, '--db', join(dir, 'no', 'such', 'x.sqlite')], ENV);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/the folder .*no\/such does not exist/);
    const both = await runCli(['import', REF, '--db', join(dir, 'a.sqlite'), '--merge', '--replace'], ENV);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--merge and --replace exclude each other/);
    const conflict = await runCli(['import', REF, '--db', join(dir, 'a.sqlite'), '--on-conflict', 'replace'], ENV);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/--on-conflict .*applies only with --merge/);
    const value = await runCli(['import', REF, '--db', join(dir, 'a.sqlite'), '--merge', '--on-conflict', 'newest'], ENV);
    expect(value.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--dry-run prints the plan and writes nothing; --report saves the JSON report', async () => {
    const dir = tempDir('import-plan-');
    const db = join(dir, 'p.sqlite');
    const plan = await runCli(['import', REF, '--db', db, '--dry-run'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/public\.users -> users: 2 rows before the table rules \(COPY data, \d+ bytes of data\)/);
    expect(plan.stdout).toMatch(/public\.market_data_cache -> market_data_cache: 8 rows before the table rules/);
    expect(plan.stdout).toMatch(/columns not kept: hashed_password, clerk_user_id, tier/);
    expect(plan.stdout).toMatch(/numeric -> REAL \(round-trip checked, lossy values reported\): .*equity_balance/);
    expect(plan.stdout).toMatch(/tables skipped: .*public\.symbol_universe \(not in batchdesk\)/);
    expect(readdirSync(dir)).toEqual([]);
    const refused = await runCli(['import', join(COMMITTED, 'custom.dump'), '--db', db, '--dry-run'], ENV);
    expect(refused.code).toBe(5);
    // the dry run reads the data to count rows, so a damaged dump fails it as it would the import
    const damaged = await runCli(['import', BAD['truncated.dump']!.file, '--db', db, '--dry-run'], ENV);
    expect(damaged.code).toBe(5);
    expect(readdirSync(dir)).toEqual([]);

    const reportFile = join(dir, 'report.json');
    const r = await runCli(['import', REF, '--db', db, '--report', reportFile], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/users: read 2, imported 2/);
    expect(r.stdout).toMatch(/integrity check: ok/);
    const saved = readJson(reportFile);
    expect(saved).toMatchObject({ source: REF, format: 'custom', mode: 'new', resultFile: db, backupFile: null });
    execOn(db, (d) => {
      const row = d.prepare(`SELECT details FROM maintenance_log WHERE operation = 'import'`).get() as { details: string };
      expect(JSON.parse(row.details).tables).toEqual(saved.tables);
    });
    // A missing folder for the report is made, as for backups and event logs.
    const noFolder = await runCli(['import', REF, '--db', join(dir, 'q.sqlite'), '--report', join(dir, 'none', 'r.json')], ENV);
    expect(noFolder.code, noFolder.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'none', 'r.json'), 'utf8'))).toMatchObject({ source: REF, mode: 'new' });
    // A report path under a file is refused before anything is imported.
    const underFile = await runCli(['import', REF, '--db', join(dir, 'u.sqlite'), '--report', join(dir, 'q.sqlite', 'r.json')], ENV);
    expect(underFile.code).toBe(5);
    expect(underFile.stderr).toContain('is a file, not a folder; choose another --report path');
    expect(existsSync(join(dir, 'u.sqlite'))).toBe(false);
  });
});
