/**
 * --merge's re-pointing (SPEC.md j.7): a dump row whose natural key resolves to a row that
 * already exists under another id (`scenario_id` of a stress scenario, `name` of a factor
 * definition, `email` of a user, …) is that existing row, whether
 * --on-conflict skips the dump row or replaces the stored one in place. The dump's rows that
 * reference it by the dump's id are re-pointed to the existing id before they are stored, so
 * they are neither orphans (deleted by the foreign-key post-step) nor attached to a row that
 * does not exist.
 *
 * Only ids that some single-column foreign key references are remembered (a re-imported price
 * cache resolves every row by its natural key, and nothing references a price row). A portfolio
 * matched by its account (`user_id`, `account_name`) is re-pointed like any other row: its
 * lots, snapshots and results join the local portfolio, a lot whose id is stored already is
 * skipped or replaced by that id (never doubled), and a replaced lot stays under the local
 * portfolio instead of pointing at the dump's id, which does not exist here. The merge
 * loads referenced tables before the tables that reference them (`parentsFirst`), so every id
 * is known before the rows pointing at it arrive. Each re-pointed row is counted in its table's
 * report as `repointed_to_existing`, with examples.
 */
import { noteChange, type TableImportReport } from './import-report';
import type { ImportRow } from './import-table-rules';
import type { TargetTable } from './import-target';
import type { SqliteValue } from './value-issue';

const refKey = (table: string, column: string) => `${table}.${column}`;

export class MergedIds {
  /** `table.column` → the dump's value → the existing row's value. */
  private readonly ids = new Map<string, Map<SqliteValue, SqliteValue>>();

  constructor(targets: ReadonlyMap<string, TargetTable>) {
    for (const t of targets.values()) for (const fk of t.foreignKeys) this.ids.set(refKey(fk.parent, fk.parentColumn), new Map());
  }

  /** True when some foreign key references `table.column` (only those ids are remembered). */
  isReferenced(table: string, column: string): boolean {
    return this.ids.has(refKey(table, column));
  }

  /** The dump's row `dumpValue` of `table.column` is the existing row `existingValue`. */
  remember(table: string, column: string, dumpValue: SqliteValue, existingValue: SqliteValue): void {
    if (dumpValue === null || existingValue === null || dumpValue === existingValue) return;
    this.ids.get(refKey(table, column))?.set(dumpValue, existingValue);
  }

  /** Re-points the row's references to remembered ids; counts the row once in the report. */
  repoint(target: TargetTable, row: ImportRow, report: TableImportReport, key: () => string): void {
    let changed: string[] | null = null;
    for (const fk of target.foreignKeys) {
      const v = row[fk.column];
      if (v === null || v === undefined) continue;
      const to = this.ids.get(refKey(fk.parent, fk.parentColumn))?.get(v);
      if (to === undefined) continue;
      row[fk.column] = to;
      (changed ??= []).push(`${fk.column} ${String(v)} → ${String(to)}`);
    }
    if (changed) noteChange(report, key(), 'repointed_to_existing', `${key()}: ${changed.join(', ')}`);
  }
}

/**
 * The tables in an order where every referenced table comes before the tables referencing it
 * (self-references and cycles keep the given order); otherwise the given (dump) order.
 */
export function parentsFirst<T>(items: readonly T[], tableOf: (item: T) => TargetTable): T[] {
  const names = new Set(items.map((i) => tableOf(i).name));
  const placed = new Set<string>();
  const ready = (t: TargetTable) => t.foreignKeys.every((fk) => fk.parent === t.name || !names.has(fk.parent) || placed.has(fk.parent));
  const out: T[] = [];
  let rest = [...items];
  while (rest.length > 0) {
    // Every item whose parents are placed (the partitions of one table come together); a cycle takes the first item.
    const ok = rest.filter((i) => ready(tableOf(i)));
    const take = ok.length > 0 ? ok : [rest[0]!];
    out.push(...take);
    for (const i of take) placed.add(tableOf(i).name);
    rest = rest.filter((i) => !take.includes(i));
  }
  return out;
}
