/**
 * Random-access byte sources: a file read with positioned reads on a FileHandle (never the
 * whole file in memory, pg-import.md section 8), and a window onto part of another source
 * (a tar member). Reads past the end return fewer bytes; callers check lengths.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { DumpError } from './dump-error';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `position`; returns fewer at the end of the source. */
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      return new FileByteSource(handle, st.size, path);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(position: number, length: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (n === 0) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.handle.read(buf, got, n - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A window [start, start + size) of another source; closing it leaves the parent open. */
export class SliceByteSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {}

  read(position: number, length: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (n === 0) return Promise.resolve(Buffer.alloc(0));
    return this.parent.read(this.start + position, n);
  }

  async close(): Promise<void> {
    /* the parent owns the file */
  }
}

/** An in-memory source (tests and small generated archives). */
export class BufferByteSource implements ByteSource {
  constructor(private readonly data: Uint8Array) {}

  get size(): number {
    return this.data.length;
  }

  read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(this.data.length, position + length);
    const b = this.data.subarray(Math.min(position, end), end);
    return Promise.resolve(Buffer.from(b.buffer, b.byteOffset, b.length));
  }

  async close(): Promise<void> {
    /* nothing to release */
  }
}

/**
 * Streams the bytes [start, end) of a source in pieces; `progress.bytes` counts the bytes
 * handed out. Fails with `truncated` when the source is shorter than promised.
 */
export async function* readRange(
  source: ByteSource,
  start: number,
  end: number,
  progress: { bytes: number },
  pieceSize = 64 * 1024,
): AsyncGenerator<Buffer> {
  let pos = start;
  while (pos < end) {
    const piece = await source.read(pos, Math.min(pieceSize, end - pos));
    if (piece.length === 0) {
      throw new DumpError('truncated', `the file ends at byte ${pos}, before the expected ${end}; it is truncated`, { offset: pos });
    }
    pos += piece.length;
    progress.bytes += piece.length;
    yield piece;
  }
}
