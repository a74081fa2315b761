/**
 * Table-of-contents entries (pg-import.md 2.4), field by field in file order, with the
 * per-version fields: `tableam` from 1.14, the `relkind` int from 1.16; dependencies are
 * decimal strings ended by a NULL string (no count); the last field is a data offset in a
 * custom archive and a file name in a directory or tar `toc.dat`.
 *
 * Strings are read as bytes and decoded once the ENCODING entry is known. Caps bound the
 * entry count, each string and each dependency list, so a damaged file fails cleanly.
 */
import { atLeast, type ArchiveHeader } from './archive-header';
import type { ArchiveOffset, ByteCursor } from './byte-cursor';
import { DumpError } from './dump-error';
import { parseEncodingName, textCodec, type DumpEncoding } from './text-encoding';

export const OFFSET_NOT_SET = 1;
export const OFFSET_SET = 2;
export const OFFSET_NO_DATA = 3;

export interface TocLimits {
  readonly maxEntries: number;
  readonly maxStringBytes: number;
  readonly maxDependencies: number;
}

export const DEFAULT_TOC_LIMITS: TocLimits = {
  maxEntries: 2_000_000,
  maxStringBytes: 256 * 1024 * 1024,
  maxDependencies: 1_000_000,
};

export interface TocEntry {
  readonly dumpId: number;
  readonly hadDumper: boolean;
  readonly tableoid: string | null;
  readonly oid: string | null;
  readonly tag: string | null;
  readonly desc: string | null;
  readonly section: number;
  readonly defn: string | null;
  readonly dropStmt: string | null;
  readonly copyStmt: string | null;
  readonly namespace: string | null;
  readonly tablespace: string | null;
  /** 1.14 and later; null before. */
  readonly tableam: string | null;
  /** 1.16 and later (a character code such as 114 'r'); null before. */
  readonly relkind: number | null;
  readonly owner: string | null;
  readonly withOids: string | null;
  readonly dependencies: readonly number[];
  /** Custom archives only. */
  readonly dataOffset: ArchiveOffset | null;
  /** Directory and tar only: `<dumpId>.dat` for data entries, empty otherwise. */
  readonly fileName: string | null;
}

/** The same fields with strings still as bytes (the encoding is not known yet). */
export interface RawTocEntry {
  readonly dumpId: number;
  readonly hadDumper: number;
  readonly section: number;
  readonly strings: Record<RawStringField, Buffer | null>;
  readonly relkind: number | null;
  readonly dependencies: Buffer[];
  readonly dataOffset: ArchiveOffset | null;
}

type RawStringField =
  | 'tableoid'
  | 'oid'
  | 'tag'
  | 'desc'
  | 'defn'
  | 'dropStmt'
  | 'copyStmt'
  | 'namespace'
  | 'tablespace'
  | 'tableam'
  | 'owner'
  | 'withOids'
  | 'fileName';

export type TocKind = 'custom' | 'toc.dat';

