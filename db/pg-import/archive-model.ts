/**
 * Custom, directory and tar archives (pg-import.md sections 2-4) reduced to a DumpModel:
 * header → table of contents → catalog (TABLE, TYPE, TABLE ATTACH entries) → one DumpTable
 * per TABLE DATA entry, and a way to open each entry's decompressed data:
 *
 * - custom: the data block at the recorded position, or found by walking the blocks when the
 *   archive was written to a pipe; chunks inflated as one stream per block;
 * - directory: `<dir>/<dumpId>.dat` with `.gz`, `.lz4` or `.zst` when that file exists;
 * - tar: the `<dumpId>.dat` member.
 *
 * MATERIALIZED VIEW DATA, STATISTICS DATA, SEQUENCE SET and large-object entries are not
 * table data and are skipped.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readArchiveHeader, type ArchiveHeader } from './archive-header';
import { ByteCursor } from './byte-cursor';
import { readRange, SliceByteSource, type ByteSource } from './byte-source';
import { customDataChunks, type ReadProgress } from './custom-data-blocks';
import { parseCopyStatement } from './ddl-statements';
import { decompressStream, type StreamCompression } from './decompress-stream';
import { DumpCatalog, toRef, type SchemaHint } from './dump-catalog';
import { DumpError } from './dump-error';
import type { DumpFacts, DumpFormat, DumpModel, DumpTable, WrapperCompression } from './dump-model';
import { textCodec, type DumpEncoding } from './text-encoding';
import type { TarMember } from './tar-index';
import {
  decodeToc,
  DEFAULT_TOC_LIMITS,
  encodingOfToc,
  OFFSET_NO_DATA,
  OFFSET_SET,
  readRawToc,
  type TocEntry,
  type TocLimits,
} from './toc-entry';

/** How a format reaches an entry's data. */
export interface EntryDataAccess {
  open(entry: TocEntry, label: string, progress: ReadProgress, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  dataBytes(entry: TocEntry): number | null;
  close(): Promise<void>;
}

export interface ParsedToc {
  readonly header: ArchiveHeader;
  readonly entries: TocEntry[];
  readonly encoding: DumpEncoding;
  readonly encodingName: string;
  /** File position right after the table of contents (custom: start of the data area). */
  readonly tocEnd: number;
}

/** Reads the header and table of contents of a custom archive (format 1) or a toc.dat (3). */
export async function readToc(source: ByteSource, expectedFormat: 1 | 3, limits: TocLimits = DEFAULT_TOC_LIMITS): Promise<ParsedToc> {
  const cursor = new ByteCursor(source, 0, 64 * 1024, expectedFormat === 1 ? 'archive' : 'toc.dat');
  const header = await readArchiveHeader(cursor, expectedFormat);
  const raw = await readRawToc(cursor, header, expectedFormat === 1 ? 'custom' : 'toc.dat', limits);
  const { encoding, name } = encodingOfToc(raw);
  return { header, entries: decodeToc(raw, encoding), encoding, encodingName: name, tocEnd: cursor.position };
}

function headerText(b: Buffer | null, encoding: DumpEncoding): string | null {
  if (b === null) return null;
  return textCodec(encoding === 'UTF8' ? 'SQL_ASCII' : encoding).decode(b, 'the archive header');
}

function dataCompression(header: ArchiveHeader): StreamCompression {
  switch (header.compression) {
    case 'gzip':
      return 'zlib';
    case 'lz4':
      return 'lz4';
    case 'zstd':
      return 'zstd';
    default:
      return 'none';
  }
}

function isTableData(e: TocEntry, kind: DumpFormat): boolean {
  if (e.desc !== 'TABLE DATA') return false;
  if (kind === 'custom') return e.dataOffset !== null && e.dataOffset.flag !== OFFSET_NO_DATA;
  return e.fileName !== null && e.fileName !== '';
}

export interface ArchiveModelInput {
  readonly path: string;
  readonly format: Exclude<DumpFormat, 'plain'>;
  readonly wrapper: WrapperCompression | null;
  readonly toc: ParsedToc;
  readonly access: EntryDataAccess;
  readonly hint: SchemaHint | undefined;
  readonly sizeBytes: number;
}

export function buildArchiveModel(input: ArchiveModelInput): DumpModel {
  const { toc, access, format } = input;
  const { header, entries } = toc;
  const catalog = new DumpCatalog();
  let standardStrings = false;
  const warnings: string[] = [];
  for (const e of entries) {
    if (e.desc === 'STDSTRINGS') {
      const m = /'(on|off)'/i.exec(e.defn ?? '');
      if (!m) throw new DumpError('bad_toc', `invalid STDSTRINGS entry: ${JSON.stringify((e.defn ?? '').slice(0, 200))}`);
      standardStrings = m[1]!.toLowerCase() === 'on';
    }
  }
  for (const e of entries) {
    if ((e.desc === 'TABLE' || e.desc === 'TYPE' || e.desc === 'TABLE ATTACH') && e.defn) {
      catalog.addDdl(e.defn, standardStrings);
    }
  }
  if (toc.encoding === 'SQL_ASCII') {
    warnings.push('the dump is in SQL_ASCII (the server never checked its bytes); text is read as UTF-8 and invalid bytes become U+FFFD');
  }
  const tables: DumpTable[] = [];
  const byId = new Map<string, TocEntry>();
  for (const e of entries) {
    if (!isTableData(e, format)) continue;
    const relation = { schema: e.namespace ?? 'public', name: e.tag ?? `entry ${e.dumpId}` };
    const copy = e.copyStmt ? parseCopyStatement(e.copyStmt) : null;
    if (e.copyStmt && !copy) {
      throw new DumpError('bad_toc', `cannot read the COPY statement of ${relation.schema}.${relation.name}: ${JSON.stringify(e.copyStmt.slice(0, 200))}`);
    }
    const kind = copy ? 'copy' : 'insert';
    const dataRef = copy ? toRef(copy.table, relation.schema) : relation;
    const { columns, defined } = catalog.dataColumns(dataRef, copy ? copy.columns : null, kind, input.hint);
    const id = `entry:${e.dumpId}`;
    byId.set(id, e);
    tables.push({
      id,
      schema: relation.schema,
      name: relation.name,
      target: catalog.targetOf(dataRef),
      columns,
      dataKind: kind,
      hasDefinition: defined,
      dataBytes: access.dataBytes(e),
      rowCount: null,
    });
  }
  const hasSchema = entries.some((e) => e.desc === 'TABLE');
  const facts: DumpFacts = {
    path: input.path,
    format,
    wrapper: input.wrapper,
    archiveVersion: header.versionText,
    compression: header.compression,
    compressionLevel: header.compressionLevel,
    encoding: toc.encodingName,
    standardConformingStrings: standardStrings,
    databaseName: headerText(header.databaseName, toc.encoding),
    serverVersion: headerText(header.serverVersion, toc.encoding),
    pgDumpVersion: headerText(header.pgDumpVersion, toc.encoding),
    createdLocal: header.createdLocal,
    clusterDatabases: null,
    hasSchema,
    hasData: tables.length > 0,
    sizeBytes: input.sizeBytes,
    warnings,
  };
  const text = { codec: textCodec(toc.encoding), standardStrings };
  return {
    facts,
    tables,
    enums: catalog.enums,
    textOf: () => text,
    openData(table, progress, signal) {
      const e = byId.get(table.id);
      if (!e) throw new DumpError('no_such_table', `${table.schema}.${table.name} is not a table of this dump`);
      return access.open(e, `${table.schema}.${table.name}`, progress, signal);
    },
    close: () => access.close(),
  };
}

/** Data access for a custom archive. */
export function customAccess(source: ByteSource, toc: ParsedToc, closeSource: boolean): EntryDataAccess {
  const positions = toc.entries
    .filter((e) => e.dataOffset?.flag === OFFSET_SET)
    .map((e) => e.dataOffset!.value)
    .sort((a, b) => a - b);
  const compression = dataCompression(toc.header);
  return {
    open(entry, label, progress, signal) {
      const chunks = customDataChunks(source, toc.header, toc.tocEnd, entry, label, progress, signal);
      return decompressStream(compression, chunks, `the data of ${label}`);
    },
    dataBytes(entry) {
      if (entry.dataOffset?.flag !== OFFSET_SET) return null;
      const at = entry.dataOffset.value;
      const next = positions.find((p) => p > at) ?? source.size;
      return next - at;
    },
    close: async () => {
      if (closeSource) await source.close();
    },
  };
}

const SUFFIXES: { suffix: string; kind: StreamCompression }[] = [
  { suffix: '', kind: 'none' },
  { suffix: '.gz', kind: 'gzip' },
  { suffix: '.lz4', kind: 'lz4' },
  { suffix: '.zst', kind: 'zstd' },
];

function safeFileName(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.includes('..')) {
    throw new DumpError('bad_toc', `unsafe data file name ${JSON.stringify(name.slice(0, 100))} in the table of contents`);
  }
  return name;
}

