/**
 * Issue 6 acceptance, value for value: `batchdesk import` of the reference tables in every
 * format gives a database whose every imported value equals PostgreSQL's own text output of
 * the same rows (test/support/import-oracle.ts), and every format gives the same database.
 *
 * - Everywhere (committed fixtures, made by PostgreSQL 15.18 from seed.sql): plain COPY,
 *   --inserts, --column-inserts, custom compressed and uncompressed, directory, tar; gzip,
 *   LZ4 and zstd wrappers; and, by the test archive writer from the real archive, versions
 *   1.12-1.16, piped (no data offsets), LZ4 and zstd data.
 * - With PostgreSQL 15 installed (CI): the full fixture set of make-fixtures.sh, every format
 *   pg_dump writes, against the oracle made in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImportAgainstOracle } from '../support/import-oracle';
import { parseArchive, writeArchive, type WriteOptions } from '../support/pg-archive-writer';
import { COMMITTED, fullFixtures, HAS_LZ4, HAS_POSTGRES, HAS_ZSTD } from '../support/pg-fixtures';
import { runCli } from '../support/cli';

const tmp = mkdtempSync(join(tmpdir(), 'import-formats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };

let n = 0;
async function importToNew(dump: string): Promise<{ db: string; report: Record<string, unknown> }> {
  const db = join(tmp, `import-${++n}.sqlite`);
  const r = await runCli(['import', dump, '--db', db, '--json'], ENV);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return { db, report: JSON.parse(r.stdout).report };
}

/** Stamps the import writes with its clock (pinned by BATCHDESK_NOW, then running). */
const IMPORT_TIME = /^2025-07-0[34]T\d\d:\d\d:\d\d\.\d{6}Z$/;

/**
 * Every table's rows, for comparing two imports: run ids, the import log and the import's
 * own time stamps differ by design (the oracle check covers every imported time stamp).
 */
function contents(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('maintenance_log') ORDER BY name`).all() as { name: string }[]) {
      out[name] = (db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all() as Record<string, unknown>[]).map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'run_id' ? null : typeof v === 'string' && IMPORT_TIME.test(v) ? '<import time>' : v])),
      );
    }
    return out;
  } finally {
    db.close();
  }
}

const REF = join(COMMITTED, 'reference.dump');
let baseline: Record<string, unknown[]>;

beforeAll(async () => {
  const { db } = await importToNew(REF);
  baseline = contents(db);
  const check = await checkImportAgainstOracle(db, COMMITTED, 'fixture', REF);
  expect(Object.keys(check.tables).length).toBe(15);
  expect(check.values).toBeGreaterThan(500);
}, 60_000);

describe('every format of the committed reference dump imports value for value', () => {
  const committed: [string, string][] = [
    ['custom, gzip', 'reference.dump'],
    ['custom, uncompressed (-Z0)', 'reference-z0.dump'],
    ['plain COPY', 'reference-plain.sql'],
    ['plain --inserts', 'reference-inserts.sql'],
    ['plain --column-inserts --rows-per-insert=3', 'reference-column-inserts.sql'],
    ['directory', 'reference-directory'],
    ['tar', 'reference.tar'],
  ];
  it.each(committed)('%s (%s)', async (_label, file) => {
    const { db, report } = await importToNew(join(COMMITTED, file));
    await checkImportAgainstOracle(db, COMMITTED, 'fixture', REF);
    expect(contents(db)).toEqual(baseline);
    expect(report['postSteps']).toMatchObject({ integrityCheck: 'ok' });
  });

  const wrappers: [string, (b: Buffer, out: string) => void, boolean][] = [
    ['gzip', (b, out) => writeFileSync(out, zlib.gzipSync(b)), true],
    ['lz4', (b, out) => execFileSync('lz4', ['-q', '-f', '-', out], { input: b }), HAS_LZ4],
    ['zstd', (b, out) => execFileSync('zstd', ['-q', '-f', '-o', out], { input: b }), HAS_ZSTD],
  ];
  it.each(wrappers.filter((w) => w[2]).flatMap(([kind, wrap]) => ['reference.dump', 'reference-plain.sql', 'reference.tar'].map((f) => [kind, f, wrap] as const)))(
    'a whole file wrapped in %s: %s',
    async (kind, file, wrap) => {
      const out = join(tmp, `${file}.${kind}`);
      wrap(readFileSync(join(COMMITTED, file)), out);
      const { db, report } = await importToNew(out);
      expect(report['wrapper']).toBe(kind);
      expect(contents(db)).toEqual(baseline);
      // the unwrapped copy went next to the database and is gone
      expect(readdirSync(tmp).filter((f) => f.startsWith('batchdesk-dump-'))).toEqual([]);
    },
  );

  const variants: [string, WriteOptions][] = [];
  for (const minor of [12, 13, 14, 15, 16]) {
    variants.push([`1.${minor} uncompressed, piped`, { version: [1, minor, 0], compression: 'none', positions: false, intSize: 8 }]);
    variants.push([`1.${minor} gzip`, { version: [1, minor, 0], compression: 'gzip', positions: true }]);
  }
  for (const minor of [15, 16]) {
    variants.push([`1.${minor} LZ4`, { version: [1, minor, 0], compression: 'lz4', positions: minor === 16, lz4: HAS_LZ4 ? 'cli' : 'lz4js' }]);
    if (HAS_ZSTD) variants.push([`1.${minor} zstd`, { version: [1, minor, 0], compression: 'zstd', positions: minor === 15 }]);
  }
  it.each(variants)('test-writer archive %s', async (label, options) => {
    const out = join(tmp, `${label.replace(/[^\w.]+/g, '_')}.dump`);
    writeFileSync(out, await writeArchive(await parseArchive(readFileSync(REF)), options));
    const { db, report } = await importToNew(out);
    expect(report['archiveVersion']).toBe(`1.${options.version![1]}-0`);
    expect(report['compression']).toBe(options.compression);
    expect(contents(db)).toEqual(baseline);
  });
});

describe.skipIf(!HAS_POSTGRES)('every pg_dump format of the full fixture database, against PostgreSQL 15', () => {
  let dir = '';
  beforeAll(() => {
    dir = fullFixtures();
  }, 180_000);
  let full: Record<string, unknown[]> | null = null;
  it.each([
    'custom.dump',
    'plain.sql',
    'inserts.sql',
    'column-inserts.sql',
    'plain.sql.gz',
    'custom-z0.dump',
    'custom-z9.dump',
    'custom-piped.dump',
    'custom-inserts.dump',
    'quote-all.dump',
    'directory',
    'directory-z0',
    'archive.tar',
  ])('%s', async (file) => {
    const { db, report } = await importToNew(join(dir, file));
    const check = await checkImportAgainstOracle(db, dir, 'fixture', join(dir, 'custom.dump'));
    expect(Object.keys(check.tables).length).toBe(15);
    expect((report['tablesSkipped'] as { table: string }[]).map((t) => t.table)).toEqual(expect.arrayContaining(['public.awkward_text', 'public.bulk_rows', 'extra.positions']));
    const c = contents(db);
    full ??= c;
    expect(c).toEqual(full);
  }, 60_000);
});
