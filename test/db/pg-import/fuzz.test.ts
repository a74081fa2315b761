/**
 * Damaged files (pg-import.md 9.7): real archives mutated at random (seeded, so a failure
 * reproduces) must end in a typed DumpError or a clean read — never another exception, a
 * hang or an out-of-memory. A few thousand cases run in the normal suite; set
 * PG_IMPORT_FUZZ_CASES for more (for example 100000).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildArchiveModel, customAccess, readToc, tarAccess } from '../../../db/pg-import/archive-model';
import { BufferByteSource } from '../../../db/pg-import/byte-source';
import { DumpError } from '../../../db/pg-import/dump-error';
import { DumpReader } from '../../../db/pg-import/dump-reader';
import { buildPlainModel } from '../../../db/pg-import/plain-model';
import { readTarIndex } from '../../../db/pg-import/tar-index';
import { parseArchive, writeArchive } from '../../support/pg-archive-writer';
import { COMMITTED } from '../../support/pg-fixtures';
import { seededRng } from '../../support/calc-random';

const CASES = Number(process.env.PG_IMPORT_FUZZ_CASES ?? 2500);

type Kind = 'custom' | 'tar' | 'plain';

/** Opens a dump held in memory and reads every row of every table. */
async function readAll(bytes: Buffer, kind: Kind): Promise<number> {
  const src = new BufferByteSource(bytes);
  let reader: DumpReader;
  if (kind === 'custom') {
    const toc = await readToc(src, 1);
    reader = new DumpReader(buildArchiveModel({ path: 'fuzz', format: 'custom', wrapper: null, toc, access: customAccess(src, toc, false), hint: undefined, sizeBytes: bytes.length }));
  } else if (kind === 'tar') {
    const members = await readTarIndex(src);
    const m = members.get('toc.dat');
    if (!m) throw new DumpError('not_a_dump', 'no toc.dat');
    const { SliceByteSource } = await import('../../../db/pg-import/byte-source');
    const toc = await readToc(new SliceByteSource(src, m.offset, m.size), 3);
    reader = new DumpReader(buildArchiveModel({ path: 'fuzz', format: 'tar', wrapper: null, toc, access: tarAccess(src, members, false), hint: undefined, sizeBytes: bytes.length }));
  } else {
    reader = new DumpReader(await buildPlainModel({ path: 'fuzz', source: src, wrapper: null, database: undefined, hint: undefined, signal: undefined, closeSource: async () => {} }));
  }
  let rows = 0;
  for (const t of reader.tables()) for await (const b of reader.batches(t, { batchSize: 500 })) rows += b.rows.length;
  return rows;
}

const TIMEOUT_MS = 5000;

/** Ok when the read succeeds or fails with a DumpError; the outcome otherwise. */
async function outcome(bytes: Buffer, kind: Kind): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hang'), TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      readAll(bytes, kind).then(
        () => 'ok' as const,
        (e: unknown) => (e instanceof DumpError ? ('ok' as const) : `crash: ${(e as Error)?.stack ?? String(e)}`),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

let custom: Buffer;
let piped16: Buffer;
let lz4: Buffer;
let zstdOrGzip: Buffer;
let tiny: Buffer;
let tar: Buffer;
let plain: Buffer;

beforeAll(async () => {
  custom = readFileSync(join(COMMITTED, 'custom.dump'));
  tar = readFileSync(join(COMMITTED, 'archive.tar'));
  plain = readFileSync(join(COMMITTED, 'plain.sql'));
  const a = await parseArchive(custom);
  piped16 = await writeArchive(a, { version: [1, 16, 0], intSize: 8, positions: false, compression: 'none' });
  lz4 = await writeArchive(a, { version: [1, 16, 0], positions: true, compression: 'lz4', lz4: 'lz4js' });
  zstdOrGzip = await writeArchive(a, { version: [1, 15, 0], positions: false, compression: 'gzip' });
  // A tiny archive (one table) for truncation at every offset.
  const keep = new Set(['ENCODING', 'STDSTRINGS', 'SEARCHPATH']);
  const table = a.entries.find((e) => e.strings.desc?.toString() === 'TABLE DATA' && e.strings.tag?.toString() === 'awkward_numbers')!;
  const entries = a.entries.filter((e) => keep.has(e.strings.desc?.toString() ?? '') || e === table || (e.strings.desc?.toString() === 'TABLE' && e.strings.tag?.toString() === 'awkward_numbers'));
  tiny = await writeArchive({ ...a, entries, blocks: new Map([[table.dumpId, a.blocks.get(table.dumpId)!]]), blockOrder: [table.dumpId] });
});

