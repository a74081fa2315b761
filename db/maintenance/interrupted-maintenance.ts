/**
 * What a dead maintenance process leaves behind, and how the process that takes over its lock
 * cleans it up (SPEC.md g.9, m.17, j.5).
 *
 * Purge, restore, import and rebuild run under the run lock and open a maintenance_log row
 * (b.4) that they complete when they end; a rebuild also sets settings.maintenance (j.5 step 0)
 * and runs its backfill as a run of its own process. A process killed in between (SIGKILL, power
 * loss) leaves the row open with a NULL status and, for a rebuild, the flag on and its backfill
 * 'running': `serve` would answer "rebuilding" forever. Whoever takes over the stale lock
 * (lock-repository.ts, the one place every taker passes through) calls
 * closeInterruptedMaintenance, which does what a cancelled rebuild does: it closes the row as
 * failed (marked interrupted), marks the runs the process left running interrupted, clears the
 * flag, closes the gate over the range (gate-setting.ts) and names the pre-rebuild backup to
 * restore. It returns what it cleaned up (the interrupted rebuild, the gate change), which the
 * lock repository hands to the taker in its acquire result, for the taker to report
 * (`gate_changed`, cancel's advice).
 */
import { shellWord } from '../../core/api/shell-word';
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { rebuildCommandFor, type RebuildRunOptions } from '../../core/maintenance/interrupted-rebuild';
import type { GateChange, InterruptedRebuild, LockRecord, LockTakeover } from '../../core/ports/store';
import type { SqliteDatabase } from '../open-database';
import { historyRepository } from '../repositories/history-repository';
import { closeGateSetting } from './gate-setting';
import { latestMaintenance, type MaintenanceOperation } from './maintenance-log';

/** The operations that hold the run lock while their maintenance_log row is open. */
const LOCKED_OPERATIONS: readonly MaintenanceOperation[] = ['purge', 'restore', 'import', 'rebuild'];

export type { InterruptedRebuild };

/** What a takeover cleaned up after the dead holder of a lock (the rest of a LockTakeover). */
export type TakeoverCleanup = Omit<LockTakeover, 'lock'>;

interface OpenRow {
  readonly id: number;
  readonly operation: MaintenanceOperation;
  readonly startedAt: string | null;
  readonly details: Record<string, unknown>;
}

/** The command that restores `backupFile` into the database at `dbPath` (as rebuild prints it). */
export function restoreCommandFor(backupFile: string, dbPath: string): string {
  return `batchdesk restore ${shellWord(backupFile)} --db ${shellWord(dbPath)}`;
}

type RowColumns = { id: number; operation: MaintenanceOperation; started_at: string | null; details: string | null };
const toRow = (r: RowColumns): OpenRow => ({ id: r.id, operation: r.operation, startedAt: r.started_at, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {} });

function openRows(db: SqliteDatabase): OpenRow[] {
  const marks = LOCKED_OPERATIONS.map(() => '?').join(', ');
  const rows = db.prepare(`SELECT id, operation, started_at, details FROM maintenance_log WHERE status IS NULL AND completed_at IS NULL AND operation IN (${marks}) ORDER BY id`).all(...LOCKED_OPERATIONS) as RowColumns[];
  return rows.map(toRow);
}

function rangeOf(details: Record<string, unknown>): InterruptedRebuild['range'] {
  const range = details['range'] as { start?: unknown; end?: unknown } | undefined;
  return typeof range?.start === 'string' && typeof range.end === 'string' ? { start: range.start, end: range.end } : null;
}

/**
 * The rebuild's options as its row records them (details.options, host/maintenance/rebuild.ts);
 * none for a row written before they were recorded, whose rerun command names its range only.
 */
function optionsOf(details: Record<string, unknown>): RebuildRunOptions {
  const o = (details['options'] ?? {}) as { chunk_days?: unknown; market_data?: unknown; csv_dir?: unknown };
  return {
    ...(Number.isInteger(o.chunk_days) ? { chunkDays: o.chunk_days as number } : {}),
    ...(typeof o.market_data === 'string' ? { marketData: o.market_data } : {}),
    ...(typeof o.csv_dir === 'string' ? { csvDir: o.csv_dir } : {}),
  };
}

function rebuildOf(row: OpenRow, dbPath: string): InterruptedRebuild {
  const backupFile = typeof row.details['backup_file'] === 'string' ? row.details['backup_file'] : null;
  const range = rangeOf(row.details);
  const portfolioIds = Array.isArray(row.details['portfolio_ids']) ? row.details['portfolio_ids'].filter((p): p is string => typeof p === 'string') : [];
  return {
    maintenanceId: row.id,
    startedAt: row.startedAt,
    range,
    backupFile,
    restoreCommand: backupFile ? restoreCommandFor(backupFile, dbPath) : null,
    rerunCommand: range ? rebuildCommandFor({ range, portfolioIds, options: optionsOf(row.details) }, ` --db ${shellWord(dbPath)}`) : null,
  };
}

