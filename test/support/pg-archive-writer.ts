/**
 * Test-only custom-archive reader/writer (pg-import.md 9.4). PostgreSQL 15 writes only
 * version 1.14 with gzip; this writer takes a parsed real archive and writes it again with
 * another version (1.12-1.16: relkind added for 1.16, the compression written as an int
 * level up to 1.14 and as an algorithm byte from 1.15), another int/offset size (1-8),
 * with or without data positions (flag 2 or flag 1, as when pg_dump writes to a pipe), and
 * the data re-compressed as one zlib, LZ4 or zstd stream per block cut into chunks.
 *
 * It mirrors section 2 independently of the reader's block code. Its own check: re-writing a
 * real archive without changes reproduces it byte for byte, and PostgreSQL 15's pg_restore
 * lists and restores a 1.14 archive it wrote.
 */
/// <reference path="../../db/pg-import/lz4js.d.ts" />
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import lz4js from 'lz4js';
import { ByteCursor } from '../../db/pg-import/byte-cursor';
import { BufferByteSource } from '../../db/pg-import/byte-source';
import { readRawToc, type RawTocEntry } from '../../db/pg-import/toc-entry';
import { decodeLz4Frames } from '../../db/pg-import/lz4-frame-decoder';
import type { ArchiveHeader } from '../../db/pg-import/archive-header';

export type Compression = 'none' | 'gzip' | 'lz4' | 'zstd';

export type Block = { type: 1; chunks: Buffer[] } | { type: 3; blobs: { oid: number; chunks: Buffer[] }[] };

export interface RawArchive {
  version: [number, number, number];
  intSize: number;
  offSize: number;
  formatByte: number;
  compression: Compression;
  /** The int level of archives up to 1.14 (−1 default, 0 none). */
  level: number;
  created: number[];
  dbName: Buffer | null;
  serverVersion: Buffer | null;
  pgDumpVersion: Buffer | null;
  entries: RawTocEntry[];
  blocks: Map<number, Block>;
  blockOrder: number[];
}

const ALGO: Compression[] = ['none', 'gzip', 'lz4', 'zstd'];

/** Parses a custom archive held in memory: header, entries and every data block's raw chunks. */
export async function parseArchive(bytes: Buffer): Promise<RawArchive> {
  const c = new ByteCursor(new BufferByteSource(bytes));
  await c.readBytes(5);
  const version: [number, number, number] = [await c.readByte(), await c.readByte(), await c.readByte()];
  const intSize = await c.readByte();
  const offSize = await c.readByte();
  const formatByte = await c.readByte();
  let compression: Compression;
  let level = 0;
  if (version[1] >= 15) compression = ALGO[await c.readByte()]!;
  else {
    level = await c.readInt(intSize);
    compression = level === 0 ? 'none' : 'gzip';
  }
  const created: number[] = [];
  for (let i = 0; i < 7; i++) created.push(await c.readInt(intSize));
  const dbName = await c.readStringBytes(intSize, 1 << 20);
  const serverVersion = await c.readStringBytes(intSize, 1 << 20);
  const pgDumpVersion = await c.readStringBytes(intSize, 1 << 20);
  const header = { version: { major: version[0], minor: version[1], revision: version[2] }, intSize, offSize } as ArchiveHeader;
  const entries = await readRawToc(c, header, 'custom');
  const blocks = new Map<number, Block>();
  const blockOrder: number[] = [];
  const chunks = async (): Promise<Buffer[]> => {
    const out: Buffer[] = [];
    for (;;) {
      const len = await c.readInt(intSize);
      if (len === 0) return out;
      out.push(await c.readBytes(len));
    }
  };
  while (c.remaining > 0) {
    const type = await c.readByte();
    const id = await c.readInt(intSize);
    if (type === 1) blocks.set(id, { type: 1, chunks: await chunks() });
    else if (type === 3) {
      const blobs: { oid: number; chunks: Buffer[] }[] = [];
      for (;;) {
        const oid = await c.readInt(intSize);
        if (oid === 0) break;
        blobs.push({ oid, chunks: await chunks() });
      }
      blocks.set(id, { type: 3, blobs });
    } else throw new Error(`unknown block type ${type}`);
    blockOrder.push(id);
  }
  return { version, intSize, offSize, formatByte, compression, level, created, dbName, serverVersion, pgDumpVersion, entries, blocks, blockOrder };
}

async function lz4Decompress(data: Buffer): Promise<Buffer> {
  const out: Uint8Array[] = [];
  async function* one() {
    yield data;
  }
  for await (const p of decodeLz4Frames(one(), 'test data')) out.push(p);
  return Buffer.concat(out);
}

/** The uncompressed bytes of one stream of chunks. */
export async function inflateChunks(chunks: Buffer[], compression: Compression): Promise<Buffer> {
  const all = Buffer.concat(chunks);
  if (all.length === 0) return all;
  switch (compression) {
    case 'none':
      return all;
    case 'gzip':
      return zlib.inflateSync(all);
    case 'lz4':
      return lz4Decompress(all);
    case 'zstd':
      return Buffer.from(zstdDecompress(all));
  }
}

export type Lz4Encoder = 'cli' | 'lz4js';

function compress(data: Buffer, to: Compression, lz4: Lz4Encoder): Buffer {
  switch (to) {
    case 'none':
      return data;
    case 'gzip':
      return zlib.deflateSync(data);
    case 'lz4':
      // pg_dump's frames: 64 KB linked blocks (-B4 -BD); the CLI adds a content checksum.
      return lz4 === 'cli' ? execFileSync('lz4', ['-q', '-c', '-B4', '-BD'], { input: data, maxBuffer: 1 << 30 }) : Buffer.from(lz4js.compress(data));
    case 'zstd':
      return execFileSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 1 << 30 });
  }
}

