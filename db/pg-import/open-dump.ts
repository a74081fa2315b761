/**
 * openDump: recognise a dump by its first bytes (pg-import.md section 1) and open the
 * matching reader.
 *
 * | first bytes | format |
 * |---|---|
 * | `PGDMP` | custom archive (a bare `toc.dat` opens its directory) |
 * | a directory with `toc.dat[.gz|.lz4|.zst]` | directory archive |
 * | `ustar` at offset 257 | tar archive |
 * | `1F 8B`, `28 B5 2F FD`, `04 22 4D 18` | gzip, zstd, LZ4 wrapper: decompressed to a temporary file, then sniffed again |
 * | text with `PostgreSQL database dump` / `cluster dump` | plain SQL / pg_dumpall |
 *
 * The directory-vs-tar question is decided by the container, never by the toc.dat format
 * byte (both carry 3).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildArchiveModel, customAccess, directoryAccess, readToc, tarAccess } from './archive-model';
import { FileByteSource, SliceByteSource, type ByteSource } from './byte-source';
import type { SchemaHint } from './dump-catalog';
import { DumpError } from './dump-error';
import type { DumpModel, WrapperCompression } from './dump-model';
import { DumpReader } from './dump-reader';
import { buildPlainModel } from './plain-model';
import { looksLikeTar, readTarIndex } from './tar-index';
import { DEFAULT_TOC_LIMITS, type TocLimits } from './toc-entry';
import { unwrapToTempFile, type TempFile } from './unwrap-file';

export interface OpenDumpOptions {
  /** The database to read from a pg_dumpall cluster dump. */
  readonly database?: string;
  /** Where wrapped (gzip/zstd/LZ4) files are decompressed; default the OS temp directory. */
  readonly tempDir?: string;
  /** Column names and PostgreSQL types for tables the dump does not define (data-only dumps). */
  readonly schemaHint?: SchemaHint;
  readonly signal?: AbortSignal;
  readonly tocLimits?: Partial<TocLimits>;
  /** Largest size a wrapped file may decompress to (default 1 TiB). */
  readonly maxUnwrappedBytes?: number;
}

export type SniffedKind = 'custom' | 'tar' | 'plain' | WrapperCompression | 'unknown';

/** Recognises a file from its first bytes (8 KB are enough). */
export function sniffBytes(head: Uint8Array): SniffedKind {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 5 && b.toString('latin1', 0, 5) === 'PGDMP') return 'custom';
  if (looksLikeTar(b)) return 'tar';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  if (b[0] === 0x04 && b[1] === 0x22 && b[2] === 0x4d && b[3] === 0x18) return 'lz4';
  const text = b.toString('latin1');
  if (text.includes('PostgreSQL database dump') || text.includes('PostgreSQL database cluster dump')) return 'plain';
  if (!text.includes('\0') && /^\uFEFF?\s*(--|SET\s|CREATE\s|COPY\s|INSERT\s|BEGIN|SELECT\s|\\)/i.test(text)) return 'plain';
  return 'unknown';
}

const TOC_NAMES: { name: string; wrapper: WrapperCompression | null }[] = [
  { name: 'toc.dat', wrapper: null },
  { name: 'toc.dat.gz', wrapper: 'gzip' },
  { name: 'toc.dat.lz4', wrapper: 'lz4' },
  { name: 'toc.dat.zst', wrapper: 'zstd' },
];

interface Ctx {
  readonly options: OpenDumpOptions;
  readonly limits: TocLimits;
  readonly temps: TempFile[];
}