/** Whether settings.maintenance says a rebuild holds the database. */
function rebuildFlagged(db: SqliteDatabase): boolean {
  const r = db.prepare(`SELECT value FROM settings WHERE key = 'maintenance'`).get() as { value: string } | undefined;
  const m = r ? (JSON.parse(r.value) as { active?: unknown; reason?: unknown }) : null;
  return m?.active === true && m.reason === 'rebuild';
}

/**
 * The rebuild a dead process left open (its maintenance_log row), or null. A rebuild whose row
 * was already closed but whose flag is still on (killed while finishing) counts too.
 */
export function interruptedRebuild(db: SqliteDatabase, dbPath: string = db.name): InterruptedRebuild | null {
  const open = openRows(db).filter((r) => r.operation === 'rebuild').at(-1);
  if (open) return rebuildOf(open, dbPath);
  if (!rebuildFlagged(db)) return null;
  const last = latestMaintenance(db, 'rebuild', null);
  return last ? rebuildOf({ id: last.id, operation: 'rebuild', startedAt: last.startedAt, details: last.details }, dbPath) : null;
}

/** Why the row was closed, in words, naming the process that stopped. */
function interruptedReason(operation: MaintenanceOperation, stale: LockRecord): string {
  return `interrupted: the ${operation} process (pid ${stale.pid} on ${stale.host}) stopped before it finished`;
}

/** The interrupted rebuild's failure with what to do about it: the backup to restore, when it was made. */
function rebuildAdvice(rebuild: InterruptedRebuild, stale: LockRecord): string {
  const why = interruptedReason('rebuild', stale);
  return rebuild.restoreCommand ? `${why}; restore the backup with \`${rebuild.restoreCommand}\`` : `${why}, before its backup was made`;
}

function setSetting(db: SqliteDatabase, key: string, value: unknown, nowIso: string): void {
  db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(key, JSON.stringify(value), nowIso);
}

/** Why the gate closed over an interrupted rebuild: its finding's message and the gate change's reason. */
const gateReason = (advice: string): string => `rebuild failed: ${advice}`;

/** The gate closed over an interrupted rebuild's range, as a cancelled rebuild closes it (host/maintenance/rebuild.ts). */
function closeGateForRebuild(db: SqliteDatabase, rebuild: InterruptedRebuild, advice: string, runId: string | null, nowIso: string): GateChange {
  const date = rebuild.range ? `${rebuild.range.start}..${rebuild.range.end}` : 'unknown range';
  const message = gateReason(advice);
  // Every trading day of the range counts as failed: a guard that passes over them all (the
  // rebuild run again, `verify guard` over the range) reopens the gate.
  const dates = rebuild.range ? tradingDaysBetween(rebuild.range.start as IsoDate, rebuild.range.end as IsoDate) : [];
  return closeGateSetting(db, { findings: [{ portfolio_id: null, portfolio_name: null, date, check: 'G1', expected: 'rebuild completed', actual: advice, message }], dates, runId, reason: message }, nowIso);
}

/**
 * Marks the runs the dead process left 'running' as interrupted (a rebuild's backfill runs under
 * the rebuild's lock, so the takeover's own mark of the lock's run does not reach it): their
 * rows stop claiming a run in flight, and the date they were on is redone by the next run.
 */
function closeRunsOf(db: SqliteDatabase, stale: LockRecord, nowIso: string): void {
  const runs = db.prepare(`SELECT id FROM batch_run_history WHERE status = 'running' AND host = ? AND pid = ?`).all(stale.host, stale.pid) as { id: string }[];
  const history = historyRepository(db);
  for (const r of runs) history.markInterrupted(r.id, nowIso);
}

/**
 * Cleans up after the dead holder of `stale`: closes every maintenance_log row it left open as
 * failed and interrupted and the runs it left running, and for a rebuild clears
 * settings.maintenance, closes the gate and records the restore command. Runs inside the
 * takeover's transaction; returns the rebuild it closed and the gate change that made.
 */
export function closeInterruptedMaintenance(db: SqliteDatabase, stale: LockRecord, nowIso: string): TakeoverCleanup {
  const rebuild = interruptedRebuild(db);
  const advice = rebuild ? rebuildAdvice(rebuild, stale) : null;
  for (const row of openRows(db)) {
    const failures = Array.isArray(row.details['failures']) ? (row.details['failures'] as string[]) : [];
    const why = interruptedReason(row.operation, stale);
    const details = { ...row.details, interrupted: true, error: why, ...(row.operation === 'rebuild' ? { failures: [...failures, advice ?? why] } : {}) };
    db.prepare(`UPDATE maintenance_log SET status = 'failed', completed_at = ?, details = ? WHERE id = ?`).run(nowIso, JSON.stringify(details), row.id);
  }
  closeRunsOf(db, stale, nowIso);
  if (rebuildFlagged(db)) setSetting(db, 'maintenance', { active: false, reason: null, since: nowIso }, nowIso);
  const gateChange = rebuild && advice ? closeGateForRebuild(db, rebuild, advice, stale.runId, nowIso) : null;
  return { interruptedRebuild: rebuild, gateChange };
}
