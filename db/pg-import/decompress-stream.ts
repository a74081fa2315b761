/**
 * Streaming decompression of a sequence of byte pieces (pg-import.md 2.7, 3):
 *
 * - `zlib`: the stream inside a custom archive's gzip-compressed data chunks (2-byte header,
 *   Adler-32 trailer): zlib inflate, not gunzip.
 * - `gzip`: real gzip files (`.dat.gz`, `.sql.gz`, wrappers), possibly several members.
 * - `lz4`: LZ4 frames (our bounds-checked frame decoder).
 * - `zstd`: zstd frames. Node 20 has no zstd in `zlib`, so `fzstd` decodes them (feature
 *   detection would pick Node's decoder on runtimes that have one).
 * - `none`: passed through.
 *
 * Memory stays bounded: Node's zlib streams apply backpressure, the LZ4 decoder holds one
 * block, and fzstd is fed at most 512 bytes per call (so one call can produce at most a few
 * MB even from a decompression bomb) with its output handed on before the next call.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { DumpError, isDumpError } from './dump-error';
import { decodeLz4Frames } from './lz4-frame-decoder';

export type StreamCompression = 'none' | 'zlib' | 'gzip' | 'lz4' | 'zstd';

/** zstd frames whose window exceeds this are refused (pg_dump's default level uses a few MB). */
const ZSTD_MAX_WINDOW = 256 * 1024 * 1024;
const ZSTD_PIECE = 512;

/**
 * Decompresses `input`. A compressed entry with no bytes at all (an empty table whose block
 * holds only the end marker) has no data: nothing is yielded and no error is raised.
 */
export async function* decompressStream(
  kind: StreamCompression,
  input: AsyncIterable<Uint8Array>,
  what: string,
): AsyncGenerator<Uint8Array> {
  const it = input[Symbol.asyncIterator]();
  let first: Uint8Array | null = null;
  try {
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      if (n.value.length > 0) {
        first = n.value;
        break;
      }
    }
  } catch (e) {
    await it.return?.(undefined);
    throw e;
  }
  const firstPiece = first;
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      yield firstPiece;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        if (n.value.length > 0) yield n.value;
      }
    } finally {
      await it.return?.(undefined);
    }
  }
  switch (kind) {
    case 'none':
      yield* all();
      return;
    case 'zlib':
      yield* zlibStream(coalesce(all()), () => zlib.createInflate({ chunkSize: 64 * 1024 }), what, 'zlib');
      return;
    case 'gzip':
      yield* zlibStream(coalesce(all()), () => zlib.createGunzip({ chunkSize: 64 * 1024 }), what, 'gzip');
      return;
    case 'lz4':
      yield* decodeLz4Frames(all(), what);
      return;
    case 'zstd':
      yield* zstdStream(all(), what);
      return;
  }
}

/** Pieces joined up to this size before they go to zlib: one thread-pool job each. */
const ZLIB_INPUT_BYTES = 256 * 1024;

/**
 * pg_dump writes compressed data in 4 KB chunks; handing zlib one at a time costs a
 * thread-pool round trip each. Joined pieces keep memory bounded by ZLIB_INPUT_BYTES.
 */
async function* coalesce(input: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const piece of input) {
      parts.push(piece);
      size += piece.length;
      if (size >= ZLIB_INPUT_BYTES) {
        yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
        parts = [];
        size = 0;
      }
    }
    if (size > 0) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  } finally {
    await input.return(undefined);
  }
}

async function* zlibStream(
  input: AsyncGenerator<Uint8Array>,
  create: () => zlib.Inflate | zlib.Gunzip,
  what: string,
  label: string,
): AsyncGenerator<Uint8Array> {
  const source = Readable.from(input, { objectMode: false, highWaterMark: 1 });
  const z = create();
  let sourceError: unknown = null;
  source.on('error', (e) => {
    sourceError = e;
    z.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  source.pipe(z);
  try {
    for await (const out of z) yield out as Buffer;
  } catch (e) {
    if (sourceError !== null) throw sourceError;
    if (isDumpError(e)) throw e;
    const msg = (e as Error).message;
    if (/unexpected end of file/i.test(msg)) {
      throw new DumpError('truncated', `the ${label} stream of ${what} ends early; the file is truncated or damaged`);
    }
    throw new DumpError('decompress_failed', `corrupt ${label} data in ${what}: ${msg}`);
  } finally {
    source.destroy();
    z.destroy();
  }
}

/** Window size of a zstd frame header at `b` (null when the bytes are not a zstd frame header). */
function zstdWindow(b: Uint8Array): number | null {
  if (b.length < 6 || b[0] !== 0x28 || b[1] !== 0xb5 || b[2] !== 0x2f || b[3] !== 0xfd) return null;
  const fhd = b[4]!;
  const singleSegment = (fhd >> 5) & 1;
  if (singleSegment) return null; // the window equals the content size, checked by fzstd
  const wd = b[5]!;
  const base = 2 ** (10 + (wd >> 3));
  return base + (base / 8) * (wd & 7);
}

async function* zstdStream(input: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const d = new ZstdDecompress((chunk) => {
    if (chunk.length === 0) return;
    pendingBytes += chunk.length;
    if (pendingBytes > 64 * 1024 * 1024) {
      throw new DumpError('decompress_failed', `zstd data in ${what} expands by more than 64 MB from ${ZSTD_PIECE} bytes; refusing it as a decompression bomb`);
    }
    // fzstd reuses its window buffer: copy what it hands us.
    pending.push(chunk.slice());
  });
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      d.push(piece, final);
    } catch (e) {
      if (isDumpError(e)) throw e;
      const code = (e as { code?: number }).code;
      if (code === 5) throw new DumpError('truncated', `the zstd stream of ${what} ends early; the file is truncated or damaged`);
      if (e instanceof RangeError) throw new DumpError('decompress_failed', `zstd data in ${what} needs more memory than allowed`);
      throw new DumpError('decompress_failed', `corrupt zstd data in ${what}: ${(e as Error).message}`);
    }
  };
  let checkedHeader = false;
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    if (!checkedHeader) {
      checkedHeader = true;
      const w = zstdWindow(chunk);
      if (w !== null && w > ZSTD_MAX_WINDOW) {
        throw new DumpError('decompress_failed', `zstd data in ${what} asks for a ${w}-byte window, above the limit of ${ZSTD_MAX_WINDOW}`);
      }
    }
    for (let i = 0; i < chunk.length; i += ZSTD_PIECE) {
      push(chunk.subarray(i, Math.min(chunk.length, i + ZSTD_PIECE)), false);
      if (pending.length > 0) {
        const out = pending.splice(0, pending.length);
        pendingBytes = 0;
        for (const o of out) yield o;
      }
    }
  }
  push(new Uint8Array(0), true);
  for (const o of pending) yield o;
}
