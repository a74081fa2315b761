/**
 * Data blocks of a custom archive (pg-import.md 2.6):
 *
 *   block   := type:byte  dumpId:int  payload
 *   type 1 (table data):    payload := chunk* end
 *   type 3 (large objects): payload := ( oid:int chunk* end )*  oid 0
 *   chunk   := length:int (> 0) then length bytes;  end := int 0
 *
 * With a recorded position (flag 2) we seek, read the block header and check it names the
 * same dumpId. Without positions (flag 1, the dump was written to a pipe) we walk the blocks
 * from the start of the data area, skipping other blocks by their chunk lengths (large-object
 * blocks oid by oid), until the wanted dumpId appears.
 */
import type { ArchiveHeader } from './archive-header';
import type { ByteSource } from './byte-source';
import { ByteCursor } from './byte-cursor';
import { DumpError, throwIfAborted } from './dump-error';
import { OFFSET_NO_DATA, OFFSET_NOT_SET, OFFSET_SET, type TocEntry } from './toc-entry';

export const BLK_DATA = 1;
export const BLK_BLOBS = 3;

/** Chunks are handed on in pieces of at most this size, so one huge chunk is never held whole. */
const PIECE = 1024 * 1024;

export interface ReadProgress {
  /** Archive bytes consumed so far by the current read. */
  bytes: number;
}

async function skipChunks(c: ByteCursor, intSize: number, what: string): Promise<void> {
  for (;;) {
    const at = c.position;
    const len = await c.readInt(intSize, `a chunk length of ${what}`);
    if (len === 0) return;
    if (len < 0) throw new DumpError('bad_length', `negative chunk length ${len} at byte ${at} in ${what}; the file is damaged`, { offset: at });
    await c.skipBytes(len, `a chunk of ${what}`);
  }
}

async function skipBlock(c: ByteCursor, header: ArchiveHeader, type: number, dumpId: number, at: number): Promise<void> {
  const what = `the data block of entry ${dumpId}`;
  if (type === BLK_DATA) return skipChunks(c, header.intSize, what);
  if (type === BLK_BLOBS) {
    for (;;) {
      const oidAt = c.position;
      const oid = await c.readInt(header.intSize, `a large-object id in ${what}`);
      if (oid === 0) return;
      if (oid < 0) throw new DumpError('bad_length', `invalid large-object id ${oid} at byte ${oidAt}`, { offset: oidAt });
      await skipChunks(c, header.intSize, `large object ${oid}`);
    }
  }
  throw new DumpError('unknown_block_type', `unknown data block type ${type} at byte ${at}; the file is damaged`, { offset: at });
}

/**
 * The raw (still compressed) chunk bytes of one table-data entry, in order. `dataStart` is
 * the file position right after the table of contents.
 */
export async function* customDataChunks(
  source: ByteSource,
  header: ArchiveHeader,
  dataStart: number,
  entry: TocEntry,
  label: string,
  progress: ReadProgress,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const off = entry.dataOffset;
  if (!off || off.flag === OFFSET_NO_DATA) return;
  const c = new ByteCursor(source, dataStart, 64 * 1024, 'archive');
  const { intSize } = header;
  let origin = dataStart;

  if (off.flag === OFFSET_SET) {
    if (off.value < dataStart || off.value >= source.size) {
      throw new DumpError('bad_length', `the data position ${off.value} of ${label} is outside the data area (${dataStart} to ${source.size}); the file is truncated or damaged`, {
        table: label,
      });
    }
    c.seek(off.value);
    origin = off.value;
    const at = c.position;
    const type = await c.readByte(`the block header of ${label}`);
    const id = await c.readInt(intSize, `the block header of ${label}`);
    if (type !== BLK_DATA && type !== BLK_BLOBS) {
      throw new DumpError('unknown_block_type', `unknown data block type ${type} at byte ${at} (data of ${label}); the file is damaged`, { table: label, offset: at });
    }
    if (id !== entry.dumpId || type !== BLK_DATA) {
      throw new DumpError(
        'dumpid_mismatch',
        `the block at byte ${at} belongs to entry ${id} (type ${type}), not to ${label} (entry ${entry.dumpId}); the file is damaged`,
        { table: label, offset: at },
      );
    }
  } else if (off.flag === OFFSET_NOT_SET) {
    for (;;) {
      throwIfAborted(signal);
      const at = c.position;
      if (c.remaining === 0) {
        throw new DumpError(
          'missing_data',
          `reached the end of the file before the data of ${label} (entry ${entry.dumpId}); the file is truncated`,
          { table: label },
        );
      }
      const type = await c.readByte(`a block header while looking for ${label}`);
      const id = await c.readInt(intSize, `a block header while looking for ${label}`);
      if (type === BLK_DATA && id === entry.dumpId) break;
      await skipBlock(c, header, type, id, at);
      progress.bytes = c.position - origin;
    }
  } else {
    throw new DumpError('bad_offset_flag', `invalid data-offset flag ${off.flag} for ${label}`, { table: label });
  }

  for (;;) {
    throwIfAborted(signal);
    const at = c.position;
    const len = await c.readInt(intSize, `a chunk length of ${label}`);
    if (len === 0) break;
    if (len < 0) throw new DumpError('bad_length', `negative chunk length ${len} at byte ${at} in the data of ${label}; the file is damaged`, { table: label, offset: at });
    if (len > c.remaining) {
      throw new DumpError('truncated', `a chunk at byte ${at} of ${label} claims ${len} bytes but only ${c.remaining} remain; the file is truncated`, {
        table: label,
        offset: at,
      });
    }
    for (let left = len; left > 0; ) {
      const n = Math.min(left, PIECE);
      const piece = await c.readBytes(n, `a chunk of ${label}`);
      left -= n;
      progress.bytes = c.position - origin;
      yield piece;
    }
  }
  progress.bytes = c.position - origin;
}
