/**
 * What a dead maintenance process leaves behind, and how the process that takes over its lock
 * cleans it up (SPEC.md g.9, m.17, j.5).
 *
 * Purge, restore, import and rebuild run under the run lock and open a maintenance_log row
 * (b.4) that they complete when they end; a rebuild also sets settings.maintenance (j.5 step 0).
 * A process killed in between (SIGKILL, power loss) leaves the row open with a NULL status and,
 * for a rebuild, the flag on: `serve` would answer "rebuilding" forever. Whoever takes over the
 * stale lock (lock-repository.ts, the one place every taker passes through) calls
 * closeInterruptedMaintenance, which does what a cancelled rebuild does: it closes the row as
 * failed (marked interrupted), clears the flag, closes the gate over the range and names the
 * pre-rebuild backup to restore.
 */
import { shellWord } from '../../core/api/shell-word';
import type { LockRecord } from '../../core/ports/store';
import type { SqliteDatabase } from '../open-database';
import { latestMaintenance, logMaintenance, type MaintenanceOperation } from './maintenance-log';

/** The operations that hold the run lock while their maintenance_log row is open. */
const LOCKED_OPERATIONS: readonly MaintenanceOperation[] = ['purge', 'restore', 'import', 'rebuild'];

export interface InterruptedRebuild {
  readonly maintenanceId: number;
  readonly range: { readonly start: string; readonly end: string } | null;
  /** The verified pre-rebuild backup, when the rebuild got that far. */
  readonly backupFile: string | null;
  /** The command that puts the backup back, or null when no backup was made. */
  readonly restoreCommand: string | null;
}

interface OpenRow {
  readonly id: number;
  readonly operation: MaintenanceOperation;
  readonly details: Record<string, unknown>;
}

/** The command that restores `backupFile` into the database at `dbPath` (as rebuild prints it). */
export function restoreCommandFor(backupFile: string, dbPath: string): string {
  return `batchdesk restore ${shellWord(backupFile)} --db ${shellWord(dbPath)}`;
}

function openRows(db: SqliteDatabase): OpenRow[] {
  const marks = LOCKED_OPERATIONS.map(() => '?').join(', ');
  const rows = db.prepare(`SELECT id, operation, details FROM maintenance_log WHERE status IS NULL AND completed_at IS NULL AND operation IN (${marks}) ORDER BY id`).all(...LOCKED_OPERATIONS) as { id: number; operation: MaintenanceOperation; details: string | null }[];
  return rows.map((r) => ({ id: r.id, operation: r.operation, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {} }));
}

function rangeOf(details: Record<string, unknown>): InterruptedRebuild['range'] {
  const range = details['range'] as { start?: unknown; end?: unknown } | undefined;
  return typeof range?.start === 'string' && typeof range.end === 'string' ? { start: range.start, end: range.end } : null;
}

function rebuildOf(row: OpenRow, dbPath: string): InterruptedRebuild {
  const backupFile = typeof row.details['backup_file'] === 'string' ? row.details['backup_file'] : null;
  return { maintenanceId: row.id, range: rangeOf(row.details), backupFile, restoreCommand: backupFile ? restoreCommandFor(backupFile, dbPath) : null };
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
  return last ? rebuildOf({ id: last.id, operation: 'rebuild', details: last.details }, dbPath) : null;
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

/** Closes the gate over the rebuild's range, as a cancelled rebuild does (host/diagnostics/guard.ts closeGate). */
function closeGateForRebuild(db: SqliteDatabase, rebuild: InterruptedRebuild, why: string, runId: string | null, nowIso: string): void {
  const r = db.prepare(`SELECT value FROM settings WHERE key = 'gate'`).get() as { value: string } | undefined;
  const before = r ? (JSON.parse(r.value) as { state?: string; since?: string; dates?: string[] }) : {};
  const closed = before.state === 'closed';
  const date = rebuild.range ? `${rebuild.range.start}..${rebuild.range.end}` : 'unknown range';
  const findings = [{ portfolio_id: null, portfolio_name: null, date, check: 'G1', expected: 'rebuild completed', actual: why, message: `rebuild failed: ${why}` }];
  const dates = closed ? (before.dates ?? []) : [];
  setSetting(db, 'gate', { state: 'closed', since: closed ? before.since : nowIso, run_id: runId, findings, dates }, nowIso);
  logMaintenance(db, 'gate', 'success', { action: 'close', run_id: runId, findings: findings.length, dates, first_findings: findings }, nowIso, nowIso, runId);
}

/**
 * Cleans up after the dead holder of `stale`: closes every maintenance_log row it left open as
 * failed and interrupted, and for a rebuild clears settings.maintenance, closes the gate and
 * records the restore command. Runs inside the takeover's transaction.
 */
export function closeInterruptedMaintenance(db: SqliteDatabase, stale: LockRecord, nowIso: string): InterruptedRebuild | null {
  const rebuild = interruptedRebuild(db);
  const advice = rebuild ? rebuildAdvice(rebuild, stale) : null;
  for (const row of openRows(db)) {
    const failures = Array.isArray(row.details['failures']) ? (row.details['failures'] as string[]) : [];
    const why = interruptedReason(row.operation, stale);
    const details = { ...row.details, interrupted: true, error: why, ...(row.operation === 'rebuild' ? { failures: [...failures, advice ?? why] } : {}) };
    db.prepare(`UPDATE maintenance_log SET status = 'failed', completed_at = ?, details = ? WHERE id = ?`).run(nowIso, JSON.stringify(details), row.id);
  }
  if (rebuildFlagged(db)) setSetting(db, 'maintenance', { active: false, reason: null, since: nowIso }, nowIso);
  if (rebuild && advice) closeGateForRebuild(db, rebuild, advice, stale.runId, nowIso);
  return rebuild;
}
