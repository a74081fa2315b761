/**
 * The regression guard and the gate (SPEC.md i.4, m.10). The guard evaluates G1-G3 over a
 * set of dates; a failure closes the gate (settings.gate = { state: 'closed', since, run_id,
 * findings, dates } and a maintenance_log row, written by db/maintenance/gate-setting.ts, and
 * a gate_changed metric: from the engine after its post-run guard or its own lock takeover,
 * from announceGateChange when a maintenance operation or `cancel` takes over a killed
 * rebuild's lock, which closes the gate over its range); the gate reopens when the guard passes
 * over every date that failed, or by an explicit reopen with a reason. A guard that passes while
 * some of those dates went unchecked (outside its range, or purged and never processed again, so
 * without a row) leaves the gate closed, and gateStaysClosedWords says why and what reopens it.
 */
import type { Gate } from '../../core/api/commands/diagnostics-commands';
import { BatchdeskError } from '../../core/api/errors';
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { EngineDeps } from '../../core/engine/run-context';
import { parseSettings } from '../../core/engine/settings';
import type { Clock } from '../../core/ports/clock';
import { createTelemetry } from '../../core/telemetry/record-metric';
import { evaluateGuard, type GuardFinding, type GuardResult } from '../../core/validation/regression-guard';
import { PortfolioDateReader, snapshotRefs } from '../../db/diagnostics/portfolio-date-inputs';
import type { GateChange } from '../../core/ports/store';
import { closeGateSetting, openGateSetting, readGate } from '../../db/maintenance/gate-setting';
import type { SqliteDatabase } from '../../db/open-database';
import { createEngineStore } from '../../db/engine-store';
import { portfolioIdsIn } from '../../db/portfolio-ids';
import type { StepEventTarget } from '../maintenance/step-events';

export { readGate };

/** The gate as settings.gate stores it and the getGate/verifyGuard/reopenGate commands return it. */
export type GateState = Gate;

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
  const threshold = parseSettings(createEngineStore(db).loadSettings(), ['reconcile.threshold'])['reconcile.threshold'];
  const only = scope.dates ? new Set<string>(scope.dates) : null;
  const refs = snapshotRefs(db, { start: scope.start, end: scope.end, portfolioIds: portfolioIdsIn(db, scope.portfolioIds) }).filter(
    (r) => (!only || only.has(r.date)) && (!scope.portfolioDates || scope.portfolioDates.has(`${r.date}|${r.portfolioId}`)),
  );
  const reader = new PortfolioDateReader(db);
  const inputs = refs.map((r) => reader.guardInput(r, threshold)).filter((x): x is NonNullable<typeof x> => x !== null);
  const result = evaluateGuard(inputs, { start: scope.start, end: scope.end });
  return { ...result, dates: [...new Set(refs.map((r) => r.date))] };
}

/** Closes the gate with the guard's findings (or refreshes them when already closed). */
export function closeGate(db: SqliteDatabase, findings: readonly GuardFinding[], dates: readonly string[], runId: string | null, clock: Clock): GateChange {
  return closeGateSetting(db, { findings, dates, runId, reason: `guard failed with ${findings.length} finding(s)` }, formatTimestamp(clock.now()));
}

/** Opens the gate, recording why (guard passed over the failed dates, or an explicit reopen). */
export function openGate(db: SqliteDatabase, reason: string, how: 'guard_passed' | 'reopen', clock: Clock, runId: string | null = null): GateChange {
  return openGateSetting(db, reason, how, runId, formatTimestamp(clock.now()));
}

/**
 * Reports a gate change outside a run as the engine reports its guard's (a `gate_changed`
 * metric, an error when the gate closed) to the caller's sinks: the log file and the app's
 * event stream show it as they show a run's.
 */
export function announceGateChange(change: GateChange, target: StepEventTarget, clock: Clock): void {
  if (!target.sinks?.length) return;
  createTelemetry({ clock, sinks: target.sinks }).metric('gate_changed', null, { tags: { state: change.state, reason: change.reason }, level: change.state === 'closed' ? 'error' : 'info', source: target.source ?? 'app' });
}

export interface GuardOutcome extends GuardResult {
  readonly dates: readonly string[];
  readonly gate: GateState;
  readonly gateChange: GateChange | null;
  /** The gate's failed dates without a processed row of the scope's portfolios (purged, or a killed run's): none to check yet. */
  readonly failedWithoutRows: readonly string[];
}

/**
 * Why the gate stays closed after a guard that passed (null when it did not pass, checked nothing,
 * or the gate is open): the failed dates the gate reopens over (`dates`) that this guard did not
 * check, those without a processed row (purged, or a killed run's, never run again; in its scope
 * or not) and those with rows outside its scope, and what reopens the gate: processing the former
 * (a run, at the closed gate only with --ignore-gate), then the guard over every failed date, or
 * an explicit reopen. `db` is the `--db` suffix of the advised commands.
 */
export function gateStaysClosedWords(o: GuardOutcome, scope: GuardScope, db: string): string | null {
  if (o.status !== 'pass' || o.checked === 0 || o.gate.state !== 'closed') return null;
  const reopen = `reopen it with \`batchdesk verify guard --reopen --reason TEXT${db}\``;
  const failed = [...(o.gate.dates ?? [])].sort();
  if (failed.length === 0) return `it records no failed dates for a passing guard to reopen it over; ${reopen}`;
  const covered = new Set(o.dates);
  const withoutRows = new Set(o.failedWithoutRows);
  const unchecked = failed.filter((d) => !covered.has(d));
  const noRows = unchecked.filter((d) => withoutRows.has(d));
  const outside = unchecked.filter((d) => !withoutRows.has(d));
  const of = (dates: readonly string[], what: string) => `${dates.length} of its ${failed.length} failed dates ${what} (the first: ${dates[0]})`;
  const why = [
    ...(noRows.length ? [`${of(noRows, 'have no processed rows to check')}; process them with \`batchdesk run --start-date ${noRows[0]} --end-date ${noRows[noRows.length - 1]} --ignore-gate${db}\``] : []),
    ...(outside.length ? [of(outside, `lie outside the dates checked`)] : []),
  ].join('; ');
  return `${why}; ${noRows.length ? 'then ' : ''}\`batchdesk verify guard --start-date ${failed[0]} --end-date ${failed[failed.length - 1]}${db}\` reopens it once it passes over all of them, or ${reopen}`;
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
  const gate = readGate(db);
  return { ...result, gate, gateChange: change, failedWithoutRows: gate.state === 'closed' ? failedDatesWithoutRows(db, gate.dates ?? [], scope.portfolioIds) : [] };
}

/** The failed dates of a closed gate on which no portfolio of the scope has a processed row. */
function failedDatesWithoutRows(db: SqliteDatabase, failed: readonly string[], portfolioIds: readonly string[] | undefined): string[] {
  if (failed.length === 0) return [];
  const sorted = [...failed].sort();
  const ids = portfolioIdsIn(db, portfolioIds);
  const processed = new Set<string>(snapshotRefs(db, { start: sorted[0] as IsoDate, end: sorted[sorted.length - 1] as IsoDate, portfolioIds: ids }).map((r) => r.date));
  return sorted.filter((d) => !processed.has(d));
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
