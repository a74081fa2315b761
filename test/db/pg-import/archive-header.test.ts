/**
 * Archive headers and table-of-contents entries (pg-import.md 2.1-2.4). Real headers are
 * the ones quoted in pg-import.md 2.2 (PostgreSQL 15 and 18); the rest are built by hand.
 */
import { describe, expect, it } from 'vitest';
import { readArchiveHeader } from '../../../db/pg-import/archive-header';
import { ByteCursor } from '../../../db/pg-import/byte-cursor';
import { BufferByteSource } from '../../../db/pg-import/byte-source';
import { DumpError } from '../../../db/pg-import/dump-error';

function int(v: number, size = 4): number[] {
  const out = [v < 0 ? 1 : 0];
  let m = Math.abs(v);
  for (let i = 0; i < size; i++) {
    out.push(m % 256);
    m = Math.floor(m / 256);
  }
  return out;
}
const str = (s: string | null, size = 4) => (s === null ? int(-1, size) : [...int(Buffer.byteLength(s), size), ...Buffer.from(s)]);

function header(version: number[], size: number, compression: number[], format = 1): Buffer {
  return Buffer.from([
    ...Buffer.from('PGDMP'),
    ...version,
    size,
    8,
    format,
    ...compression,
    ...[5, 4, 3, 28, 10, 125, 0].flatMap((v) => int(v, size)),
    ...str('fixture', size),
    ...str('15.18 (Debian 15.18-0+deb12u1)', size),
    ...str('18.3', size),
  ]);
}

const read = (b: Buffer, format: 1 | 3 = 1) => readArchiveHeader(new ByteCursor(new BufferByteSource(b)), format);

describe('archive header', () => {
  it('PostgreSQL 15: 1.14 with the compression as an int level (−1 = default gzip)', async () => {
    const h = await read(header([1, 14, 0], 4, int(-1)));
    expect(h).toMatchObject({ versionText: '1.14-0', intSize: 4, offSize: 8, compression: 'gzip', compressionLevel: -1, createdLocal: '2025-11-28 03:04:05' });
    expect(h.databaseName!.toString()).toBe('fixture');
    expect((await read(header([1, 14, 0], 4, int(0)))).compression).toBe('none');
  });

  it('PostgreSQL 16+: 1.15/1.16 with an algorithm byte', async () => {
    expect((await read(header([1, 16, 0], 4, [1]))).compression).toBe('gzip');
    expect((await read(header([1, 16, 0], 4, [2]))).compression).toBe('lz4');
    expect((await read(header([1, 15, 0], 4, [3]))).compression).toBe('zstd');
    expect((await read(header([1, 16, 0], 4, [0]))).compressionLevel).toBeNull();
  });

  it('int sizes 1 to 8 are read with a loop', async () => {
    for (const size of [2, 3, 4, 5, 6, 7, 8]) expect((await read(header([1, 14, 0], size, int(5, size)))).intSize).toBe(size);
  });

  it('refuses newer and older versions, bad sizes, format bytes and compression codes', async () => {
    const code = async (b: Buffer, f: 1 | 3 = 1) => ((await read(b, f).catch((e: unknown) => e)) as DumpError).code;
    const e = (await read(header([1, 17, 0], 4, [1])).catch((x: unknown) => x)) as DumpError;
    expect(e.code).toBe('unsupported_version');
    expect(e.message).toContain('1.17.0');
    expect(await code(header([1, 11, 0], 4, int(0)))).toBe('unsupported_version');
    expect(await code(header([2, 0, 0], 4, [0]))).toBe('unsupported_version');
    expect(await code(header([1, 14, 0], 0, []))).toBe('bad_header');
    expect(await code(header([1, 14, 0], 9, []))).toBe('bad_header');
    expect(await code(header([1, 14, 0], 4, int(-1), 5))).toBe('bad_format_byte');
    expect(await code(header([1, 14, 0], 4, int(-1), 3))).toBe('bad_format_byte');
    expect(await read(header([1, 14, 0], 4, int(-1), 3), 3)).toBeTruthy();
    expect(await code(header([1, 16, 0], 4, [4]))).toBe('bad_header');
    expect(await code(header([1, 14, 0], 4, int(42)))).toBe('bad_header');
    expect(await code(Buffer.from('PGDMQ'))).toBe('not_a_dump');
    expect(await code(header([1, 14, 0], 4, int(-1)).subarray(0, 30))).toBe('truncated');
  });

  it('strings: −1 is NULL, 0 is empty, −2 and lengths past the end are errors', async () => {
    const c = (bytes: number[]) => new ByteCursor(new BufferByteSource(Buffer.from(bytes)));
    expect(await c(int(-1)).readStringBytes(4, 100)).toBeNull();
    expect((await c(int(0)).readStringBytes(4, 100))!.length).toBe(0);
    expect(((await c(int(-2)).readStringBytes(4, 100).catch((e: unknown) => e)) as DumpError).code).toBe('bad_length');
    expect(((await c(int(2 ** 31 - 1)).readStringBytes(4, 100).catch((e: unknown) => e)) as DumpError).code).toBe('truncated');
    expect(((await c([...int(5), 1, 2, 3, 4, 5]).readStringBytes(4, 4).catch((e: unknown) => e)) as DumpError).code).toBe('too_large');
    expect(((await c([2, 0, 0, 0, 0]).readInt(4).catch((e: unknown) => e)) as DumpError).code).toBe('bad_length');
  });
});
