/**
 * The regression guard and the gate (SPEC.md i.4, m.10). The guard evaluates G1-G3 over a
 * set of dates; a failure closes the gate (settings.gate = { state: 'closed', since, run_id,
 * findings, dates }, a maintenance_log row, and a gate_changed metric from the engine); the
 * gate reopens when the guard passes over every date that failed, or by an explicit reopen
 * with a reason.
 */
import { gateFromSetting, type Gate } from '../../core/api/commands/diagnostics-commands';
import { BatchdeskError } from '../../core/api/errors';
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { EngineDeps, GuardReport } from '../../core/engine/run-context';
import { parseEngineSettings } from '../../core/engine/settings';
import type { Clock } from '../../core/ports/clock';
import { evaluateGuard, type GuardFinding, type GuardResult } from '../../core/validation/regression-guard';
import { PortfolioDateReader, snapshotRefs } from '../../db/diagnostics/portfolio-date-inputs';
import { logMaintenance } from '../../db/maintenance/maintenance-log';
import type { SqliteDatabase } from '../../db/open-database';
import { createEngineStore } from '../../db/engine-store';
import { portfolioIdsIn } from '../../db/portfolio-ids';

/** The gate as settings.gate stores it and the getGate/verifyGuard/reopenGate commands return it. */
export type GateState = Gate;

/** settings.gate as the contract reads it (gateFromSetting: an unreadable value is a closed gate). */
export function readGate(db: SqliteDatabase): GateState {
  return gateFromSetting(createEngineStore(db).loadSettings()['gate']);
}

export interface GuardScope {
  readonly start: IsoDate;
  readonly end: IsoDate;
  /** When given, only these dates of the range are checked (a run's processed dates). */
  readonly dates?: readonly IsoDate[];
  /** When given, only these portfolio-dates are checked (a run's own output, `${date}|${portfolioId}`). */
  readonly portfolioDates?: ReadonlySet<string>;
  readonly portfolioIds?: readonly string[];
}

/** Evaluates the guard over a scope (reads only). */
export function evaluateGuardOn(db: SqliteDatabase, scope: GuardScope): GuardResult & { readonly dates: readonly string[] } {
  const threshold = parseEngineSettings(createEngineStore(db).loadSettings())['reconcile.threshold'];
  const only = scope.dates ? new Set<string>(scope.dates) : null;
  const refs = snapshotRefs(db, { start: scope.start, end: scope.end, portfolioIds: portfolioIdsIn(db, scope.portfolioIds) }).filter(
    (r) => (!only || only.has(r.date)) && (!scope.portfolioDates || scope.portfolioDates.has(`${r.date}|${r.portfolioId}`)),
  );
  const reader = new PortfolioDateReader(db);
  const inputs = refs.map((r) => reader.guardInput(r, threshold)).filter((x): x is NonNullable<typeof x> => x !== null);
  const result = evaluateGuard(inputs, { start: scope.start, end: scope.end });
  return { ...result, dates: [...new Set(refs.map((r) => r.date))] };
}

export interface GateChange {
  readonly state: 'open' | 'closed';
  readonly reason: string;
}

/** Closes the gate with the guard's findings (or refreshes them when already closed). */
export function closeGate(db: SqliteDatabase, findings: readonly GuardFinding[], dates: readonly string[], runId: string | null, clock: Clock): GateChange {
  const now = formatTimestamp(clock.now());
  const before = readGate(db);
  const failedDates = [...new Set([...(before.state === 'closed' ? (before.dates ?? []) : []), ...findings.map((f) => f.date).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)), ...(findings.some((f) => !/^\d{4}-\d{2}-\d{2}$/.test(f.date)) ? dates : [])])].sort();
  const gate: GateState = { state: 'closed', since: before.state === 'closed' ? before.since : now, run_id: runId, findings: findings.slice(0, 200), dates: failedDates };
  const store = createEngineStore(db);
  store.transaction(() => {
    store.setSetting('gate', gate, now);
    logMaintenance(db, 'gate', 'success', { action: 'close', run_id: runId, findings: findings.length, dates: failedDates, first_findings: findings.slice(0, 20) }, now, now, runId);
  });
  return { state: 'closed', reason: `guard failed with ${findings.length} finding(s)` };
}

/** Opens the gate, recording why (guard passed over the failed dates, or an explicit reopen). */
export function openGate(db: SqliteDatabase, reason: string, how: 'guard_passed' | 'reopen', clock: Clock, runId: string | null = null): GateChange {
  const now = formatTimestamp(clock.now());
  const before = readGate(db);
  const store = createEngineStore(db);
  store.transaction(() => {
    store.setSetting('gate', { state: 'open', since: now, reason }, now);
    logMaintenance(db, 'gate', 'success', { action: how, reason, closed_since: before.since, dates: before.dates ?? [], findings: before.findings?.length ?? 0 }, now, now, runId);
  });
  return { state: 'open', reason };
}

export interface GuardOutcome extends GuardResult {
  readonly dates: readonly string[];
  readonly gate: GateState;
  readonly gateChange: GateChange | null;
}

/** Runs the guard over a scope and applies its result to the gate. */
export function guardAndGate(db: SqliteDatabase, scope: GuardScope, runId: string | null, clock: Clock): GuardOutcome {
  const result = evaluateGuardOn(db, scope);
  const before = readGate(db);
  let change: GateChange | null = null;
  if (result.status === 'fail') change = closeGate(db, result.findings, result.dates, runId, clock);
  else if (before.state === 'closed') {
    const covered = new Set(result.dates);
    const failed = before.dates ?? [];
    if (failed.length > 0 && failed.every((d) => covered.has(d))) change = openGate(db, `guard passed over the dates that failed (${failed[0]}..${failed[failed.length - 1]})`, 'guard_passed', clock, runId);
  }
  return { ...result, gate: readGate(db), gateChange: change };
}

/**
 * Explicit reopen (`verify guard --reopen --reason`). A gate that is open already stays as it is,
 * with nothing recorded: null.
 */
export function reopenGate(db: SqliteDatabase, reason: string, clock: Clock): GateChange | null {
  if (reason.trim().length === 0) throw new BatchdeskError('usage', '--reopen needs --reason "<text>" (recorded in maintenance_log)');
  if (readGate(db).state === 'open') return null;
  return openGate(db, reason.trim(), 'reopen', clock);
}

/** The engine's post-run guard over the run's processed dates (SPEC.md i.4). */
export function postRunGuardFor(db: SqliteDatabase, clock: Clock): NonNullable<EngineDeps['postRunGuard']> {
  return (processed, runId) => {
    const sorted = [...new Set(processed.map((p) => p.date))].sort();
    const portfolioDates = new Set(processed.map((p) => `${p.date}|${p.portfolioId}`));
    const o = guardAndGate(db, { start: sorted[0]!, end: sorted[sorted.length - 1]!, dates: sorted, portfolioDates }, runId, clock);
    return { status: o.status, findings: o.findings, gateChange: o.gateChange };
  };
}
