/**
 * The regression gate as settings.gate stores it (SPEC.md i.4, m.10), and the one place that
 * writes it: closing records { state: 'closed', since, run_id, findings, dates } (since kept
 * from an earlier close, failed dates added to the ones still failing), opening records
 * { state: 'open', since, reason }; each change adds its maintenance_log row (b.4) in the same
 * transaction. The guard (host/diagnostics/guard.ts) and the cleanup after a killed rebuild
 * (interrupted-maintenance.ts, which runs inside the lock takeover and cannot reach host/) both
 * change the gate through here, so the two never disagree on its shape.
 */
import { gateFromSetting, type Gate } from '../../core/api/commands/diagnostics-commands';
import type { GateChange } from '../../core/ports/store';
import type { GuardFinding } from '../../core/validation/regression-guard';
import type { SqliteDatabase } from '../open-database';
import { logMaintenance } from './maintenance-log';

/** What closes the gate: the findings, the dates checked, the run or lock that closed it and why. */
export interface GateClosing {
  readonly findings: readonly GuardFinding[];
  /** The dates checked; they count as failed when a finding is about a range rather than one date. */
  readonly dates: readonly string[];
  readonly runId: string | null;
  readonly reason: string;
}

/** Findings kept in settings.gate and in the maintenance_log row. */
const KEPT_IN_SETTING = 200;
const KEPT_IN_LOG = 20;

const isDate = (d: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(d);

/** settings.gate as the contract reads it (gateFromSetting: an unreadable value is a closed gate). */
export function readGate(db: SqliteDatabase): Gate {
  const r = db.prepare(`SELECT value FROM settings WHERE key = 'gate'`).get() as { value: string } | undefined;
  if (!r) return gateFromSetting(undefined);
  try {
    return gateFromSetting(JSON.parse(r.value));
  } catch {
    return gateFromSetting(r.value);
  }
}

function writeGate(db: SqliteDatabase, gate: Gate, nowIso: string): void {
  db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('gate', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(JSON.stringify(gate), nowIso);
}

/** The dates that stay failed: those of a closed gate before, each finding's date, and the checked dates when a finding covers a range. */
function failedDatesOf(before: Gate, closing: GateClosing): string[] {
  const earlier = before.state === 'closed' ? (before.dates ?? []) : [];
  const ofFindings = closing.findings.map((f) => f.date).filter(isDate);
  const ofRanges = closing.findings.some((f) => !isDate(f.date)) ? closing.dates : [];
  return [...new Set([...earlier, ...ofFindings, ...ofRanges])].sort();
}

/** Closes the gate (or refreshes its findings when it is closed already) and logs it. */
export function closeGateSetting(db: SqliteDatabase, closing: GateClosing, nowIso: string): GateChange {
  db.transaction(() => {
    const before = readGate(db);
    const dates = failedDatesOf(before, closing);
    writeGate(db, { state: 'closed', since: before.state === 'closed' ? before.since : nowIso, run_id: closing.runId, findings: closing.findings.slice(0, KEPT_IN_SETTING), dates }, nowIso);
    logMaintenance(db, 'gate', 'success', { action: 'close', reason: closing.reason, run_id: closing.runId, findings: closing.findings.length, dates, first_findings: closing.findings.slice(0, KEPT_IN_LOG) }, nowIso, nowIso, closing.runId);
  })();
  return { state: 'closed', reason: closing.reason };
}

/** Opens the gate, recording why: the guard passed over the failed dates, or an explicit reopen. */
export function openGateSetting(db: SqliteDatabase, reason: string, how: 'guard_passed' | 'reopen', runId: string | null, nowIso: string): GateChange {
  db.transaction(() => {
    const before = readGate(db);
    writeGate(db, { state: 'open', since: nowIso, reason }, nowIso);
    logMaintenance(db, 'gate', 'success', { action: how, reason, closed_since: before.since, dates: before.dates ?? [], findings: before.findings?.length ?? 0 }, nowIso, nowIso, runId);
  })();
  return { state: 'open', reason };
}
