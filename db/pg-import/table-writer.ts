/**
 * Stores the converted rows of one dump table in its target table (SPEC.md j.7): the insert;
 * --merge's conflicts on the primary key or the natural key (`skip`, or `replace` the stored
 * row); duplicates of the new unique keys, where the newest `created_at` stays; a row that
 * fails a constraint is skipped and reported (--strict: the import fails).
 *
 * A new file (`onConflict: 'fail'`) inserts several rows per statement (`groupRows`, within
 * SQLite's limit of bound values): a quarter fewer seconds per row. A group that fails
 * a constraint is undone by SQLite as a whole (the statement journal works with journal_mode
 * OFF) and its rows are stored one by one, so each skip is reported exactly as without
 * grouping. The caller flushes before noting any skip of its own, which keeps the report's
 * order. Tables whose duplicates keep the newest row are stored row by row.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../open-database';
import { MAX_BOUND_VALUES, valueRows } from '../sql-lists';
import { DumpError } from './dump-error';
import { noteChange, noteSkip, type TableImportReport } from './import-report';
import { KEEP_NEWEST_DUPLICATE, type ImportRow } from './import-table-rules';
import type { TargetColumn, TargetTable } from './import-target';
import type { SqliteValue } from './value-issue';

export interface TableWriterOptions {
  readonly db: SqliteDatabase;
  readonly target: TargetTable;
  /** The columns the insert writes, in order. */
  readonly columns: readonly TargetColumn[];
  readonly report: TableImportReport;
  /** `schema.table` of the dump, for error messages. */
  readonly label: string;
  readonly strict: boolean;
  readonly onConflict: 'skip' | 'replace' | 'fail';
  /** Rows per INSERT statement when `onConflict` is 'fail' (1: row by row). */
  readonly groupRows: number;
  /** Called once for every row stored as a new row. */
  readonly onInserted: (row: ImportRow) => void;
}

/** The key a report gives a row: its primary key when complete, else its row number in the dump. */
export function rowKey(primaryKey: readonly string[], row: ImportRow, rowNumber: number): string {
  return primaryKey.length > 0 && primaryKey.every((k) => row[k] !== null && row[k] !== undefined) ? primaryKey.map((k) => String(row[k])).join('/') : `row ${rowNumber}`;
}

function isConstraint(e: unknown): e is Error & { code: string } {
  return typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_CONSTRAINT');
}

const isKeyConflict = (code: string) => code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

export class TableWriter {
  private readonly names: readonly string[];
  private readonly pk: readonly string[];
  private readonly insert: Statement;
  private readonly updateByPk: Statement | null;
  private readonly pkExists: Statement | null;
  private readonly natural: readonly string[] | null;
  private readonly byNatural: Statement | null;
  private readonly keepNewest: boolean;
  private readonly grouped: Statement | null;
  private readonly groupRows: number;
  // SQLite copies bound values, so one array serves every insert of the table.
  private readonly values: SqliteValue[];
  private readonly groupValues: SqliteValue[];
  private readonly pendingRows: ImportRow[] = [];
  private readonly pendingNumbers: number[] = [];

  constructor(private readonly o: TableWriterOptions) {
    const { db, target, columns: cols } = o;
    this.names = cols.map((c) => c.name);
    const pk = (this.pk = target.primaryKey);
    const quoted = cols.map((c) => `"${c.name}"`).join(', ');
    this.insert = db.prepare(`INSERT INTO "${target.name}" (${quoted}) VALUES ${valueRows(cols.length, 1)}`);
    this.updateByPk =
      pk.length > 0 && o.onConflict === 'replace'
        ? db.prepare(`UPDATE "${target.name}" SET ${cols.filter((c) => !pk.includes(c.name)).map((c) => `"${c.name}" = ?`).join(', ')} WHERE ${pk.map((k) => `"${k}" = ?`).join(' AND ')}`)
        : null;
    this.pkExists = pk.length > 0 ? db.prepare(`SELECT 1 FROM "${target.name}" WHERE ${pk.map((k) => `"${k}" = ?`).join(' AND ')}`) : null;
    const natural = (this.natural = target.uniqueKeys[0] ?? null);
    // Looked up only where a duplicate key is resolved (keep the newest, or --on-conflict replace).
    this.byNatural =
      natural && (KEEP_NEWEST_DUPLICATE.has(target.name) || o.onConflict === 'replace') ? db.prepare(`SELECT rowid AS rid, * FROM "${target.name}" WHERE ${natural.map((k) => `"${k}" IS ?`).join(' AND ')}`) : null;
    this.keepNewest = KEEP_NEWEST_DUPLICATE.has(target.name) && natural !== null;
    const groupRows = (this.groupRows = Math.max(1, Math.min(Math.floor(o.groupRows), Math.floor(MAX_BOUND_VALUES / cols.length))));
    this.grouped = groupRows > 1 && o.onConflict === 'fail' && !this.keepNewest ? db.prepare(`INSERT INTO "${target.name}" (${quoted}) VALUES ${valueRows(cols.length, groupRows)}`) : null;
    this.values = new Array<SqliteValue>(cols.length);
    this.groupValues = new Array<SqliteValue>(this.grouped ? groupRows * cols.length : 0);
  }

