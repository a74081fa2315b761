/**
 * Row counts since a purge (SPEC.md i.8): today's count of every table against the counts
 * recorded before the purge. Derived tables are `equal`, `grown` (explained when the growth
 * comes from dates after the last date present before the purge) or `missing` (smaller). Raw
 * tables must be unchanged, except the ones a run legitimately writes (price cache, fetch log,
 * profiles, tags, settings), which may grow.
 *
 * A smaller derived table after a purge of dates imported from the reference system is
 * `recomputed`, not missing: the purged rows were made by the reference's rules (j.7), which
 * keep some rows batchdesk's do not (for example correlations of positions d.11 filters out).
 */

export type RowCountStatus = 'equal' | 'grown' | 'missing' | 'changed' | 'recomputed';

export interface RowCountLine {
  readonly table: string;
  readonly before: number | null;
  readonly now: number;
  readonly status: RowCountStatus;
  readonly note: string | null;
}

export interface RowCountInput {
  readonly table: string;
  readonly class: 'raw' | 'derived' | 'bookkeeping';
  readonly before: number | null;
  readonly now: number;
  /** For grown derived tables: rows dated after the last date present before the purge. */
  readonly rowsAfterLastDate: number | null;
  readonly growable: boolean;
  /** The purged range held dates imported from the reference system. */
  readonly importedRange: boolean;
}

export function compareRowCount(x: RowCountInput): RowCountLine {
  const before = x.before;
  if (before === null) return { table: x.table, before, now: x.now, status: x.now === 0 ? 'equal' : 'grown', note: 'table not counted before the purge' };
  if (x.now === before) return { table: x.table, before, now: x.now, status: 'equal', note: null };
  if (x.class === 'derived' || x.class === 'bookkeeping') {
    if (x.now < before && x.importedRange && x.class === 'derived') {
      return { table: x.table, before, now: x.now, status: 'recomputed', note: `${before - x.now} rows fewer: the purged range held rows imported from the reference system, now made by batchdesk's rules` };
    }
    if (x.now < before) return { table: x.table, before, now: x.now, status: 'missing', note: `${before - x.now} rows fewer than before the purge` };
    const growth = x.now - before;
    const explained = x.rowsAfterLastDate !== null && x.rowsAfterLastDate >= growth;
    return { table: x.table, before, now: x.now, status: 'grown', note: explained ? `+${growth}, from dates after the last date present before the purge` : `+${growth}` };
  }
  if (x.growable && x.now > before) return { table: x.table, before, now: x.now, status: 'grown', note: `+${x.now - before} (may grow)` };
  return { table: x.table, before, now: x.now, status: x.now < before ? 'missing' : 'changed', note: 'raw table changed since the purge' };
}

export function rowCountsFailed(lines: readonly RowCountLine[]): boolean {
  return lines.some((l) => l.status === 'missing' || l.status === 'changed');
}
