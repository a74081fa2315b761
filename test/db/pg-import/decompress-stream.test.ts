/**
 * Streaming decompression of chunk sequences (pg-import.md 2.7): the chunks of one block are
 * pieces of ONE stream (zlib inflate, not gunzip); gzip files; zstd frames through fzstd.
 * Inputs are made with Node's zlib and the zstd program; outputs must equal the inputs.
 */
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompressStream, type StreamCompression } from '../../../db/pg-import/decompress-stream';
import { DumpError } from '../../../db/pg-import/dump-error';

async function run(kind: StreamCompression, data: Buffer, piece = 4096): Promise<Buffer> {
  async function* pieces() {
    for (let i = 0; i < data.length; i += piece) yield data.subarray(i, i + piece);
  }
  const out: Uint8Array[] = [];
  for await (const p of decompressStream(kind, pieces(), 'test')) out.push(p);
  return Buffer.concat(out);
}

const text = Buffer.from(Array.from({ length: 20000 }, (_, i) => `${i}\tZürich ${i * 31 % 977}\n`).join(''));
const hasZstd = (() => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe('decompressStream', () => {
  it('inflates one zlib stream cut into 4,096-byte chunks (and 1 and 7 bytes)', async () => {
    const z = zlib.deflateSync(text);
    for (const p of [1, 7, 4096]) expect((await run('zlib', z, p)).equals(text)).toBe(true);
  });

  it('gunzips gzip files, also several members', async () => {
    const g = Buffer.concat([zlib.gzipSync(text), zlib.gzipSync(Buffer.from('tail'))]);
    expect((await run('gzip', g)).equals(Buffer.concat([text, Buffer.from('tail')]))).toBe(true);
  });

  it.skipIf(!hasZstd)('decodes zstd frames from the zstd program in pieces', async () => {
    for (const level of ['-1', '-19']) {
      const z = execFileSync('zstd', ['-q', '-c', level], { input: text });
      for (const p of [7, 4096]) expect((await run('zstd', z, p)).equals(text)).toBe(true);
    }
  });

  it('yields nothing for an empty input of any compression', async () => {
    for (const k of ['none', 'zlib', 'gzip', 'lz4', 'zstd'] as const) expect((await run(k, Buffer.alloc(0))).length).toBe(0);
  });

  it('truncated or corrupt streams end in typed errors', async () => {
    const err = async (k: StreamCompression, b: Buffer) => (await run(k, b).then(() => null, (e: unknown) => e)) as DumpError;
    const z = zlib.deflateSync(text);
    expect((await err('zlib', z.subarray(0, z.length - 20))).code).toBe('truncated');
    const bad = Buffer.from(z);
    bad[100] ^= 0xff;
    expect(['decompress_failed', 'truncated']).toContain((await err('zlib', bad)).code);
    expect((await err('zlib', zlib.gzipSync(text))).code).toBe('decompress_failed'); // gzip is not zlib
    if (hasZstd) {
      const zs = execFileSync('zstd', ['-q', '-c'], { input: text });
      expect((await err('zstd', zs.subarray(0, zs.length - 30))).code).toBe('truncated');
      expect((await err('zstd', Buffer.from('not zstd at all'))).code).toBe('decompress_failed');
    }
  });

  it('propagates a typed error raised by the chunk source', async () => {
    async function* failing() {
      yield zlib.deflateSync(text).subarray(0, 100);
      throw new DumpError('truncated', 'source ended');
    }
    const out = await (async () => {
      for await (const _ of decompressStream('zlib', failing(), 'test')) void _;
    })().catch((e: unknown) => e);
    expect(out).toBeInstanceOf(DumpError);
    expect((out as DumpError).message).toBe('source ended');
  });
});