  /** Stores the row, or queues it for the next group statement. */
  add(row: ImportRow, rowNumber: number): void {
    if (!this.grouped) {
      this.store(row, rowNumber);
      return;
    }
    const names = this.names;
    const base = this.pendingRows.length * names.length;
    for (let k = 0; k < names.length; k++) this.groupValues[base + k] = row[names[k]!] ?? null;
    this.pendingRows.push(row);
    this.pendingNumbers.push(rowNumber);
    if (this.pendingRows.length === this.groupRows) this.flush();
  }

  /** Stores the queued rows: call before noting any other skip, and at the end of each batch. */
  flush(): void {
    const n = this.pendingRows.length;
    if (n === 0) return;
    let stored = false;
    if (n === this.groupRows && this.grouped) {
      try {
        this.grouped.run(this.groupValues);
        stored = true;
      } catch (e) {
        if (!isConstraint(e)) throw e;
      }
    }
    for (let i = 0; i < n; i++) {
      if (stored) this.inserted(this.pendingRows[i]!);
      else this.store(this.pendingRows[i]!, this.pendingNumbers[i]!);
    }
    this.pendingRows.length = 0;
    this.pendingNumbers.length = 0;
  }

  private inserted(row: ImportRow): void {
    this.o.report.imported++;
    this.o.onInserted(row);
  }

  /** One row on its own: the conflict rules, the duplicate rules, the skip reports. */
  private store(row: ImportRow, rowNumber: number): void {
    const { o, pk, values, names } = this;
    const rep = o.report;
    const key = () => rowKey(pk, row, rowNumber);
    for (let k = 0; k < names.length; k++) values[k] = row[names[k]!] ?? null;
    try {
      if (o.onConflict !== 'fail' && this.pkExists && this.pkExists.get(pk.map((k) => row[k] ?? null))) {
        if (o.onConflict === 'replace' && this.updateByPk) {
          this.updateByPk.run(...o.columns.filter((c) => !pk.includes(c.name)).map((c) => row[c.name] ?? null), ...pk.map((k) => row[k] ?? null));
          noteChange(rep, key(), 'replaced_existing', key());
          rep.imported++;
        } else {
          noteSkip(rep, key(), 'exists');
        }
        return;
      }
      this.insert.run(values);
    } catch (e) {
      if (!isConstraint(e)) throw e;
      if (isKeyConflict(e.code) && this.byNatural && this.natural && this.resolveDuplicate(row, key)) return;
      if (o.strict) {
        throw new DumpError('strict_violation', `--strict: ${o.label} row ${rowNumber} (${key()}) cannot be stored: ${e.message}`, { table: o.label, row: rowNumber });
      }
      noteSkip(rep, key(), isKeyConflict(e.code) ? 'duplicate_key' : 'constraint_violation', e.message);
      return;
    }
    this.inserted(row);
  }

  /** A duplicate natural key: keep the newest row, or replace the stored one (--on-conflict replace). False when neither applies. */
  private resolveDuplicate(row: ImportRow, key: () => string): boolean {
    const { o, pk, values } = this;
    const table = o.target.name;
    const rep = o.report;
    const existing = this.byNatural!.get(this.natural!.map((k) => row[k] ?? null)) as Record<string, unknown> | undefined;
    if (!existing) return false;
    if (this.keepNewest) {
      // Duplicates of the new unique key: the newest created_at stays (j.7).
      if (String(row['created_at'] ?? '') > String(existing['created_at'] ?? '')) {
        o.db.prepare(`DELETE FROM "${table}" WHERE rowid = ?`).run(existing['rid']);
        this.insert.run(values);
        noteChange(rep, key(), 'duplicates_dropped', `${String(existing['id'])} (older than ${key()})`);
      } else {
        noteChange(rep, key(), 'duplicates_dropped', `${key()} (older than ${String(existing['id'])})`);
      }
      return true;
    }
    if (o.onConflict !== 'replace') return false;
    const setCols = o.columns.filter((c) => !pk.includes(c.name));
    o.db.prepare(`UPDATE "${table}" SET ${setCols.map((c) => `"${c.name}" = ?`).join(', ')} WHERE rowid = ?`).run(...setCols.map((c) => row[c.name] ?? null), existing['rid']);
    noteChange(rep, key(), 'replaced_existing', `${key()} → existing ${String(existing['id'] ?? existing['rid'])}`);
    rep.imported++;
    return true;
  }
}
