/**
 * Stores the converted rows of one dump table in its target table (SPEC.md j.7): the insert;
 * --merge's conflicts on the primary key or the natural key (`skip`, or `replace` the stored
 * row); duplicates of the new unique keys, where the newest `created_at` stays; a row that
 * fails a constraint is skipped and reported (--strict: the import fails). A merge's key
 * conflict with a stored row (one the database had before the import, found by the primary key
 * or the natural key) is no such failure: with `skip` the dump's row is skipped as planned
 * (`exists` or `duplicate_key`), --strict or not. A key conflict with a row this writer inserted
 * is a duplicate within the dump and follows the new file's rules: keep-newest tables keep the
 * newest row, others fail under --strict or skip the row as `duplicate_in_dump` (a new file's
 * `duplicate_key`), and the dump's row is neither re-pointed to nor replaces the first one. A
 * conflict on a unique index other than these two keys is no planned conflict either
 * (`duplicate_key`; --strict: the import fails).
 *
 * In a merge (`mergedIds` given), a dump row that resolves by its natural key to an existing row
 * with another id is remembered as that row, and the references of the rows stored later are
 * re-pointed to it (merged-ids.ts). Replacing a stored row never writes its locally derived
 * columns (LOCALLY_DERIVED_COLUMNS: the local batch's caches, a user's local key): they stay as
 * they are here, and the row is counted as `derived_columns_kept`. Nor does a replace point a
 * stored row at a parent that does not exist (`missing_parent`): the foreign-key post-step would
 * delete the local row and everything under it. The stored rows of the local bookkeeping (KEEP_LOCAL_ROWS) are never
 * replaced. Newest-wins settles the duplicates among the rows this dump wrote (inserted or
 * replaced); a conflict with a row the database had follows --on-conflict. A stored row keeps its
 * own id whichever dump row of its key wins: a newer one updates it in place.
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
import { KEEP_LOCAL_ROWS, KEEP_NEWEST_DUPLICATE, LOCALLY_DERIVED_COLUMNS, type ImportRow } from './import-table-rules';
import type { TargetColumn, TargetForeignKey, TargetTable } from './import-target';
import type { MergedIds } from './merged-ids';
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
  /** Called for every stored row the dump's row replaced (--on-conflict replace). */
  readonly onReplaced?: (row: ImportRow) => void;
  /** --merge: ids resolved to existing rows, shared by the writers of one import. */
  readonly mergedIds?: MergedIds;
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
  /** --on-conflict for this table: 'skip' for the local bookkeeping (KEEP_LOCAL_ROWS). */
  private readonly onConflict: 'skip' | 'replace' | 'fail';
  /** A merge into a KEEP_LOCAL_ROWS table: a key conflict keeps the stored row. */
  private readonly keepsLocal: boolean;
  /** With --on-conflict replace: one look-up per foreign key, whether the parent exists. */
  private readonly parents: readonly { readonly fk: TargetForeignKey; readonly exists: Statement }[];
  private readonly insert: Statement;
  private readonly updateByPk: Statement | null;
  /** With --on-conflict replace: a stored row matched by its natural key takes the dump's values. */
  private readonly updateByRowid: Statement | null;
  /** The columns a replace writes: not the key, not the locally derived ones. */
  private readonly updateCols: readonly TargetColumn[];
  private readonly keepsDerived: boolean;
  /** The merge's id map, when some foreign key references this table's primary key. */
  private readonly mergedIds: MergedIds | null;
  /** A merge: the row holding the dump row's primary key. */
  private readonly byPk: Statement | null;
  /** A merge: the rowids of the rows this writer inserted (a key conflict with one is a duplicate within the dump). */
  private readonly insertedRowids: Set<number> | null;
  private readonly natural: readonly string[] | null;
  private readonly byNatural: Statement | null;
  private readonly keepNewest: boolean;
  /**
   * A merge's natural keys of the keep-newest rows this dump wrote, how (`inserted`: the row is
   * the dump's; `replaced`: a stored row holds the dump's values under its own id) and the key
   * of the dump row held. Newest-wins settles duplicates within the dump only; a conflict with a
   * row the database had follows --on-conflict.
   */
  private readonly storedFromDump: Map<string, { readonly how: 'inserted' | 'replaced'; readonly key: string }> | null;
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
    this.keepsLocal = o.onConflict !== 'fail' && KEEP_LOCAL_ROWS.has(target.name);
    const onConflict = (this.onConflict = this.keepsLocal ? 'skip' : o.onConflict);
    const quoted = cols.map((c) => `"${c.name}"`).join(', ');
    this.insert = db.prepare(`INSERT INTO "${target.name}" (${quoted}) VALUES ${valueRows(cols.length, 1)}`);
    const derived = LOCALLY_DERIVED_COLUMNS[target.name] ?? [];
    this.updateCols = cols.filter((c) => !pk.includes(c.name) && !derived.includes(c.name));
    this.keepsDerived = cols.some((c) => derived.includes(c.name));
    this.updateByPk =
      pk.length > 0 && onConflict === 'replace' && this.updateCols.length > 0
        ? db.prepare(`UPDATE "${target.name}" SET ${this.updateCols.map((c) => `"${c.name}" = ?`).join(', ')} WHERE ${pk.map((k) => `"${k}" = ?`).join(' AND ')}`)
        : null;
    this.updateByRowid =
      onConflict === 'replace' && this.updateCols.length > 0 ? db.prepare(`UPDATE "${target.name}" SET ${this.updateCols.map((c) => `"${c.name}" = ?`).join(', ')} WHERE rowid = ?`) : null;
    this.parents =
      onConflict === 'replace' ? target.foreignKeys.map((fk) => ({ fk, exists: db.prepare(`SELECT 1 FROM "${fk.parent}" WHERE "${fk.parentColumn}" = ?`) })) : [];
    this.mergedIds = o.mergedIds && pk.length === 1 && o.mergedIds.isReferenced(target.name, pk[0]!) ? o.mergedIds : null;
    this.byPk =
      pk.length > 0 && onConflict !== 'fail' ? db.prepare(`SELECT rowid AS rid FROM "${target.name}" WHERE ${pk.map((k) => `"${k}" = ?`).join(' AND ')}`) : null;
    this.insertedRowids = onConflict !== 'fail' ? new Set() : null;
    const natural = (this.natural = target.uniqueKeys[0] ?? null);
    // Looked up only where a duplicate key is resolved (keep the newest, or a merge's conflict).
    this.byNatural =
      natural && (KEEP_NEWEST_DUPLICATE.has(target.name) || onConflict !== 'fail') ? db.prepare(`SELECT rowid AS rid, * FROM "${target.name}" WHERE ${natural.map((k) => `"${k}" IS ?`).join(' AND ')}`) : null;
    this.keepNewest = KEEP_NEWEST_DUPLICATE.has(target.name) && natural !== null;
    this.storedFromDump = this.keepNewest && onConflict !== 'fail' ? new Map() : null;
    const groupRows = (this.groupRows = Math.max(1, Math.min(Math.floor(o.groupRows), Math.floor(MAX_BOUND_VALUES / cols.length))));
    this.grouped = groupRows > 1 && onConflict === 'fail' && !this.keepNewest ? db.prepare(`INSERT INTO "${target.name}" (${quoted}) VALUES ${valueRows(cols.length, groupRows)}`) : null;
    this.values = new Array<SqliteValue>(cols.length);
    this.groupValues = new Array<SqliteValue>(this.grouped ? groupRows * cols.length : 0);
  }

  /** Stores the row, or queues it for the next group statement. */
  add(row: ImportRow, rowNumber: number): void {
    if (this.o.mergedIds) this.o.mergedIds.repoint(this.o.target, row, this.o.report, () => rowKey(this.pk, row, rowNumber));
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
      if (this.storedRowid(this.byPk?.get(pk.map((k) => row[k] ?? null)))) {
        if (this.onConflict === 'replace' && this.updateByPk) {
          if (this.parentMissing(row, rowNumber, key())) return;
          this.updateByPk.run(...this.updateCols.map((c) => row[c.name] ?? null), ...pk.map((k) => row[k] ?? null));
          this.replaced(row, key(), key());
        } else {
          noteSkip(rep, key(), this.keepsLocal ? 'local_bookkeeping_kept' : 'exists');
        }
        return;
      }
      this.insertRow(row, key());
    } catch (e) {
      if (!isConstraint(e)) throw e;
      const existing = isKeyConflict(e.code) ? (this.byNatural?.get(this.natural!.map((k) => row[k] ?? null)) as Record<string, unknown> | undefined) : undefined;
      const conflict = isKeyConflict(e.code) ? this.conflictWith(row, existing) : null;
      if (conflict === 'stored' && this.keepsLocal) {
        noteSkip(rep, key(), 'local_bookkeeping_kept');
        return;
      }
      if (existing && this.resolveDuplicate(row, rowNumber, key, existing, conflict === 'stored')) return;
      // --on-conflict skip: a row whose key is stored already is skipped as planned, like one whose
      // primary key is stored ('exists'); it is no row that cannot be stored, so --strict lets it
      // pass. A duplicate within the dump (a merge's `duplicate_in_dump`) is such a row.
      if (o.strict && !(conflict === 'stored' && this.onConflict === 'skip')) {
        throw new DumpError('strict_violation', `--strict: ${o.label} row ${rowNumber} (${key()}) cannot be stored: ${e.message}`, { table: o.label, row: rowNumber });
      }
      noteSkip(rep, key(), conflict === null ? 'constraint_violation' : conflict === 'dump' && this.insertedRowids ? 'duplicate_in_dump' : 'duplicate_key', e.message);
      return;
    }
    this.inserted(row);
  }

  /** Inserts the dump's `row` (bound in `values`) and remembers it as this dump's. */
  private insertRow(row: ImportRow, key: string): void {
    const { lastInsertRowid } = this.insert.run(this.values);
    this.insertedRowids?.add(Number(lastInsertRowid));
    this.storedFromDump?.set(this.naturalKeyOf(row), { how: 'inserted', key });
  }

  /** True when `found` (a look-up's `{ rid }`) is a row the database had before this writer. */
  private storedRowid(found: unknown): boolean {
    return found !== undefined && !this.insertedRowids?.has((found as { rid: number }).rid);
  }

  /**
   * The row a key conflict is with: a row this writer inserted, found by the primary key or the
   * natural key (`existing`): `dump`, a duplicate within the dump; else one the database had:
   * `stored`, the merge's planned conflict; neither found: `other`, a conflict on another unique
   * index. In a new file every row is the dump's.
   */
  private conflictWith(row: ImportRow, existing: Record<string, unknown> | undefined): 'stored' | 'dump' | 'other' {
    const inserted = this.insertedRowids;
    if (!inserted) return 'dump';
    const byPk = this.byPk?.get(this.pk.map((k) => row[k] ?? null)) as { rid: number } | undefined;
    const natural = this.natural?.every((k) => row[k] !== null && row[k] !== undefined) ? (existing as { rid: number } | undefined) : undefined;
    const found = [byPk, natural].filter((r) => r !== undefined);
    if (found.length === 0) return 'other';
    return found.some((r) => inserted.has(r.rid)) ? 'dump' : 'stored';
  }

  /** A stored row was replaced by the dump's `row` (its locally derived columns excepted). */
  private replaced(row: ImportRow, key: string, change: string): void {
    const rep = this.o.report;
    this.storedFromDump?.set(this.naturalKeyOf(row), { how: 'replaced', key });
    noteChange(rep, key, 'replaced_existing', change);
    if (this.keepsDerived) rep.changes['derived_columns_kept'] = (rep.changes['derived_columns_kept'] ?? 0) + 1;
    rep.imported++;
    this.o.onReplaced?.(row);
  }

  /**
   * True when the dump's `row` would point a stored row at a parent that does not exist (its
   * parent was skipped, or is neither in the dump nor here; parents load first, `parentsFirst`):
   * the stored row is kept as it is and the dump's row is skipped as `missing_parent`
   * (--strict: the import fails, as for an orphan).
   */
  private parentMissing(row: ImportRow, rowNumber: number, key: string): boolean {
    for (const { fk, exists } of this.parents) {
      const v = row[fk.column];
      if (v === null || v === undefined || exists.get(v)) continue;
      const detail = `${fk.column} ${String(v)}: no such ${fk.parent} row`;
      if (this.o.strict) {
        throw new DumpError('strict_violation', `--strict: ${this.o.label} row ${rowNumber} (${key}) would point a stored row at a missing parent (${detail})`, {
          table: this.o.label,
          row: rowNumber,
        });
      }
      noteSkip(this.o.report, key, 'missing_parent', detail);
      return true;
    }
    return false;
  }

  /**
   * A duplicate natural key, `existing` the row holding it: keep the newest row (duplicates within
   * the dump; a stored row that an older dump row replaced takes the newer row's values under its
   * own id), or, when `existing` is `stored` (the database had it), replace it (--on-conflict
   * replace). A merge remembers the stored row as the dump's when the stored row stays. False
   * when the row is still to be skipped.
   */
  private resolveDuplicate(row: ImportRow, rowNumber: number, key: () => string, existing: Record<string, unknown>, stored: boolean): boolean {
    const { o } = this;
    const table = o.target.name;
    const rep = o.report;
    const held = this.storedFromDump?.get(this.naturalKeyOf(row));
    if (this.keepNewest && (!this.storedFromDump || held)) {
      // Duplicates of the new unique key within the dump: the newest created_at stays (j.7).
      if (String(row['created_at'] ?? '') > String(existing['created_at'] ?? '')) {
        if (held?.how === 'replaced') {
          // A stored row holds the older dump row's values: it takes the newer ones and keeps its id.
          if (this.parentMissing(row, rowNumber, key())) return true;
          this.updateByRowid?.run(...this.updateCols.map((c) => row[c.name] ?? null), existing['rid']);
          this.storedFromDump!.set(this.naturalKeyOf(row), { how: 'replaced', key: key() });
          this.rememberExisting(row, existing);
          noteChange(rep, key(), 'duplicates_dropped', `${held.key} (older than ${key()}; stored ${String(existing['id'])} keeps its id)`);
        } else {
          o.db.prepare(`DELETE FROM "${table}" WHERE rowid = ?`).run(existing['rid']);
          this.insertRow(row, key());
          noteChange(rep, key(), 'duplicates_dropped', `${String(existing['id'])} (older than ${key()})`);
        }
      } else {
        noteChange(rep, key(), 'duplicates_dropped', `${key()} (older than ${String(existing['id'])})`);
        this.rememberExisting(row, existing);
      }
      return true;
    }
    if (!stored) return false;
    this.rememberExisting(row, existing);
    if (this.onConflict !== 'replace') return false;
    if (this.parentMissing(row, rowNumber, key())) return true;
    this.updateByRowid?.run(...this.updateCols.map((c) => row[c.name] ?? null), existing['rid']);
    this.replaced(row, key(), `${key()} → existing ${String(existing['id'] ?? existing['rid'])}`);
    return true;
  }

  private naturalKeyOf(row: ImportRow): string {
    return this.natural!.map((k) => String(row[k] ?? '\u0000')).join('\u0001');
  }

  /** --merge: the dump's row is the stored `existing` row, under the stored row's id. */
  private rememberExisting(row: ImportRow, existing: Record<string, unknown>): void {
    if (!this.mergedIds) return;
    const id = this.pk[0]!;
    this.mergedIds.remember(this.o.target.name, id, row[id] ?? null, (existing[id] ?? null) as SqliteValue);
  }
}