describe('damaged dumps end in a typed error, never a crash or a hang', () => {
  it('the unmodified inputs read cleanly', async () => {
    for (const [b, k] of [[custom, 'custom'], [piped16, 'custom'], [lz4, 'custom'], [zstdOrGzip, 'custom'], [tiny, 'custom'], [tar, 'tar'], [plain, 'plain']] as const) {
      expect(await readAll(b, k)).toBeGreaterThan(0);
    }
  });

  it('a small archive truncated at every offset', async () => {
    const failures: string[] = [];
    for (let n = 0; n < tiny.length; n++) {
      const o = await outcome(tiny.subarray(0, n), 'custom');
      if (o !== 'ok') failures.push(`truncated at ${n}: ${o}`);
      else if (n < tiny.length) {
        // a truncated archive must never read cleanly with all its rows
        const full = await readAll(tiny, 'custom');
        const part = await readAll(tiny.subarray(0, n), 'custom').catch(() => -1);
        if (part === full) failures.push(`truncated at ${n} read all ${full} rows`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, 120_000);

  it('targeted damage: lengths −2 and 2^31−1, int size 0 and 9, version 1.17, format byte 5', async () => {
    const patchInt = (b: Buffer, at: number, v: number, intSize = 4) => {
      const c = Buffer.from(b);
      c[at] = v < 0 ? 1 : 0;
      c.writeUInt32LE(Math.abs(v) >>> 0, at + 1);
      void intSize;
      return c;
    };
    const expectCode = async (b: Buffer, codes: string[]) => {
      const e = await readAll(b, 'custom').then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(DumpError);
      expect(codes).toContain((e as DumpError).code);
    };
    // Header of a 1.14 archive: magic 5, version 3, intSize, offSize, format, level int (5), 7 ints (35): db name length at 51.
    expect(custom[8]).toBe(4);
    await expectCode(patchInt(custom, 51, -2), ['bad_length']);
    await expectCode(patchInt(custom, 51, 2 ** 31 - 1), ['truncated', 'too_large']);
    const intSize0 = Buffer.from(custom);
    intSize0[8] = 0;
    await expectCode(intSize0, ['bad_header']);
    const intSize9 = Buffer.from(custom);
    intSize9[8] = 9;
    await expectCode(intSize9, ['bad_header']);
    const v117 = Buffer.from(custom);
    v117[6] = 17;
    const e117 = (await readAll(v117, 'custom').catch((x: unknown) => x)) as DumpError;
    expect(e117.code).toBe('unsupported_version');
    expect(e117.message).toContain('1.17.0');
    const fmt5 = Buffer.from(custom);
    fmt5[10] = 5;
    await expectCode(fmt5, ['bad_format_byte']);
    // TOC entry count
    const src = new BufferByteSource(custom);
    const toc = await readToc(src, 1);
    const firstData = toc.entries.find((e) => e.dataOffset?.flag === 2)!;
    const blockAt = firstData.dataOffset!.value;
    // chunk length right after the block header (type byte + dumpId int)
    await expectCode(patchInt(custom, blockAt + 6, -2), ['bad_length']);
    await expectCode(patchInt(custom, blockAt + 6, 2 ** 31 - 1), ['truncated']);
    const wrongType = Buffer.from(custom);
    wrongType[blockAt] = 7;
    await expectCode(wrongType, ['unknown_block_type']);
    const wrongId = patchInt(custom, blockAt + 1, 99999);
    await expectCode(wrongId, ['dumpid_mismatch']);
    // a position beyond the file
    await expectCode(Buffer.from(custom.subarray(0, blockAt + 3)), ['truncated', 'bad_length', 'missing_data']);
  });

  it(`random mutations (${CASES} seeded cases)`, async () => {
    const rnd = seededRng(20250701).next;
    const inputs: [Buffer, Kind][] = [
      [custom, 'custom'],
      [piped16, 'custom'],
      [lz4, 'custom'],
      [zstdOrGzip, 'custom'],
      [tar, 'tar'],
      [plain, 'plain'],
    ];
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const [src, kind] = inputs[Math.floor(rnd() * inputs.length)]!;
      const b = Buffer.from(src);
      const mode = rnd();
      let desc: string;
      if (mode < 0.25) {
        const n = Math.floor(rnd() * b.length);
        desc = `truncate ${n}`;
        const o = await outcome(b.subarray(0, n), kind);
        if (o !== 'ok') failures.push(`case ${i} ${kind} ${desc}: ${o}`);
        continue;
      } else if (mode < 0.6) {
        // flips in the header and table of contents (the first 40 %)
        const flips = 1 + Math.floor(rnd() * 4);
        const at: number[] = [];
        for (let k = 0; k < flips; k++) {
          const p = Math.floor(rnd() * b.length * 0.4);
          b[p] = Math.floor(rnd() * 256);
          at.push(p);
        }
        desc = `flip head ${at.join(',')}`;
      } else if (mode < 0.85) {
        const flips = 1 + Math.floor(rnd() * 8);
        const at: number[] = [];
        for (let k = 0; k < flips; k++) {
          const p = Math.floor(rnd() * b.length);
          b[p] = b[p]! ^ (1 << Math.floor(rnd() * 8));
          at.push(p);
        }
        desc = `bitflip ${at.join(',')}`;
      } else {
        const p = Math.floor(rnd() * (b.length - 5));
        const v = [0xff, 0x7f, 0x80, 0x00][Math.floor(rnd() * 4)]!;
        b.fill(v, p, p + 1 + Math.floor(rnd() * 5));
        desc = `fill ${p} ${v}`;
      }
      const o = await outcome(b, kind);
      if (o !== 'ok') failures.push(`case ${i} ${kind} ${desc}: ${o}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, 600_000);
});
