/**
 * Baselines (SPEC.md i.7, m.12): export a date range's tracking summaries and key derived
 * values to a file, read one back, and compare two (or a file with the database exported on
 * the fly over the file's range). Comparing two files opens no database (m.24).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { asciiJson } from '../../core/api/ascii-json';
import { BatchdeskError } from '../../core/api/errors';
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp } from '../../core/domain/timestamp';
import { canonicalJsonValue, isVolatileName } from '../../core/validation/canonical-form';
import { BASELINE_SCHEMA, baselineSchema, type Baseline } from '../../core/validation/baseline';
import { PORTFOLIO_DATE_TABLES, tableSpec } from '../../core/validation/table-catalog';
import { checksumRows, loadIdMaps, readKeyedRows, toKeyedRow } from '../../db/canonical';
import { isPipe, specialFileProblem } from '../../db/csv-transfer/input-file-kind';
import { writeOutputFile } from '../../db/maintenance/database-paths';
import { snapshotRefs } from '../../db/diagnostics/portfolio-date-inputs';
import type { SqliteDatabase } from '../../db/open-database';
import { APP_VERSION } from '../app-version';
import { portfolioIdsIn } from '../../db/portfolio-ids';

const LEGACY = ['phase_1_status', 'phase_2_status', 'phase_3_status', 'portfolios_processed', 'symbols_fetched', 'data_coverage_pct', 'error_message'];

export function exportBaseline(db: SqliteDatabase, args: { start: IsoDate; end: IsoDate; databaseName: string; nowMs: number; portfolioIds?: readonly string[] }): Baseline {
  const portfolioIds = portfolioIdsIn(db, args.portfolioIds);
  const trackingRows = db.prepare(`SELECT * FROM batch_run_tracking WHERE run_date >= ? AND run_date <= ? ORDER BY run_date`).all(args.start, args.end) as Record<string, unknown>[];
  const complete = new Set(trackingRows.filter((r) => r['completed_at'] !== null).map((r) => r['run_date'] as string));
  const tracked = new Set(trackingRows.map((r) => r['run_date'] as string));
  const drop = new Set(['mode']);
  const tracking = trackingRows
    .filter((r) => r['completed_at'] !== null)
    .map((r) => ({
      run_date: r['run_date'] as string,
      status: (r['status'] as string | null) ?? null,
      phase_status: r['phase_status'] ? (canonicalJsonValue(JSON.parse(r['phase_status'] as string), '', drop) as Record<string, unknown>) : null,
      metadata: r['metadata'] ? (canonicalJsonValue(JSON.parse(r['metadata'] as string), '', drop) as Record<string, unknown>) : null,
      legacy: Object.fromEntries(LEGACY.map((k) => [k, (r[k] as string | number | null) ?? null])),
    }));
  const maps = loadIdMaps(db);
  const snapSpec = tableSpec('portfolio_snapshots')!;
  const snapRow = db.prepare(`SELECT * FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`);
  const outputs = snapshotRefs(db, { start: args.start, end: args.end, portfolioIds })
    .filter((r) => complete.has(r.date) || !tracked.has(r.date))
    .map((ref) => {
      const values = toKeyedRow(snapSpec, snapRow.get(ref.portfolioId, ref.date) as Record<string, unknown>, maps).values;
      const snapshot: Record<string, string | number | null> = {};
      for (const [k, v] of Object.entries(values)) if (k !== 'portfolio_id' && k !== 'snapshot_date' && !isVolatileName(k)) snapshot[k] = v;
      const row_counts: Record<string, number> = {};
      const hashes: Record<string, string> = {};
      for (const t of PORTFOLIO_DATE_TABLES) {
        const rows = readKeyedRows(db, t, { start: ref.date, end: ref.date, portfolioIds: [ref.portfolioId] }, maps);
        row_counts[t] = rows.length;
        hashes[t] = checksumRows(tableSpec(t)!, rows).sha256;
      }
      return { portfolio_id: ref.portfolioId, portfolio_name: ref.portfolioName, date: ref.date, snapshot, row_counts, hashes };
    });
  return { schema: BASELINE_SCHEMA, created_at: formatTimestamp(args.nowMs), database: args.databaseName, app_version: APP_VERSION, range: { start: args.start, end: args.end }, tracking, outputs };
}

/** Writes the baseline JSON (ASCII); never over `database`, its companions or any SQLite file (usage error). */
export function writeBaselineFile(path: string, b: Baseline, database: string, flag?: string): void {
  writeOutputFile(path, `${asciiJson(b, 1)}\n`, 'the baseline', [database], flag);
}

/**
 * Reads a baseline file back: a regular file, or a pipe (`<(cat before.json)`, named as given);
 * a missing path, a folder, a device or a socket is refused before anything is read (/dev/zero
 * would never end).
 */
export function readBaselineFile(path: string): Baseline {
  if (!existsSync(path)) throw new BatchdeskError('not_found', `baseline file ${path} not found`);
  if (statSync(path).isDirectory()) throw new BatchdeskError('data', `${path} is a folder, not a baseline file; give the .json file \`batchdesk history export-baseline\` wrote`);
  const special = specialFileProblem(path);
  if (special) throw new BatchdeskError('data', special);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BatchdeskError('data', `${path} is not JSON: ${(err as Error).message}`);
  }
  const r = baselineSchema.safeParse(raw);
  if (!r.success) throw new BatchdeskError('data', `${isPipe(path) ? path : basename(path)} is not a batchdesk baseline (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message})`);
  return r.data;
}
