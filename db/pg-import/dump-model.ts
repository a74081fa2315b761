/**
 * The shape every dump format is reduced to before rows are read: facts for the report, the
 * tables with data, the dump's enums, the text settings of each table's data, and a way to open a table's
 * decompressed data bytes. The archive readers (custom, directory, tar) and the plain reader
 * each build one; DumpReader turns it into rows.
 */
import type { ArchiveCompression } from './archive-header';
import type { DumpColumn, TableRef } from './dump-catalog';
import type { ReadProgress } from './custom-data-blocks';
import type { TextCodec } from './text-encoding';

export type DumpFormat = 'custom' | 'directory' | 'tar' | 'plain';
export type WrapperCompression = 'gzip' | 'zstd' | 'lz4';

/** Facts about the dump, for the import report (SPEC.md j.7 "Report"). */
export interface DumpFacts {
  readonly path: string;
  readonly format: DumpFormat;
  /** The whole file was wrapped in this compression (decompressed before reading). */
  readonly wrapper: WrapperCompression | null;
  /** Archive version as pg_restore prints it (`1.14-0`); null for plain SQL. */
  readonly archiveVersion: string | null;
  /** Compression of the table data inside the dump. */
  readonly compression: ArchiveCompression;
  /** zlib level recorded by archives up to 1.14. */
  readonly compressionLevel: number | null;
  /** The dump's encoding name as written (UTF8, LATIN1, WIN1252, SQL_ASCII). */
  readonly encoding: string;
  readonly standardConformingStrings: boolean;
  readonly databaseName: string | null;
  readonly serverVersion: string | null;
  readonly pgDumpVersion: string | null;
  /** Creation time recorded in an archive header (the dumping machine's local time, no zone). */
  readonly createdLocal: string | null;
  /** Databases of a pg_dumpall cluster dump; null for single-database dumps. */
  readonly clusterDatabases: readonly string[] | null;
  /** True when the dump has table definitions (false for data-only dumps). */
  readonly hasSchema: boolean;
  /** True when the dump has table data (false for schema-only dumps). */
  readonly hasData: boolean;
  readonly sizeBytes: number;
  /** Dump-level warnings (SQL_ASCII encoding, unsupported entries skipped …). */
  readonly warnings: readonly string[];
}

export interface DumpTable {
  /** Stable id within this reader (`entry:3370`, `copy:12`). */
  readonly id: string;
  /** The relation the data was dumped from (a partition keeps its own name). */
  readonly schema: string;
  readonly name: string;
  /** Where the rows belong: the partition root, or the relation itself. */
  readonly target: TableRef;
  /** The data's columns, in the order of each row's values. */
  readonly columns: readonly DumpColumn[];
  readonly dataKind: 'copy' | 'insert';
  /** True when the dump defines the table (column types known from the dump itself). */
  readonly hasDefinition: boolean;
  /** Size of the table's data in the dump file, when known (progress denominators). */
  readonly dataBytes: number | null;
  /** Row counts are not recorded by pg_dump. */
  readonly rowCount: null;
}

export interface DumpModel {
  readonly facts: DumpFacts;
  readonly tables: readonly DumpTable[];
  readonly enums: ReadonlyMap<string, readonly string[]>;
  /** The encoding and standard_conforming_strings in effect for a table's data. */
  textOf(table: DumpTable): { readonly codec: TextCodec; readonly standardStrings: boolean };
  /** The table's decompressed data bytes; `progress.bytes` counts dump bytes consumed. */
  openData(table: DumpTable, progress: ReadProgress, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}
