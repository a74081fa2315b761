/**
 * Files wrapped whole in gzip, zstd or LZ4 (a gzipped plain dump, a gzipped tar, a
 * `toc.dat.gz`; pg-import.md section 1) are decompressed to a temporary file, streaming with
 * bounded memory, so the readers can use positioned reads on them. The caller removes the
 * temporary directory when the reader closes. A size cap stops decompression bombs from
 * filling the disk.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decompressStream } from './decompress-stream';
import { DumpError, throwIfAborted } from './dump-error';
import type { WrapperCompression } from './dump-model';

export interface TempFile {
  readonly path: string;
  remove(): Promise<void>;
}

export async function unwrapToTempFile(
  path: string,
  kind: WrapperCompression,
  tempDir: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<TempFile> {
  const dir = await mkdtemp(join(tempDir, 'batchdesk-dump-'));
  const out = join(dir, 'unwrapped');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const fh = await open(out, 'w');
    try {
      let total = 0;
      const input = createReadStream(path, { highWaterMark: 64 * 1024 });
      try {
        for await (const piece of decompressStream(kind, input, `the ${kind} file ${path}`)) {
          throwIfAborted(signal);
          total += piece.length;
          if (total > maxBytes) {
            throw new DumpError('too_large', `${path} decompresses to more than ${maxBytes} bytes; refusing it`);
          }
          await fh.write(piece);
        }
      } finally {
        input.destroy();
      }
    } finally {
      await fh.close();
    }
    return { path: out, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}
