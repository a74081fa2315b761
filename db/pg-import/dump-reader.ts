/**
 * Reading the rows of a dump's tables, whatever the format: a table's decompressed data
 * bytes go through the COPY decoder (or the INSERT parser), then through the column
 * converters, in batches. Everything streams: memory holds one batch of rows, one
 * decompressor window and one data piece, never a whole table.
 */
import { RowConverter, type DecodedRow } from './column-converter';
import { CopyTextDecoder, type TextRow } from './copy-text-decoder';
import type { ReadProgress } from './custom-data-blocks';
import { DumpError, throwIfAborted } from './dump-error';
import type { DumpFacts, DumpFormat, DumpModel, DumpTable } from './dump-model';
import { parseInsert } from './insert-statement';
import { parseSetting } from './ddl-statements';
import { SqlStreamScanner } from './sql-stream-scanner';

export interface ReadOptions {
  /** Rows per batch (default 5,000). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export interface RowBatch {
  readonly rows: DecodedRow[];
  /** Dump bytes consumed for this table so far (progress, SPEC.md j.7). */
  readonly bytesConsumed: number;
}

export interface TextBatch {
  readonly rows: TextRow[];
  readonly bytesConsumed: number;
}

export class DumpReader {
  constructor(private readonly model: DumpModel) {}

  get format(): DumpFormat {
    return this.model.facts.format;
  }

  /** Facts for the import report: format, archive version, compression, encoding, versions. */
  get facts(): DumpFacts {
    return this.model.facts;
  }

  /** Enum types of the dump (`schema.name` → labels). */
  get enums(): ReadonlyMap<string, readonly string[]> {
    return this.model.enums;
  }

  /** The tables that have data, in dump order. */
  tables(): readonly DumpTable[] {
    return this.model.tables;
  }

  /** Finds a table by schema and name (the relation name, not the partition root). */
  table(schema: string, name: string): DumpTable | undefined {
    return this.model.tables.find((t) => t.schema === schema && t.name === name);
  }

  /** The table's decompressed data bytes exactly as stored (COPY text or INSERT statements). */
  rawData(table: DumpTable, options: ReadOptions = {}): AsyncIterable<Uint8Array> {
    return this.model.openData(table, { bytes: 0 }, options.signal);
  }

  /** Rows as text (null for SQL NULL), before any conversion: what PostgreSQL's ::text gives. */
  async *textBatches(table: DumpTable, options: ReadOptions = {}): AsyncGenerator<TextBatch> {
    const batchSize = options.batchSize ?? 5000;
    const progress: ReadProgress = { bytes: 0 };
    const label = `${table.schema}.${table.name}`;
    const data = this.model.openData(table, progress, options.signal);
    const names = table.columns.map((c) => c.name);
    const text = this.model.textOf(table);
    let out: TextRow[] = [];
    if (table.dataKind === 'copy') {
      const dec = new CopyTextDecoder({ codec: text.codec, table: label, columns: names });
      for await (const piece of data) {
        throwIfAborted(options.signal);
        dec.push(piece, out);
        if (out.length >= batchSize) {
          yield { rows: out, bytesConsumed: progress.bytes };
          out = [];
        }
        if (dec.finished) break;
      }
      dec.end();
      if (out.length > 0) yield { rows: out, bytesConsumed: progress.bytes };
      return;
    }
    if (names.length === 0) {
      throw new DumpError(
        'missing_data',
        `the INSERT data of ${label} has no column names and the dump does not define the table; a schema hint is needed`,
        { table: label },
      );
    }
    const index = new Map(names.map((n, i) => [n, i]));
    const codec = text.codec;
    let std = text.standardStrings;
    let statementNo = 0;
    const scanner: SqlStreamScanner = new SqlStreamScanner(
      {
        statement: (bytes) => {
          statementNo++;
          const sql = codec.decode(bytes, `INSERT statement ${statementNo} of ${label}`);
          const ins = parseInsert(sql, std, `INSERT statement ${statementNo} of ${label}`);
          if (!ins) {
            const s = parseSetting(sql);
            if (s?.name === 'standard_conforming_strings') {
              std = s.value.toLowerCase() === 'on';
              scanner.setStandardStrings(std);
            }
            return false;
          }
          for (const values of ins.rows) {
            if (ins.columns === null) {
              if (values.length !== names.length) {
                throw new DumpError(
                  'bad_copy_row',
                  `INSERT statement ${statementNo} of ${label} has ${values.length} values, the table has ${names.length} columns`,
                  { table: label },
                );
              }
              out.push(values);
            } else {
              const row: TextRow = new Array<string | null>(names.length).fill(null);
              ins.columns.forEach((c, k) => {
                const at = index.get(c);
                if (at === undefined) {
                  throw new DumpError('bad_copy_row', `INSERT statement ${statementNo} of ${label} names the unknown column ${c}`, {
                    table: label,
                    column: c,
                  });
                }
                row[at] = values[k] ?? null;
              });
              out.push(row);
            }
          }
          return false;
        },
        meta: () => {},
        copyData: () => {},
        copyEnd: () => {},
      },
      { standardStrings: std, what: `the INSERT data of ${label}` },
    );
    for await (const piece of data) {
      throwIfAborted(options.signal);
      scanner.push(piece);
      if (out.length >= batchSize) {
        yield { rows: out, bytesConsumed: progress.bytes };
        out = [];
      }
    }
    scanner.end();
    if (out.length > 0) yield { rows: out, bytesConsumed: progress.bytes };
  }

  /** Converted rows in batches, with progress as dump bytes consumed. */
  async *batches(table: DumpTable, options: ReadOptions = {}): AsyncGenerator<RowBatch> {
    const conv = new RowConverter(
      table.columns.map((c) => c.name),
      table.columns.map((c) => c.type),
      this.model.enums,
    );
    let n = 0;
    for await (const b of this.textBatches(table, options)) {
      const rows = new Array<DecodedRow>(b.rows.length);
      for (let i = 0; i < b.rows.length; i++) rows[i] = conv.convert(b.rows[i]!, ++n);
      yield { rows, bytesConsumed: b.bytesConsumed };
    }
  }

  /** Converted rows one by one (values SQLite-ready, plus conversion issues). */
  async *rows(table: DumpTable, options: ReadOptions = {}): AsyncGenerator<DecodedRow> {
    for await (const b of this.batches(table, options)) yield* b.rows;
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
