/**
 * Streaming LZ4 frame decoder (LZ4 frame format 1.6.x), for pg_dump's `--compress=lz4`
 * data (one frame of linked 64 KB blocks written in pieces) and `.lz4` wrapper files.
 *
 * lz4js (installed) decodes whole frames only and its block decoder does no bounds checks,
 * so a damaged block would silently produce garbage. This decoder checks every literal run,
 * match offset and match length against the block and the history, keeps only 64 KB of
 * history for linked blocks, and reads one block at a time (at most 4 MB), so memory stays
 * bounded. The header checksum is verified with lz4js's xxHash32; block and content
 * checksums are skipped (they protect against disk errors, not against us). Skippable
 * frames and several concatenated frames are accepted.
 */
/// <reference path="./lz4js.d.ts" />
import * as xxh32 from 'lz4js/xxh32.js';
import { ChunkReader } from './chunk-reader';
import { DumpError } from './dump-error';

const FRAME_MAGIC = 0x184d2204;
const HISTORY = 64 * 1024;
const BLOCK_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function fail(what: string, message: string): never {
  throw new DumpError('decompress_failed', `corrupt LZ4 data in ${what}: ${message}`);
}

/**
 * Decodes one LZ4 block from src into dst starting at dStart; matches may reach back into
 * dst[0, dStart) (the history). Returns the new end of the output.
 */
export function decodeLz4Block(src: Uint8Array, dst: Uint8Array, dStart: number, what: string): number {
  let s = 0;
  let d = dStart;
  const sEnd = src.length;
  const dLimit = dst.length;
  for (;;) {
    if (s >= sEnd) fail(what, 'a block ends without its last literals');
    const token = src[s++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (s >= sEnd) fail(what, 'a literal length runs past the block');
        b = src[s++]!;
        lit += b;
      } while (b === 255);
    }
    if (s + lit > sEnd) fail(what, 'literals run past the block');
    if (d + lit > dLimit) fail(what, 'a block decodes to more than its maximum size');
    if (lit > 0) {
      dst.set(src.subarray(s, s + lit), d);
      s += lit;
      d += lit;
    }
    if (s === sEnd) return d;
    if (s + 2 > sEnd) fail(what, 'a match offset runs past the block');
    const off = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (off === 0 || off > d) fail(what, `match offset ${off} points before the start of the data`);
    let ml = token & 15;
    if (ml === 15) {
      let b: number;
      do {
        if (s >= sEnd) fail(what, 'a match length runs past the block');
        b = src[s++]!;
        ml += b;
      } while (b === 255);
    }
    ml += 4;
    if (d + ml > dLimit) fail(what, 'a block decodes to more than its maximum size');
    let from = d - off;
    if (off >= ml) {
      dst.copyWithin(d, from, from + ml);
      d += ml;
    } else {
      const end = d + ml;
      while (d < end) dst[d++] = dst[from++]!;
    }
  }
}

/** Decompresses a stream holding one or more LZ4 frames. */
export async function* decodeLz4Frames(input: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<Uint8Array> {
  const r = new ChunkReader(input, what);
  try {
    let frames = 0;
    for (;;) {
      const magicBytes = await r.read(4, 'an LZ4 frame header');
      if (magicBytes === null) {
        if (frames === 0) fail(what, 'the stream is empty');
        return;
      }
      const magic = u32(magicBytes, 0);
      if ((magic & 0xfffffff0) === 0x184d2a50) {
        const len = u32(await r.readExact(4, 'a skippable frame length'), 0);
        let left = len;
        while (left > 0) {
          const n = Math.min(left, 65536);
          await r.readExact(n, 'a skippable frame');
          left -= n;
        }
        continue;
      }
      if (magic !== FRAME_MAGIC) fail(what, `bad frame signature 0x${magic.toString(16)}`);
      frames++;
      yield* decodeOneFrame(r, what);
    }
  } finally {
    await r.close();
  }
}

async function* decodeOneFrame(r: ChunkReader, what: string): AsyncGenerator<Uint8Array> {
  const fd = await r.readExact(2, 'an LZ4 frame descriptor');
  const flg = fd[0]!;
  const bd = fd[1]!;
  if (flg >> 6 !== 1) fail(what, `unsupported frame version ${flg >> 6}`);
  if (flg & 0x02 || bd & 0x8f) fail(what, 'reserved descriptor bits are set');
  const blockChecksum = (flg & 0x10) !== 0;
  const contentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const dictId = (flg & 0x01) !== 0;
  const blockMax = BLOCK_SIZES[(bd >> 4) & 7];
  if (!blockMax) fail(what, `invalid block size code ${(bd >> 4) & 7}`);
  const extra = (contentSize ? 8 : 0) + (dictId ? 4 : 0);
  const rest = await r.readExact(extra + 1, 'an LZ4 frame descriptor');
  if (dictId) fail(what, 'frames that need a dictionary are not supported');
  const desc = new Uint8Array(2 + extra);
  desc.set(fd, 0);
  desc.set(rest.subarray(0, extra), 2);
  const hc = (xxh32.hash(0, desc, 0, desc.length) >>> 8) & 0xff;
  if (hc !== rest[extra]) fail(what, 'the frame header checksum does not match');

  // History (the last 64 KB of output) followed by room for one block.
  const win = new Uint8Array(HISTORY + blockMax);
  let hist = 0;
  for (;;) {
    const sizeBytes = await r.readExact(4, 'an LZ4 block size');
    const word = u32(sizeBytes, 0);
    if (word === 0) break;
    const stored = (word & 0x80000000) !== 0;
    const size = word & 0x7fffffff;
    if (size > blockMax) fail(what, `block of ${size} bytes is larger than the frame's maximum of ${blockMax}`);
    const block = await r.readExact(size, 'an LZ4 block');
    if (blockChecksum) await r.readExact(4, 'an LZ4 block checksum');
    let end: number;
    if (stored) {
      win.set(block, hist);
      end = hist + size;
    } else {
      end = decodeLz4Block(block, win.subarray(0, hist + blockMax), hist, what);
    }
    if (end > hist) yield win.slice(hist, end);
    // Keep the last 64 KB as history for the next (linked) block.
    if (end > HISTORY) {
      win.copyWithin(0, end - HISTORY, end);
      hist = HISTORY;
    } else {
      hist = end;
    }
  }
  if (contentChecksum) await r.readExact(4, 'an LZ4 content checksum');
}