/** Reads the entry count and every entry. */
export async function readRawToc(
  cursor: ByteCursor,
  header: ArchiveHeader,
  kind: TocKind,
  limits: TocLimits = DEFAULT_TOC_LIMITS,
): Promise<RawTocEntry[]> {
  const { intSize, offSize, version } = header;
  const countAt = cursor.position;
  const count = await cursor.readInt(intSize, 'the number of table-of-contents entries');
  if (count < 0) throw new DumpError('bad_toc', `negative table-of-contents entry count ${count} at byte ${countAt}`);
  if (count > limits.maxEntries) {
    throw new DumpError('too_large', `the table of contents claims ${count} entries, above the limit of ${limits.maxEntries}`);
  }
  // The smallest possible entry takes well over 2 × (1 + intSize) bytes.
  if (count * 2 * (1 + intSize) > cursor.remaining) {
    throw new DumpError('truncated', `the table of contents claims ${count} entries but the file is too short to hold them`);
  }
  const str = (what: string) => cursor.readStringBytes(intSize, limits.maxStringBytes, what);
  const entries: RawTocEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = cursor.position;
    const dumpId = await cursor.readInt(intSize, 'an entry id');
    if (dumpId <= 0) throw new DumpError('bad_toc', `table-of-contents entry ${i + 1} at byte ${at} has id ${dumpId}; ids must be positive`);
    const hadDumper = await cursor.readInt(intSize, 'an entry flag');
    const tableoid = await str('an entry table oid');
    const oid = await str('an entry oid');
    const tag = await str('an entry tag');
    const desc = await str('an entry type');
    const section = await cursor.readInt(intSize, 'an entry section');
    if (section < 0 || section > 100) throw new DumpError('bad_toc', `entry ${dumpId} at byte ${at} has an invalid section ${section}`);
    const defn = await str('an entry definition');
    const dropStmt = await str('an entry drop statement');
    const copyStmt = await str('an entry COPY statement');
    const namespace = await str('an entry schema');
    const tablespace = await str('an entry tablespace');
    const tableam = atLeast(version, 1, 14) ? await str('an entry table access method') : null;
    const relkind = atLeast(version, 1, 16) ? await cursor.readInt(intSize, 'an entry relation kind') : null;
    const owner = await str('an entry owner');
    const withOids = await str('an entry withOids flag');
    const dependencies: Buffer[] = [];
    for (;;) {
      const dep = await str('a dependency');
      if (dep === null) break;
      if (dependencies.length >= limits.maxDependencies) {
        throw new DumpError('too_large', `entry ${dumpId} lists more than ${limits.maxDependencies} dependencies`);
      }
      dependencies.push(dep);
    }
    let dataOffset: ArchiveOffset | null = null;
    let fileName: Buffer | null = null;
    if (kind === 'custom') {
      const offAt = cursor.position;
      dataOffset = await cursor.readOffset(offSize, 'an entry data offset');
      if (dataOffset.flag < OFFSET_NOT_SET || dataOffset.flag > OFFSET_NO_DATA) {
        throw new DumpError('bad_offset_flag', `entry ${dumpId} has data-offset flag ${dataOffset.flag} at byte ${offAt} (expected 1, 2 or 3); the file is damaged`, {
          offset: offAt,
        });
      }
    } else {
      fileName = await str('an entry file name');
    }
    entries.push({
      dumpId,
      hadDumper,
      section,
      strings: { tableoid, oid, tag, desc, defn, dropStmt, copyStmt, namespace, tablespace, tableam, owner, withOids, fileName },
      relkind,
      dependencies,
      dataOffset,
    });
  }
  return entries;
}

/** The encoding named by the ENCODING entry (`SET client_encoding = 'UTF8';`), default SQL_ASCII as pg_restore does. */
export function encodingOfToc(raw: readonly RawTocEntry[]): { encoding: DumpEncoding; name: string } {
  for (const e of raw) {
    if (e.strings.desc?.toString('latin1') !== 'ENCODING') continue;
    const defn = e.strings.defn?.toString('latin1') ?? '';
    const m = /'([^']*)'/.exec(defn);
    if (!m) throw new DumpError('bad_toc', `invalid ENCODING entry: ${JSON.stringify(defn.slice(0, 200))}`);
    const enc = parseEncodingName(m[1]!);
    if (!enc) {
      throw new DumpError('unsupported_encoding', `the dump's encoding ${m[1]} is not supported (UTF8, LATIN1, WIN1252 and SQL_ASCII are)`, {
        encoding: m[1],
      });
    }
    return { encoding: enc, name: m[1]! };
  }
  return { encoding: 'SQL_ASCII', name: 'SQL_ASCII' };
}

/** Decodes the raw entries with the archive's encoding (invalid bytes become U+FFFD here). */
export function decodeToc(raw: readonly RawTocEntry[], encoding: DumpEncoding): TocEntry[] {
  // SQL_ASCII's codec is UTF-8 with replacement characters: names and DDL never fail here.
  const codec = textCodec(encoding === 'UTF8' ? 'SQL_ASCII' : encoding);
  const s = (b: Buffer | null) => (b === null ? null : codec.decode(b, 'the table of contents'));
  return raw.map((r) => {
    const deps: number[] = [];
    for (const d of r.dependencies) {
      const t = d.toString('latin1');
      if (/^\d{1,15}$/.test(t)) deps.push(Number(t));
    }
    return {
      dumpId: r.dumpId,
      hadDumper: r.hadDumper !== 0,
      tableoid: s(r.strings.tableoid),
      oid: s(r.strings.oid),
      tag: s(r.strings.tag),
      desc: s(r.strings.desc),
      section: r.section,
      defn: s(r.strings.defn),
      dropStmt: s(r.strings.dropStmt),
      copyStmt: s(r.strings.copyStmt),
      namespace: s(r.strings.namespace),
      tablespace: s(r.strings.tablespace),
      tableam: s(r.strings.tableam),
      relkind: r.relkind,
      owner: s(r.strings.owner),
      withOids: s(r.strings.withOids),
      dependencies: deps,
      dataOffset: r.dataOffset,
      fileName: s(r.strings.fileName),
    };
  });
}