function cut(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, Math.min(data.length, i + size)));
  return out;
}

export interface WriteOptions {
  version?: [number, number, number];
  intSize?: number;
  offSize?: number;
  /** 'keep' copies the original flags; true writes positions (flag 2); false writes flag 1. */
  positions?: boolean | 'keep';
  /** 'keep' copies the chunks verbatim; otherwise each stream is re-compressed. */
  compression?: Compression | 'keep';
  chunkSize?: number;
  lz4?: Lz4Encoder;
}

/** relkind for 1.16 when the source is older: from the entry type (0 for non-relations). */
function relkindOf(e: RawTocEntry): number {
  const desc = e.strings.desc?.toString('latin1');
  if (e.relkind !== null) return e.relkind;
  if (desc === 'TABLE') return /PARTITION BY/.test(e.strings.defn?.toString('latin1') ?? '') ? 112 : 114;
  if (desc === 'VIEW') return 118;
  if (desc === 'MATERIALIZED VIEW') return 109;
  return 0;
}

export async function writeArchive(a: RawArchive, o: WriteOptions = {}): Promise<Buffer> {
  const version = o.version ?? a.version;
  const intSize = o.intSize ?? a.intSize;
  const offSize = o.offSize ?? a.offSize;
  const target = o.compression === undefined || o.compression === 'keep' ? a.compression : o.compression;
  const recompress = !(o.compression === undefined || o.compression === 'keep');
  const chunkSize = o.chunkSize ?? 4096;
  const parts: Buffer[] = [];
  const int = (v: number) => {
    const b = Buffer.alloc(1 + intSize);
    b[0] = v < 0 ? 1 : 0;
    let m = Math.abs(v);
    for (let i = 0; i < intSize; i++) {
      b[1 + i] = m % 256;
      m = Math.floor(m / 256);
    }
    return b;
  };
  const str = (s: Buffer | null) => (s === null ? int(-1) : Buffer.concat([int(s.length), s]));
  const offset = (flag: number, v: number) => {
    const b = Buffer.alloc(1 + offSize);
    b[0] = flag;
    let m = v;
    for (let i = 0; i < offSize; i++) {
      b[1 + i] = m % 256;
      m = Math.floor(m / 256);
    }
    return b;
  };

  // Data blocks first, to know their sizes.
  const blockBytes = new Map<number, Buffer>();
  for (const id of a.blockOrder) {
    const blk = a.blocks.get(id)!;
    const out: Buffer[] = [Buffer.from([blk.type]), int(id)];
    const writeChunks = async (chunks: Buffer[]) => {
      let cs = chunks;
      if (recompress) {
        const raw = await inflateChunks(chunks, a.compression);
        cs = raw.length === 0 ? [] : cut(compress(raw, target, o.lz4 ?? 'cli'), chunkSize);
      }
      for (const ch of cs) out.push(int(ch.length), ch);
      out.push(int(0));
    };
    if (blk.type === 1) await writeChunks(blk.chunks);
    else {
      for (const b of blk.blobs) {
        out.push(int(b.oid));
        await writeChunks(b.chunks);
      }
      out.push(int(0));
    }
    blockBytes.set(id, Buffer.concat(out));
  }

  const header: Buffer[] = [Buffer.from('PGDMP', 'latin1'), Buffer.from([...version, intSize, offSize, a.formatByte])];
  if (version[1] >= 15) header.push(Buffer.from([ALGO.indexOf(target)]));
  else header.push(int(target === 'none' ? 0 : target === 'gzip' ? (recompress || a.compression !== 'gzip' ? -1 : a.level) : -1));
  for (const v of a.created) header.push(int(v));
  header.push(str(a.dbName), str(a.serverVersion), str(a.pgDumpVersion));

  const toc = (positionsOf: Map<number, number>) => {
    const out: Buffer[] = [int(a.entries.length)];
    for (const e of a.entries) {
      const s = e.strings;
      out.push(int(e.dumpId), int(e.hadDumper), str(s.tableoid), str(s.oid), str(s.tag), str(s.desc), int(e.section));
      out.push(str(s.defn), str(s.dropStmt), str(s.copyStmt), str(s.namespace), str(s.tablespace));
      if (version[1] >= 14) out.push(str(s.tableam));
      if (version[1] >= 16) out.push(int(relkindOf(e)));
      out.push(str(s.owner), str(s.withOids));
      for (const d of e.dependencies) out.push(str(d));
      out.push(int(-1));
      const hasBlock = blockBytes.has(e.dumpId);
      const orig = e.dataOffset!;
      if (o.positions === 'keep' || o.positions === undefined) {
        out.push(offset(orig.flag, orig.flag === 2 ? positionsOf.get(e.dumpId) ?? 0 : orig.value));
      } else if (!hasBlock) out.push(offset(3, 0));
      else if (o.positions) out.push(offset(2, positionsOf.get(e.dumpId) ?? 0));
      else out.push(offset(1, 0));
    }
    return Buffer.concat(out);
  };
  const head = Buffer.concat(header);
  const tocLen = toc(new Map()).length;
  const positions = new Map<number, number>();
  let pos = head.length + tocLen;
  for (const id of a.blockOrder) {
    positions.set(id, pos);
    pos += blockBytes.get(id)!.length;
  }
  parts.push(head, toc(positions));
  for (const id of a.blockOrder) parts.push(blockBytes.get(id)!);
  return Buffer.concat(parts);
}