async function openDirectory(dir: string, ctx: Ctx): Promise<DumpModel> {
  const found = TOC_NAMES.find((t) => existsSync(join(dir, t.name)));
  if (!found) throw new DumpError('not_a_dump', `${dir} is a folder without toc.dat: it is not a pg_dump directory archive`);
  let tocPath = join(dir, found.name);
  if (found.wrapper) {
    const t = await unwrapToTempFile(tocPath, found.wrapper, ctx.options.tempDir ?? tmpdir(), ctx.options.maxUnwrappedBytes ?? 2 ** 40, ctx.options.signal);
    ctx.temps.push(t);
    tocPath = t.path;
  }
  const src = await FileByteSource.open(tocPath);
  try {
    const toc = await readToc(src, 3, ctx.limits);
    return buildArchiveModel({
      path: dir,
      format: 'directory',
      wrapper: null,
      toc,
      access: directoryAccess(dir),
      hint: ctx.options.schemaHint,
      sizeBytes: src.size,
    });
  } finally {
    await src.close();
  }
}

async function openTar(path: string, src: ByteSource, wrapper: WrapperCompression | null, ctx: Ctx): Promise<DumpModel> {
  const members = await readTarIndex(src);
  const tocMember = members.get('toc.dat');
  if (!tocMember) throw new DumpError('not_a_dump', `${path} is a tar file without toc.dat: it is not a pg_dump tar archive`);
  const toc = await readToc(new SliceByteSource(src, tocMember.offset, tocMember.size), 3, ctx.limits);
  return buildArchiveModel({ path, format: 'tar', wrapper, toc, access: tarAccess(src, members, true), hint: ctx.options.schemaHint, sizeBytes: src.size });
}

async function openFile(path: string, displayPath: string, wrapper: WrapperCompression | null, depth: number, ctx: Ctx): Promise<DumpModel> {
  const src = await FileByteSource.open(path);
  try {
    const head = await src.read(0, 8192);
    const kind = sniffBytes(head);
    switch (kind) {
      case 'custom': {
        if (head.length > 10 && head[10] === 3 && basename(path) === 'toc.dat' && wrapper === null) {
          await src.close();
          return openDirectory(dirname(path), ctx);
        }
        const toc = await readToc(src, 1, ctx.limits);
        return buildArchiveModel({
          path: displayPath,
          format: 'custom',
          wrapper,
          toc,
          access: customAccess(src, toc, true),
          hint: ctx.options.schemaHint,
          sizeBytes: src.size,
        });
      }
      case 'tar':
        return await openTar(displayPath, src, wrapper, ctx);
      case 'plain':
        return await buildPlainModel({
          path: displayPath,
          source: src,
          wrapper,
          database: ctx.options.database,
          hint: ctx.options.schemaHint,
          signal: ctx.options.signal,
          closeSource: () => src.close(),
        });
      case 'gzip':
      case 'zstd':
      case 'lz4': {
        if (depth >= 2) throw new DumpError('not_a_dump', `${displayPath} is compressed more than twice; it is not a dump`);
        await src.close();
        const t = await unwrapToTempFile(path, kind, ctx.options.tempDir ?? tmpdir(), ctx.options.maxUnwrappedBytes ?? 2 ** 40, ctx.options.signal);
        ctx.temps.push(t);
        return await openFile(t.path, displayPath, kind, depth + 1, ctx);
      }
      default:
        throw new DumpError('not_a_dump', `${displayPath} is not a PostgreSQL dump (no PGDMP signature, no tar header, no pg_dump SQL header)`);
    }
  } catch (e) {
    await src.close().catch(() => {});
    throw e;
  }
}

/**
 * Opens a dump file or directory. The reader lists the tables with data and streams their
 * rows; close it to release the file and any temporary files.
 */
export async function openDump(path: string, options: OpenDumpOptions = {}): Promise<DumpReader> {
  const ctx: Ctx = { options, limits: { ...DEFAULT_TOC_LIMITS, ...options.tocLimits }, temps: [] };
  const cleanup = async () => {
    for (const t of ctx.temps) await t.remove();
  };
  try {
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new DumpError('not_found', `${path} does not exist`);
    }
    const model = st.isDirectory() ? await openDirectory(path, ctx) : await openFile(path, path, null, 0, ctx);
    const close = model.close;
    return new DumpReader({
      ...model,
      close: async () => {
        await close();
        await cleanup();
      },
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
}
