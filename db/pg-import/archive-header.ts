/**
 * The header of a custom archive or of a directory/tar `toc.dat` (pg-import.md 2.2, 2.3).
 *
 * Versions 1.12 to 1.16 (revisions 0-255) are read; anything newer is refused with a message
 * naming the version. Up to 1.14 the compression is an int zlib level (−1 default, 0 none,
 * 1-9; any non-zero level means gzip); from 1.15 it is an algorithm byte (0 none, 1 gzip,
 * 2 LZ4, 3 zstd). The creation time is the dumping machine's local time with no zone, so it
 * is kept as informational text only.
 */
import type { ByteCursor } from './byte-cursor';
import { DumpError } from './dump-error';

export type ArchiveCompression = 'none' | 'gzip' | 'lz4' | 'zstd';

export interface ArchiveVersion {
  readonly major: number;
  readonly minor: number;
  readonly revision: number;
}

export interface ArchiveHeader {
  readonly version: ArchiveVersion;
  /** `1.14-0`, as pg_restore -l prints it. */
  readonly versionText: string;
  readonly intSize: number;
  readonly offSize: number;
  /** 1 in a custom archive, 3 in a toc.dat. */
  readonly formatByte: number;
  readonly compression: ArchiveCompression;
  /** The zlib level recorded by versions up to 1.14; null from 1.15 on. */
  readonly compressionLevel: number | null;
  /** Local creation time of the dumping machine, `YYYY-MM-DD HH:MM:SS`, no zone. */
  readonly createdLocal: string;
  readonly databaseName: Buffer | null;
  readonly serverVersion: Buffer | null;
  readonly pgDumpVersion: Buffer | null;
}

export const MIN_VERSION: ArchiveVersion = { major: 1, minor: 12, revision: 0 };
export const MAX_VERSION: ArchiveVersion = { major: 1, minor: 16, revision: 255 };
const HEADER_STRING_CAP = 64 * 1024;

/** Comparable number of a version (K_VERS_x_y in pg_dump's terms). */
export function versionNumber(v: ArchiveVersion): number {
  return v.major * 65536 + v.minor * 256 + v.revision;
}

export function atLeast(v: ArchiveVersion, major: number, minor: number): boolean {
  return versionNumber(v) >= versionNumber({ major, minor, revision: 0 });
}

const MAGIC = Buffer.from('PGDMP', 'latin1');

/**
 * Reads the header at the cursor (which must be at the start of the file). `expectedFormat`
 * is 1 for a custom archive and 3 for a toc.dat.
 */
export async function readArchiveHeader(cursor: ByteCursor, expectedFormat: 1 | 3): Promise<ArchiveHeader> {
  const magic = await cursor.readBytes(5, 'the archive signature');
  if (!magic.equals(MAGIC)) throw new DumpError('not_a_dump', 'the file does not start with PGDMP: it is not a pg_dump archive');
  const major = await cursor.readByte('the archive version');
  const minor = await cursor.readByte('the archive version');
  const revision = await cursor.readByte('the archive version');
  const version = { major, minor, revision };
  const versionText = `${major}.${minor}-${revision}`;
  if (versionNumber(version) > versionNumber(MAX_VERSION)) {
    throw new DumpError(
      'unsupported_version',
      `archive version ${major}.${minor}.${revision} is newer than this reader supports (1.12 to 1.16); it was written by a newer pg_dump. Dump again with --format=plain, or update batchdesk.`,
      { version: `${major}.${minor}.${revision}` },
    );
  }
  if (versionNumber(version) < versionNumber(MIN_VERSION)) {
    throw new DumpError(
      'unsupported_version',
      `archive version ${major}.${minor}.${revision} is older than this reader supports (1.12, PostgreSQL 9.0, and later)`,
      { version: `${major}.${minor}.${revision}` },
    );
  }
  const intSize = await cursor.readByte('the int size');
  if (intSize < 1 || intSize > 8) throw new DumpError('bad_header', `invalid int size ${intSize} in the archive header (expected 1 to 8)`);
  const offSize = await cursor.readByte('the offset size');
  if (offSize < 1 || offSize > 8) throw new DumpError('bad_header', `invalid offset size ${offSize} in the archive header (expected 1 to 8)`);
  const formatByte = await cursor.readByte('the format byte');
  if (formatByte !== expectedFormat) {
    throw new DumpError(
      'bad_format_byte',
      expectedFormat === 1
        ? `format byte ${formatByte} in a custom archive (expected 1); the file is damaged or not a custom-format dump`
        : `format byte ${formatByte} in toc.dat (expected 3)`,
      { formatByte },
    );
  }

  let compression: ArchiveCompression;
  let compressionLevel: number | null = null;
  if (atLeast(version, 1, 15)) {
    const algo = await cursor.readByte('the compression algorithm');
    const algos: Record<number, ArchiveCompression> = { 0: 'none', 1: 'gzip', 2: 'lz4', 3: 'zstd' };
    const c = algos[algo];
    if (!c) throw new DumpError('bad_header', `unknown compression algorithm ${algo} in the archive header`);
    compression = c;
  } else {
    const level = await cursor.readInt(intSize, 'the compression level');
    if (level < -1 || level > 9) throw new DumpError('bad_header', `invalid compression level ${level} in the archive header`);
    compressionLevel = level;
    compression = level === 0 ? 'none' : 'gzip';
  }

  const t: number[] = [];
  for (let i = 0; i < 7; i++) t.push(await cursor.readInt(intSize, 'the creation time'));
  const [sec, min, hour, day, month0, year1900] = t as [number, number, number, number, number, number];
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const createdLocal = `${pad(year1900 + 1900, 4)}-${pad(month0 + 1)}-${pad(day)} ${pad(hour)}:${pad(min)}:${pad(sec)}`;

  const databaseName = await cursor.readStringBytes(intSize, HEADER_STRING_CAP, 'the database name');
  const serverVersion = await cursor.readStringBytes(intSize, HEADER_STRING_CAP, 'the server version');
  const pgDumpVersion = await cursor.readStringBytes(intSize, HEADER_STRING_CAP, 'the pg_dump version');

  return {
    version,
    versionText,
    intSize,
    offSize,
    formatByte,
    compression,
    compressionLevel,
    createdLocal,
    databaseName,
    serverVersion,
    pgDumpVersion,
  };
}
