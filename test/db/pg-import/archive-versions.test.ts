/**
 * Archive versions 1.12-1.16, int sizes 1-8, archives without data positions, LZ4 and zstd
 * (pg-import.md 2.3, 2.6, 2.7, 9.4). PostgreSQL 15 writes only 1.14 + gzip, so the variants
 * are written by the test-only writer from a real archive; the oracle is the text rows the
 * reader decodes from the original (which the open-dump tests compare with PostgreSQL).
 * The writer is checked itself: unchanged re-writing reproduces real archives byte for byte,
 * and PostgreSQL 15's pg_restore lists and restores a 1.14 archive it wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDump } from '../../../db/pg-import/open-dump';
import type { DumpReader } from '../../../db/pg-import/dump-reader';
import { parseArchive, writeArchive, type Compression, type RawArchive, type WriteOptions } from '../../support/pg-archive-writer';
import { COMMITTED, HAS_LZ4, HAS_POSTGRES, HAS_ZSTD, PG_BIN, readOracle, sortRows } from '../../support/pg-fixtures';
import { startPgCluster } from '../../support/pg-cluster';
import { tableKey, textRows } from '../../support/dump-rows';

const tmp = mkdtempSync(join(tmpdir(), 'pg-import-versions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let original: RawArchive;
let expected: Map<string, (string | null)[][]>;

async function allText(r: DumpReader, order: 'forward' | 'reverse' = 'forward'): Promise<Map<string, (string | null)[][]>> {
  const out = new Map<string, (string | null)[][]>();
  const tables = [...r.tables()];
  if (order === 'reverse') tables.reverse();
  for (const t of tables) out.set(tableKey(t), await textRows(r, t));
  return out;
}

async function writeAndOpen(name: string, a: RawArchive, o: WriteOptions): Promise<DumpReader> {
  const p = join(tmp, name);
  writeFileSync(p, await writeArchive(a, o));
  return openDump(p);
}

beforeAll(async () => {
  original = await parseArchive(readFileSync(join(COMMITTED, 'custom.dump')));
  const r = await openDump(join(COMMITTED, 'custom.dump'));
  expected = await allText(r);
  await r.close();
});

describe('the test archive writer', () => {
  it.each(['custom.dump', 'custom-z0.dump', 'custom-piped.dump', 'custom-inserts.dump', 'data-only.dump', 'reference.dump'])(
    're-writes %s byte for byte',
    async (file) => {
      const bytes = readFileSync(join(COMMITTED, file));
      expect((await writeArchive(await parseArchive(bytes))).equals(bytes)).toBe(true);
    },
  );

  it.skipIf(!HAS_POSTGRES)('writes 1.14 archives (int size 8, no positions) that pg_restore 15 lists and restores', async () => {
    const out = join(tmp, 'for-pg-restore.dump');
    writeFileSync(out, await writeArchive(original, { version: [1, 14, 0], intSize: 8, positions: false, compression: 'gzip' }));
    const restore = join(PG_BIN, 'pg_restore');
    const list = execFileSync(restore, ['-l', out]).toString();
    expect(list).toMatch(/Format: CUSTOM/);
    expect(list).toMatch(/Integer: 8 bytes/);
    expect(list).toMatch(/TABLE DATA public awkward_text/);
    const script = (f: string) => execFileSync(restore, ['-f', '-', '-a', f]).toString().replace(/\\(un)?restrict \S+/g, '');
    expect(script(out)).toBe(script(join(COMMITTED, 'custom.dump')));
    const pg = startPgCluster();
    try {
      pg.psql('postgres', 'CREATE DATABASE restored');
      // pg_dump -t leaves out schemas and types; the restore target gets them first.
      pg.psql('restored', `CREATE SCHEMA extra; CREATE TYPE public.mood AS ENUM ('happy', 'it''s odd', 'with,comma', 'sad "quoted"')`);
      pg.run('pg_restore', ['-d', 'restored', '--no-owner', out]);
      for (const table of ['awkward_text', 'awkward_numbers', 'awkward_times', 'awkward_misc', 'measurements_2024']) {
        const cols = pg
          .psql('restored', `SELECT string_agg(format('%I::text', column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${table}' AND is_generated = 'NEVER'`)
          .trim();
        const rows = pg
          .psql('restored', `SELECT json_build_array(${cols}) FROM public.${table}`)
          .split('\n')
          .filter((l) => l)
          .map((l) => JSON.parse(l) as (string | null)[]);
        expect(sortRows(rows), table).toEqual(sortRows(readOracle(COMMITTED, 'fixture', 'public', table)));
      }
    } finally {
      pg.stop();
    }
  });
});

describe('reading every archive version and layout', () => {
  const combos: [string, [number, number, number], number, boolean, Compression][] = [];
  for (const minor of [12, 13, 14]) {
    for (const compression of ['none', 'gzip'] as const) {
      combos.push([`1.${minor} ${compression} int4 positions`, [1, minor, 0], 4, true, compression]);
      combos.push([`1.${minor} ${compression} int8 piped`, [1, minor, 0], 8, false, compression]);
    }
  }
  for (const minor of [15, 16]) {
    for (const compression of ['none', 'gzip', 'lz4', 'zstd'] as const) {
      combos.push([`1.${minor} ${compression} int4 positions`, [1, minor, 255], 4, true, compression]);
      combos.push([`1.${minor} ${compression} int8 piped`, [1, minor, 0], 8, false, compression]);
    }
  }
  // zstd archives need the zstd program to be made (CI installs it); LZ4 falls back to lz4js.
  it.each(combos.filter((c) => c[4] !== 'zstd' || HAS_ZSTD))('%s', async (name, version, intSize, positions, compression) => {
    const r = await writeAndOpen(`${name.replace(/ /g, '_')}.dump`, original, { version, intSize, positions, compression, lz4: HAS_LZ4 ? 'cli' : 'lz4js' });
    expect(r.facts.archiveVersion).toBe(`${version[0]}.${version[1]}-${version[2]}`);
    expect(r.facts.compression).toBe(compression);
    expect(await allText(r, positions ? 'forward' : 'reverse')).toEqual(expected);
    await r.close();
  });

  it('int sizes 2 to 8 and offset sizes 2 to 8', async () => {
    for (const intSize of [2, 3, 5, 6, 7]) {
      const r = await writeAndOpen(`int${intSize}.dump`, original, { intSize, offSize: Math.max(2, intSize), compression: 'keep' });
      expect(await allText(r)).toEqual(expected);
      await r.close();
    }
  });

  it('LZ4 frames from lz4js (4 MB independent blocks) read the same', async () => {
    const r = await writeAndOpen('lz4js.dump', original, { version: [1, 16, 0], compression: 'lz4', lz4: 'lz4js', positions: false });
    expect(await allText(r, 'reverse')).toEqual(expected);
    await r.close();
  });

  it('piped 1.16 archives skip several large-object blocks (type 3) on the way to a table', async () => {
    const a: RawArchive = { ...original, entries: [...original.entries], blocks: new Map(original.blocks), blockOrder: [...original.blockOrder] };
    const template = a.entries.find((e) => e.strings.desc?.toString() === 'TABLE DATA')!;
    const blobIds = [9001, 9002, 9003];
    for (const id of blobIds) {
      a.entries.unshift({
        ...template,
        dumpId: id,
        strings: { ...template.strings, tag: Buffer.from('BLOBS'), desc: Buffer.from('BLOBS'), copyStmt: Buffer.from(''), namespace: null },
        dependencies: [],
      });
      a.blocks.set(id, {
        type: 3,
        blobs: [
          // the source archive is gzip-compressed: each large object is its own zlib stream
          { oid: id * 10, chunks: [zlib.deflateSync(Buffer.from('x'.repeat(5000)))] },
          { oid: id * 10 + 1, chunks: [] },
          { oid: id * 10 + 2, chunks: [zlib.deflateSync(Buffer.from('abcdef'))] },
        ],
      });
      a.blockOrder.unshift(id);
    }
    for (const [positions, compression] of [[false, 'none'], [true, 'zstd'], [false, 'keep']] as const) {
      if (compression === 'zstd' && !HAS_ZSTD) continue;
      const r = await writeAndOpen(`blobs-${positions}-${compression}.dump`, a, { version: [1, 16, 0], positions, compression });
      expect(r.tables().map(tableKey)).not.toContain('public.BLOBS');
      expect(await allText(r, 'reverse')).toEqual(expected);
      await r.close();
    }
  });
});
