/**
 * `verify rowcounts [--since-purge [ID]]` (SPEC.md i.8): today's row counts against the counts
 * recorded before the latest purge (or the given maintenance id).
 */
import { BatchdeskError } from '../../core/api/errors';
import { compareRowCount, rowCountsFailed, type RowCountLine } from '../../core/validation/row-count-comparison';
import { EXCLUDED_TABLES, GROWABLE_RAW_TABLES, tableSpec } from '../../core/validation/table-catalog';
import { getMaintenance, latestMaintenance } from '../../db/maintenance/maintenance-log';
import type { SqliteDatabase } from '../../db/open-database';
import { tableRowCounts } from '../../db/table-counts';
import { scopeWhere } from '../../db/table-scope';

export interface RowCountReport {
  /** The purge compared with; null when none is recorded. */
  readonly maintenanceId: number | null;
  readonly purgedAt: string | null;
  readonly lines: readonly RowCountLine[];
  readonly failed: boolean;
  /** Why nothing was compared, or null. */
  readonly message: string | null;
}

/** `commandSuffix` is appended to the commands the report advises (the CLI's ` --db PATH`, advisedDbFlag). */
export function verifyRowCounts(db: SqliteDatabase, maintenanceId: number | null, commandSuffix = ''): RowCountReport {
  const m = maintenanceId === null ? latestMaintenance(db, 'purge') : getMaintenance(db, maintenanceId);
  // No purge ever recorded: the database is fine, there is only no baseline. As the other
  // reports on nothing processed (reconcile, diagnose, verify guard and views), nothing compared
  // is not a pass (k.3: exit code 4), nor a data error.
  if (!m && maintenanceId === null) {
    return {
      maintenanceId: null,
      purgedAt: null,
      lines: [],
      failed: true,
      message: `no completed purge is recorded in maintenance_log, so nothing was compared; \`batchdesk purge${commandSuffix}\` (or \`batchdesk rebuild${commandSuffix}\`) records the row counts before it deletes, and this command compares with them afterwards`,
    };
  }
  // A given id that names no purge is a bad flag value (k.3: usage), whatever the database holds.
  if (!m || m.operation !== 'purge') {
    const latest = latestMaintenance(db, 'purge');
    const what = m ? `maintenance_log row ${maintenanceId} is a ${m.operation}, not a purge` : `maintenance_log has no row ${maintenanceId}`;
    throw new BatchdeskError('usage', `${what}; give a purge's id, or no id for the latest purge (${latest ? `#${latest.id}` : 'none is recorded yet'})`);
  }
  const before = (m.details['counts_before'] ?? {}) as Record<string, number>;
  const range = (m.details['range'] ?? {}) as { start?: string | null; end?: string | null };
  const importedRange = Number(m.details['imported_dates'] ?? 0) > 0;
  const now = tableRowCounts(db);
  const lines: RowCountLine[] = [];
  for (const table of Object.keys(now).sort()) {
    if (EXCLUDED_TABLES.includes(table) || table.startsWith('__')) continue;
    const spec = tableSpec(table);
    const cls = spec?.class ?? 'raw';
    let after: number | null = null;
    if (spec && (cls === 'derived' || cls === 'bookkeeping') && (now[table] ?? 0) > (before[table] ?? 0)) {
      // Rows dated after the last date present before the purge: the purge's end (or, unbounded, none).
      const last = range.end ?? null;
      if (last && spec.dateColumn !== null) {
        const w = scopeWhere(spec, { start: null, end: null });
        after = (db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${w.where} AND ${spec.dateColumn} > ?`).get(...w.params, last) as { n: number }).n;
      }
    }
    lines.push(compareRowCount({ table, class: cls, before: before[table] ?? null, now: now[table] ?? 0, rowsAfterLastDate: after, growable: GROWABLE_RAW_TABLES.has(table), importedRange }));
  }
  return { maintenanceId: m.id, purgedAt: m.completedAt, lines, failed: rowCountsFailed(lines), message: null };
}
