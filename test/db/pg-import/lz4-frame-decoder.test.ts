/**
 * LZ4 frames (pg-import.md 2.7). Frames are made by two independent encoders, the `lz4`
 * program (64 KB linked blocks like pg_dump, `-B4 -BD`, and its defaults) and lz4js; the
 * decoded bytes must equal the input. Damaged frames fail with typed errors.
 */
/// <reference path="../../../db/pg-import/lz4js.d.ts" />
import { execFileSync } from 'node:child_process';
import lz4js from 'lz4js';
import { describe, expect, it } from 'vitest';
import { DumpError } from '../../../db/pg-import/dump-error';
import { decodeLz4Block, decodeLz4Frames } from '../../../db/pg-import/lz4-frame-decoder';

async function decode(frame: Uint8Array, piece = 4096): Promise<Buffer> {
  async function* pieces() {
    for (let i = 0; i < frame.length; i += piece) yield frame.subarray(i, i + piece);
  }
  const out: Uint8Array[] = [];
  for await (const p of decodeLz4Frames(pieces(), 'test')) out.push(p);
  return Buffer.concat(out);
}

/** ~1 MB of COPY-like text: repetitive enough for long matches, varied enough to span blocks. */
function sample(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < 15000; i++) lines.push(`${i}\tSYM${i % 97}\t2024-01-${String((i % 28) + 1).padStart(2, '0')}\t${((i * 7919) % 100003) / 97}\tZürich 🚀`);
  return Buffer.from(lines.join('\n'));
}

const hasLz4 = (() => {
  try {
    execFileSync('lz4', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe('LZ4 frame decoder', () => {
  const data = sample();

  it.skipIf(!hasLz4)('decodes the lz4 program output (linked 64 KB blocks, and the default settings)', async () => {
    for (const args of [['-B4', '-BD'], [], ['-B4', '--no-frame-crc', '-BX']]) {
      const frame = execFileSync('lz4', ['-q', '-c', ...args], { input: data });
      for (const piece of [1, 7, 4096, 1 << 20]) {
        if (piece === 1 && args.length > 0) continue; // one byte at a time is slow; once is enough
        expect((await decode(frame, piece)).equals(data)).toBe(true);
      }
    }
  }, 60_000);

  it('decodes lz4js frames and several concatenated frames with a skippable frame between', async () => {
    const a = Buffer.from(lz4js.compress(data));
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const b = Buffer.from(lz4js.compress(Buffer.from('second frame')));
    expect((await decode(Buffer.concat([a, skippable, b]), 777)).equals(Buffer.concat([data, Buffer.from('second frame')]))).toBe(true);
  });

  it('rejects damaged frames with typed errors', async () => {
    const frame = Buffer.from(lz4js.compress(data));
    const code = async (b: Buffer) => (await decode(b).then(() => null, (e: unknown) => e)) as DumpError | null;
    expect((await code(frame.subarray(0, frame.length - 10)))!.code).toBe('truncated');
    const badMagic = Buffer.from(frame);
    badMagic[0] = 0;
    expect((await code(badMagic))!.code).toBe('decompress_failed');
    const badHeaderSum = Buffer.from(frame);
    badHeaderSum[6] ^= 0xff;
    expect((await code(badHeaderSum))!.message).toMatch(/checksum/);
    // every single-byte corruption ends in a typed error or a clean (possibly wrong) result
    for (let i = 7; i < Math.min(frame.length, 3000); i += 13) {
      const b = Buffer.from(frame);
      b[i] ^= 0x5a;
      const e = await code(b);
      if (e !== null) expect(e).toBeInstanceOf(DumpError);
    }
  });

  it('checks offsets and lengths inside a block', () => {
    const dst = new Uint8Array(100);
    // token: 1 literal, match length 4; literal 'a'; offset 5 > 1 byte written
    expect(() => decodeLz4Block(Uint8Array.from([0x10, 0x61, 0x05, 0x00, 0x00]), dst, 0, 't')).toThrow(/offset/);
    // literal run longer than the block
    expect(() => decodeLz4Block(Uint8Array.from([0x50, 0x61]), dst, 0, 't')).toThrow(/past the block/);
    // output beyond the block maximum
    expect(() => decodeLz4Block(Uint8Array.from([0x1f, 0x61, 0x01, 0x00, 0xff, 0x10]), new Uint8Array(10), 0, 't')).toThrow(/maximum/);
    // an overlapping match (offset 1) repeats the last byte
    const out = new Uint8Array(20);
    const end = decodeLz4Block(Uint8Array.from([0x15, 0x61, 0x01, 0x00, 0x00]), out, 0, 't');
    expect(Buffer.from(out.subarray(0, end)).toString()).toBe('aaaaaaaaaa');
  });
});