/** Data access for a directory archive: `<dir>/<fileName>[.gz|.lz4|.zst]`. */
export function directoryAccess(dir: string): EntryDataAccess {
  const locate = (entry: TocEntry) => {
    const base = safeFileName(entry.fileName ?? '');
    for (const s of SUFFIXES) {
      const p = join(dir, base + s.suffix);
      if (existsSync(p)) return { path: p, kind: s.kind };
    }
    return null;
  };
  return {
    open(entry, label, progress) {
      const f = locate(entry);
      if (!f) {
        throw new DumpError('missing_data', `the data file ${entry.fileName} of ${label} is missing from the directory ${dir}`, { table: label });
      }
      async function* counted(): AsyncGenerator<Uint8Array> {
        const stream = createReadStream(f!.path, { highWaterMark: 64 * 1024 });
        try {
          for await (const piece of stream) {
            progress.bytes += (piece as Buffer).length;
            yield piece as Buffer;
          }
        } finally {
          stream.destroy();
        }
      }
      return decompressStream(f.kind, counted(), `${f.path} (data of ${label})`);
    },
    dataBytes(entry) {
      const f = locate(entry);
      return f ? statSync(f.path).size : null;
    },
    close: async () => {},
  };
}

/** Data access for a tar archive: the `<fileName>` member. */
export function tarAccess(source: ByteSource, members: ReadonlyMap<string, TarMember>, closeSource: boolean): EntryDataAccess {
  const locate = (entry: TocEntry) => {
    const base = entry.fileName ?? '';
    for (const s of SUFFIXES) {
      const m = members.get(base + s.suffix);
      if (m) return { member: m, kind: s.kind };
    }
    return null;
  };
  return {
    open(entry, label, progress) {
      const f = locate(entry);
      if (!f) throw new DumpError('missing_data', `the tar archive has no member ${entry.fileName} (data of ${label})`, { table: label });
      const slice = new SliceByteSource(source, f.member.offset, f.member.size);
      return decompressStream(f.kind, readRange(slice, 0, f.member.size, progress), `tar member ${f.member.name} (data of ${label})`);
    },
    dataBytes(entry) {
      return locate(entry)?.member.size ?? null;
    },
    close: async () => {
      if (closeSource) await source.close();
    },
  };
}
