/**
 * Plain SQL dumps (pg-import.md section 5) reduced to a DumpModel. One streaming pass of the
 * quote-aware scanner indexes the file: the encoding and standard_conforming_strings
 * settings, the DDL the reader needs (CREATE TABLE, CREATE TYPE … AS ENUM, ATTACH PARTITION),
 * the byte range of each `COPY … FROM stdin` block and of each run of INSERT statements for
 * one table. Nothing is executed and nothing but the current statement is held in memory.
 * Rows are read later from those byte ranges with positioned reads.
 *
 * pg_dumpall output (`PostgreSQL database cluster dump`) holds several databases, each after
 * a `\connect` line: the caller picks one with `database`, otherwise the dump is refused with
 * the list of databases.
 */
import { readRange, type ByteSource } from './byte-source';
import type { ReadProgress } from './custom-data-blocks';
import { parseCopyStatement, parseSetting, readQualifiedName } from './ddl-statements';
import { DumpCatalog, refKey, toRef, type SchemaHint, type TableRef } from './dump-catalog';
import { DumpError, throwIfAborted } from './dump-error';
import type { DumpFacts, DumpModel, DumpTable, WrapperCompression } from './dump-model';
import { identValue, isPunct, lexSql } from './sql-lexer';
import { SqlStreamScanner } from './sql-stream-scanner';
import { parseEncodingName, textCodec, type DumpEncoding } from './text-encoding';

interface TextSettings {
  readonly encoding: DumpEncoding;
  readonly encodingName: string;
  readonly std: boolean;
}

interface CopyBlock {
  readonly table: TableRef;
  readonly columns: readonly string[] | null;
  /** The settings in effect where the data appears (a cluster dump changes them between databases). */
  readonly text: TextSettings;
  dataStart: number;
  dataEnd: number;
}

interface InsertRun {
  readonly table: TableRef;
  readonly columns: readonly string[] | null;
  /** The bytes `INSERT INTO <name>` of the first statement, to recognise the next ones cheaply. */
  readonly prefix: Buffer;
  readonly ranges: { start: number; end: number }[];
  readonly text: TextSettings;
}

interface Section {
  readonly name: string | null;
  readonly catalog: DumpCatalog;
  encoding: DumpEncoding;
  encodingName: string;
  std: boolean;
  readonly copies: CopyBlock[];
  readonly inserts: InsertRun[];
  serverVersion: string | null;
  pgDumpVersion: string | null;
  /**
   * The tables whose data pg_dump headed (`-- Data for Name: t; Type: TABLE DATA; Schema: s`), as
   * `schema.name`: the dump has data though `--inserts` writes no statement for an empty table,
   * and a table without a heading had its data left out (`--exclude-table-data`).
   */
  readonly tableData: Set<string>;
}

function newSection(name: string | null): Section {
  return {
    name,
    catalog: new DumpCatalog(),
    encoding: 'SQL_ASCII',
    encodingName: 'SQL_ASCII',
    std: false,
    copies: [],
    inserts: [],
    serverVersion: null,
    pgDumpVersion: null,
    tableData: new Set(),
  };
}

/** The heading pg_dump writes before each table's data (`-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: o`). */
const TABLE_DATA_HEADING = Buffer.from('; Type: TABLE DATA;');
const TABLE_DATA_NAMES = /^-- Data for Name: (.*); Type: TABLE DATA; Schema: (.*); Owner: /gm;

function settingsOf(s: Section): TextSettings {
  return { encoding: s.encoding, encodingName: s.encodingName, std: s.std };
}

/** Index of the first byte that is not whitespace or part of a comment. */
function skipTrivia(b: Buffer): number {
  let i = 0;
  for (;;) {
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x09 || b[i] === 0x0d || b[i] === 0x0c)) i++;
    if (b[i] === 0x2d && b[i + 1] === 0x2d) {
      const nl = b.indexOf(0x0a, i);
      if (nl < 0) return b.length;
      i = nl + 1;
      continue;
    }
    if (b[i] === 0x2f && b[i + 1] === 0x2a) {
      let depth = 0;
      while (i < b.length) {
        if (b[i] === 0x2f && b[i + 1] === 0x2a) {
          depth++;
          i += 2;
        } else if (b[i] === 0x2a && b[i + 1] === 0x2f) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      continue;
    }
    return i;
  }
}

/** Database name of a `\connect` line: `\connect db`, `\connect "Db"`, `\connect -reuse-previous=on "dbname='db'"`. */
export function connectTarget(line: string): string | null {
  const m = /^\\(?:connect|c)\s+(.*)$/.exec(line.trim());
  if (!m) return null;
  const args = m[1]!.trim();
  const conn = /dbname='((?:[^'\\]|\\.)*)'/.exec(args);
  if (conn) return conn[1]!.replace(/\\(.)/g, '$1');
  const rest = args.replace(/^-reuse-previous=\S+\s*/, '');
  const q = /^"((?:[^"]|"")*)"/.exec(rest);
  if (q) return q[1]!.replace(/""/g, '"');
  const w = /^(\S+)/.exec(rest);
  return w ? w[1]! : null;
}

