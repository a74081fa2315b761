/**
 * Engine benchmarks (issue 3 and 4 figures): the demo backfill over its automatic range
 * (2025-06-30 to the pinned target date), wall time, time per date, peak memory, and the
 * ratio of its time to a raw better-sqlite3 insert of the same derived rows. The backfill runs
 * without the post-run guard (not a phase; `run --no-guard` does the same), whose time over
 * the backfilled dates is measured after it, on the finished file, and reported on its own.
 */
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runOptionsSchema, type RunOptionsInput } from '../../core/api/run-options';
import type { IsoDate } from '../../core/domain/iso-date';
import { openDatabase, type SqliteDatabase } from '../../db/open-database';
import { evaluateGuardOn } from '../../host/diagnostics/guard';
import { runOnDatabase } from '../../host/engine-host';
import { systemClock } from '../../host/system-ports';
import { tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';

export const BENCH_NOW = '2026-11-27T23:00:00Z';

/** The rows a backfill writes: the spec's derived tables (b.4) plus tracking and sector tags. */
const WRITTEN = [...DERIVED_TABLES.map((t) => t.name), 'batch_run_tracking', 'tags_v2', 'position_tags'];

export interface BackfillFigures {
  readonly label: string;
  readonly dates: number;
  readonly portfolioDates: number;
  readonly wallMs: number;
  readonly msPerDate: number;
  readonly peakRssMb: number;
  readonly rowsWritten: number;
  readonly rawInsertMs: number;
  /** The post-run guard (G1-G3 over the backfilled dates) on the finished file. */
  readonly guardMs: number;
  readonly ratioToRawInsert: number;
  readonly exitCode: number;
  /** Where the wall time went, ms: each phase's total, the analytics symbol stage, and the rest. */
  readonly split: Readonly<Record<string, number>>;
}

/**
 * The wall time of a backfill split by where it went: each phase's summed durations (the run
 * summary), the analytics symbol stage (once per date, from the tracking rows), and what lies
 * outside both: commits, tracking rows, telemetry, planning and the price prefetch.
 */
function timeSplit(db: SqliteDatabase, phases: Record<string, { duration_seconds: number }>, wallMs: number): Record<string, number> {
  const rows = db.prepare(`SELECT json_extract(metadata, '$.analytics_symbol_stage.duration_ms') AS ms FROM batch_run_tracking`).all() as { ms: number | null }[];
  const symbolStage = rows.reduce((a, r) => a + (r.ms ?? 0), 0);
  const split: Record<string, number> = {};
  for (const [name, p] of Object.entries(phases)) if (p.duration_seconds > 0) split[name] = p.duration_seconds * 1000;
  if (symbolStage > 0) split['analytics symbol stage'] = symbolStage;
  split['outside the phases'] = wallMs - Object.values(split).reduce((a, b) => a + b, 0);
  return split;
}

/** Inserts every derived row of `source` into an empty database with the same schema, raw, one transaction per table. */
export function rawInsertMs(source: string): { rows: number; ms: number } {
  const dir = tempDir('batchdesk-raw-');
  const target = join(dir, 'raw.db');
  const src = new Database(source, { readonly: true });
  const dst = new Database(target);
  dst.pragma('journal_mode = WAL');
  dst.pragma('synchronous = NORMAL');
  dst.pragma('cache_size = -65536');
  dst.pragma('foreign_keys = OFF');
  for (const t of WRITTEN) {
    const ddl = (src.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t) as { sql: string }).sql;
    dst.exec(ddl);
    for (const idx of src.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(t) as { sql: string }[]) dst.exec(idx.sql);
  }
  let rows = 0;
  const data = WRITTEN.map((t) => ({ t, rows: src.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][] }));
  src.close();
  const t0 = performance.now();
  for (const { t, rows: r } of data) {
    if (r.length === 0) continue;
    const ins = dst.prepare(`INSERT INTO "${t}" VALUES (${r[0]!.map(() => '?').join(', ')})`);
    dst.transaction(() => {
      for (const row of r) ins.run(row);
    })();
    rows += r.length;
  }
  const ms = performance.now() - t0;
  dst.close();
  rmSync(dir, { recursive: true, force: true });
  return { rows, ms };
}

function timeGuard(db: SqliteDatabase): number {
  const range = db.prepare(`SELECT MIN(snapshot_date) AS s, MAX(snapshot_date) AS e FROM portfolio_snapshots`).get() as { s: IsoDate; e: IsoDate };
  const t0 = performance.now();
  const g = evaluateGuardOn(db, { start: range.s, end: range.e });
  const ms = performance.now() - t0;
  if (g.status !== 'pass') throw new Error(`the guard failed on the bench backfill: ${JSON.stringify(g.findings.slice(0, 3))}`);
  return ms;
}

export async function benchDemoBackfill(label: string, options: RunOptionsInput = {}, seeded?: string): Promise<BackfillFigures> {
  const base = seeded ?? seedDemoDb(BENCH_NOW);
  const dir = tempDir('batchdesk-bench-');
  const path = join(dir, 'bench.db');
  copyFileSync(base, path);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const r = await runOnDatabase({
    dbPath: path,
    options: runOptionsSchema.parse({ guard: false, ...options }),
    holder: 'cli',
    sinks: [],
    control: { signal: new AbortController().signal },
    clock: systemClock({ BATCHDESK_NOW: BENCH_NOW }),
  });
  const wallMs = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const dates = r.kind === 'run' ? r.summary.dates.processed : 0;
  // The finished file, read once: the guard's time over it, and the symbol stage's time from its tracking rows.
  const finished = openDatabase(path, { readonly: true });
  let guardMs: number;
  let split: Record<string, number>;
  try {
    guardMs = timeGuard(finished);
    split = r.kind === 'run' ? timeSplit(finished, r.summary.phases, wallMs) : {};
  } finally {
    finished.close();
  }
  const raw = rawInsertMs(path);
  rmSync(dir, { recursive: true, force: true });
  return {
    label,
    dates,
    portfolioDates: dates * 5,
    wallMs,
    msPerDate: dates ? wallMs / dates : 0,
    peakRssMb: peak / 1024 / 1024,
    rowsWritten: raw.rows,
    rawInsertMs: raw.ms,
    guardMs,
    ratioToRawInsert: wallMs / raw.ms,
    exitCode: r.exitCode,
    split,
  };
}