export interface PlainModelInput {
  readonly path: string;
  readonly source: ByteSource;
  readonly wrapper: WrapperCompression | null;
  readonly database: string | undefined;
  readonly hint: SchemaHint | undefined;
  readonly signal: AbortSignal | undefined;
  readonly closeSource: () => Promise<void>;
}

/**
 * pg_dump ends a plain dump with the comment `-- PostgreSQL database dump complete` (pg_dumpall:
 * `... cluster dump complete`), followed in releases since August 2025 by `\unrestrict <key>`
 * when the file began with `\restrict <key>` (5.1). A file without that ending was cut short:
 * cut between statements, it would still parse and import part of the tables, and a replace
 * would then delete the rest, so it is refused before any row is read (after the scan, whose
 * errors name a cut inside a statement or a COPY block more precisely).
 */
async function checkComplete(source: ByteSource, head: string, isCluster: boolean, path: string): Promise<void> {
  const tailStart = Math.max(0, source.size - 4096);
  let tail = (await source.read(tailStart, source.size - tailStart)).toString('latin1').replace(/\r\n/g, '\n').trimEnd();
  // A cluster dump restricts each database section apart and ends with its own trailer.
  const restrict = isCluster ? null : /^\\restrict (\S+)/m.exec(head);
  if (restrict) {
    const last = /\n\\unrestrict (\S+)$/.exec(tail);
    if (!last || last[1] !== restrict[1]) {
      throw new DumpError('truncated', `${path} began with \\restrict but does not end with its \\unrestrict line: the file is truncated; make the dump again`);
    }
    tail = tail.slice(0, last.index).trimEnd();
  }
  const trailer = `-- PostgreSQL database ${isCluster ? 'cluster ' : ''}dump complete\n--`;
  if (!tail.endsWith(trailer)) {
    throw new DumpError('truncated', `${path} does not end with pg_dump's "${trailer.split('\n')[0]}" line: the file is truncated (or was edited); make the dump again`);
  }
}

export async function buildPlainModel(input: PlainModelInput): Promise<DumpModel> {
  const { source } = input;
  const head = (await source.read(0, 8192)).toString('latin1');
  const isCluster = head.includes('PostgreSQL database cluster dump');
  const sections = new Map<string | null, Section>();
  let cur = newSection(null);
  sections.set(null, cur);
  let currentCopy: CopyBlock | null = null;
  let lastRun: InsertRun | null = null;

  const settings = (): TextSettings => ({ encoding: cur.encoding, encodingName: cur.encodingName, std: cur.std });
  const decode = (b: Buffer) => textCodec(cur.encoding === 'UTF8' ? 'SQL_ASCII' : cur.encoding).decode(b, input.path);
  const scanner: SqlStreamScanner = new SqlStreamScanner(
    {
      statement(bytes, start, end) {
        const t = skipTrivia(bytes);
        if (t > 2 && bytes.subarray(0, t).includes(TABLE_DATA_HEADING)) {
          for (const m of decode(bytes.subarray(0, t)).matchAll(TABLE_DATA_NAMES)) cur.tableData.add(refKey({ schema: m[2]!, name: m[1]! }));
        }
        if (cur.serverVersion === null && t > 0) {
          const comments = bytes.toString('latin1', 0, t);
          const from = /-- Dumped from database version (.*)/.exec(comments);
          const by = /-- Dumped by pg_dump version (.*)/.exec(comments);
          if (from) cur.serverVersion = from[1]!.trim();
          if (by) cur.pgDumpVersion = by[1]!.trim();
        }
        const word = /^([A-Za-z]+)\s+([A-Za-z_]+)/.exec(bytes.toString('latin1', t, Math.min(bytes.length, t + 64)));
        if (!word) return false;
        const w1 = word[1]!.toLowerCase();
        const w2 = word[2]!.toLowerCase();
        if (w1 === 'insert') {
          const body = bytes.subarray(t);
          if (lastRun && body.length > lastRun.prefix.length && body.subarray(0, lastRun.prefix.length).equals(lastRun.prefix)) {
            const r = lastRun.ranges[lastRun.ranges.length - 1]!;
            if (r.end <= start) r.end = end;
            return false;
          }
          const headText = decode(body.subarray(0, Math.min(body.length, 64 * 1024)));
          const tokens = lexSql(headText.slice(0, cutBeforeValues(headText)), { standardStrings: cur.std, where: input.path });
          const qn = readQualifiedName(tokens, 2);
          if (!qn) throw new DumpError('bad_sql', `cannot read the table name of an INSERT at byte ${start} of ${input.path}`);
          let columns: string[] | null = null;
          if (isPunct(tokens[qn.next], '(')) {
            columns = [];
            for (let k = qn.next + 1; k < tokens.length && !isPunct(tokens[k], ')'); k++) {
              const v = identValue(tokens[k]);
              if (v !== null) columns.push(v);
            }
          }
          const nameEnd = tokens[qn.next - 1]!.end;
          const prefix = Buffer.from(body.subarray(0, Buffer.byteLength(headText.slice(0, nameEnd + 1), cur.encoding === 'UTF8' ? 'utf8' : 'latin1')));
          const run: InsertRun = { table: toRef(qn.name), columns, prefix, ranges: [{ start: start + t, end }], text: settings() };
          cur.inserts.push(run);
          lastRun = run;
          return false;
        }
        lastRun = null;
        if (w1 === 'set' || w1 === 'select') {
          if (w1 === 'select' && !/set_config/i.test(bytes.toString('latin1', t, Math.min(bytes.length, t + 200)))) return false;
          const s = parseSetting(decode(bytes.subarray(t)));
          if (s?.name === 'client_encoding') {
            const enc = parseEncodingName(s.value);
            if (!enc) {
              throw new DumpError('unsupported_encoding', `the dump's encoding ${s.value} is not supported (UTF8, LATIN1, WIN1252 and SQL_ASCII are)`, {
                encoding: s.value,
              });
            }
            cur.encoding = enc;
            cur.encodingName = s.value;
          } else if (s?.name === 'standard_conforming_strings') {
            cur.std = s.value.toLowerCase() === 'on';
            scanner.setStandardStrings(cur.std);
          }
          return false;
        }
        if ((w1 === 'create' && /^(table|unlogged|type|foreign)$/.test(w2)) || (w1 === 'alter' && w2 === 'table')) {
          if (w1 === 'alter' && !/ATTACH\s+PARTITION/i.test(bytes.toString('latin1', t, Math.min(bytes.length, t + 2000)))) return false;
          cur.catalog.addDdl(decode(bytes.subarray(t)), cur.std);
          return false;
        }
        if (w1 === 'copy') {
          const c = parseCopyStatement(decode(bytes.subarray(t)));
          if (!c || !c.fromStdin) return false;
          currentCopy = { table: toRef(c.table), columns: c.columns, text: settings(), dataStart: -1, dataEnd: -1 };
          cur.copies.push(currentCopy);
          return true;
        }
        return false;
      },
      meta(line) {
        lastRun = null;
        if (!isCluster) return;
        const db = connectTarget(line.toString('utf8'));
        if (db === null) return;
        let s = sections.get(db);
        if (!s) {
          s = newSection(db);
          // A database section starts with the settings of the cluster dump's connection.
          s.encoding = cur.encoding;
          s.encodingName = cur.encodingName;
          s.std = cur.std;
          sections.set(db, s);
        }
        cur = s;
      },
      copyData(_piece, at) {
        if (currentCopy && currentCopy.dataStart < 0) currentCopy.dataStart = at;
      },
      copyEnd(end) {
        if (currentCopy) currentCopy.dataEnd = end;
        currentCopy = null;
      },
    },
    { what: input.path, standardStrings: false },
  );

  const progress = { bytes: 0 };
  for await (const piece of readRange(source, 0, source.size, progress, 256 * 1024)) {
    throwIfAborted(input.signal);
    scanner.push(piece);
  }
  scanner.end();
  await checkComplete(source, head, isCluster, input.path);

  let section: Section;
  const names = [...sections.keys()].filter((k): k is string => k !== null);
  if (isCluster) {
    if (input.database === undefined) {
      throw new DumpError(
        'cluster_dump_needs_database',
        `${input.path} is a pg_dumpall cluster dump with the databases ${names.join(', ')}; choose one with --database NAME`,
        { databases: names },
      );
    }
    const s = sections.get(input.database);
    if (!s) {
      throw new DumpError('database_not_in_cluster', `the cluster dump has no database ${input.database}; it has ${names.join(', ')}`, {
        databases: names,
      });
    }
    section = s;
  } else {
    section = cur;
  }
  const catalog = section.catalog;
  const tables: DumpTable[] = [];
  const copyById = new Map<string, CopyBlock>();
  const runById = new Map<string, InsertRun>();
  const textById = new Map<string, TextSettings>();
  section.copies.forEach((c, n) => {
    const id = `copy:${n + 1}`;
    copyById.set(id, c);
    textById.set(id, c.text);
    const { columns, defined } = catalog.dataColumns(c.table, c.columns, 'copy', input.hint);
    tables.push({
      id,
      schema: c.table.schema,
      name: c.table.name,
      target: catalog.targetOf(c.table),
      columns,
      dataKind: 'copy',
      hasDefinition: defined,
      dataBytes: c.dataEnd - c.dataStart,
      rowCount: null,
    });
  });
  // INSERT runs of the same table are one table.
  const merged = new Map<string, InsertRun>();
  for (const r of section.inserts) {
    const k = refKey(r.table);
    const m = merged.get(k);
    if (m) m.ranges.push(...r.ranges);
    else merged.set(k, { ...r, ranges: [...r.ranges] });
  }
  const insertTable = (id: string, r: InsertRun): DumpTable => {
    runById.set(id, r);
    textById.set(id, r.text);
    const { columns, defined } = catalog.dataColumns(r.table, catalog.hasTable(r.table) ? null : r.columns, 'insert', input.hint);
    return {
      id,
      schema: r.table.schema,
      name: r.table.name,
      target: catalog.targetOf(r.table),
      columns,
      dataKind: 'insert',
      hasDefinition: defined,
      dataBytes: r.ranges.reduce((s, x) => s + (x.end - x.start), 0),
      rowCount: null,
    };
  };
  let n = 0;
  for (const r of merged.values()) tables.push(insertTable(`insert:${++n}`, r));
  // The dump's data is INSERT statements: some, or none at all when every table is empty (its
  // data headings are there, and no COPY block).
  const insertForm = merged.size > 0 || (section.tableData.size > 0 && section.copies.length === 0);
  const hasData = tables.length > 0 || insertForm;
  // pg_dump --inserts writes nothing for a table without rows, where COPY writes an empty
  // block: such a dump's defined tables without INSERTs are its empty tables, listed with no
  // data (so the import report names them with 0 rows as for a COPY dump), each where pg_dump
  // would have written its data: before the first table defined after it. A partition whose
  // rows went in through its root (--load-via-partition-root) is not one.
  if (insertForm) {
    const defined = catalog.tablesHoldingRows();
    const order = new Map(defined.map((r, i) => [refKey(r), i]));
    const orderOf = (r: TableRef) => order.get(refKey(r)) ?? defined.length;
    const withData = new Set(tables.map(refKey));
    for (const r of defined) {
      if (withData.has(refKey(r)) || withData.has(refKey(catalog.targetOf(r)))) continue;
      // Data left out of the dump (--exclude-table-data) is no empty table: it is not listed, as in a COPY dump.
      if (section.tableData.size > 0 && !section.tableData.has(refKey(r))) continue;
      const empty = insertTable(`insert:${++n}`, { table: r, columns: null, prefix: Buffer.alloc(0), ranges: [], text: settingsOf(section) });
      const before = tables.findIndex((t) => orderOf(t) > orderOf(r));
      tables.splice(before < 0 ? tables.length : before, 0, empty);
    }
  }
  // The section's encoding is the one its data was written in (the first data block's).
  const first = [...textById.values()][0] ?? settingsOf(section);
  const warnings: string[] = [];
  if (first.encoding === 'SQL_ASCII') {
    warnings.push('the dump is in SQL_ASCII (the server never checked its bytes); text is read as UTF-8 and invalid bytes become U+FFFD');
  }
  const facts: DumpFacts = {
    path: input.path,
    format: 'plain',
    wrapper: input.wrapper,
    archiveVersion: null,
    compression: 'none',
    compressionLevel: null,
    encoding: first.encodingName,
    standardConformingStrings: first.std,
    databaseName: isCluster ? (input.database ?? null) : null,
    serverVersion: section.serverVersion,
    pgDumpVersion: section.pgDumpVersion,
    createdLocal: null,
    clusterDatabases: isCluster ? names : null,
    hasSchema: catalog.tableCount > 0,
    hasData,
    sizeBytes: source.size,
    warnings,
  };
  return {
    facts,
    tables,
    enums: catalog.enums,
    textOf(table: DumpTable) {
      const t = textById.get(table.id) ?? first;
      return { codec: textCodec(t.encoding), standardStrings: t.std };
    },
    openData(table: DumpTable, p: ReadProgress) {
      const c = copyById.get(table.id);
      if (c) return readRange(source, c.dataStart, c.dataEnd, p);
      const r = runById.get(table.id);
      if (!r) throw new DumpError('no_such_table', `${table.schema}.${table.name} is not a table of this dump`);
      return (async function* () {
        for (const range of r.ranges) yield* readRange(source, range.start, range.end, p);
      })();
    },
    close: input.closeSource,
  };
}

/** Where the VALUES keyword starts in an INSERT's head (outside quotes), or the text length. */
function cutBeforeValues(text: string): number {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === 'V' || c === 'v' || c === 'O' || c === 'o') && /^(VALUES|OVERRIDING)\b/i.test(text.slice(i, i + 11)) && /\s/.test(text[i - 1] ?? ' ')) {
      return i;
    }
  }
  return text.length;
}
