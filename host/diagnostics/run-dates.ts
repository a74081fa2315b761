/**
 * The dates of the report commands: the default scope of `verify guard` (SPEC.md i.4, the
 * dates processed by the latest run), and the checks on a report's dates.
 */
import { BatchdeskError } from '../../core/api/errors';
import { isTradingDay, previousTradingDay } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { checkSettledDate } from '../../core/engine/planner';
import type { SqliteDatabase } from '../../db/open-database';

export function latestRunDates(db: SqliteDatabase): { start: IsoDate; end: IsoDate; dates: IsoDate[] } {
  const run = db.prepare(`SELECT id FROM batch_run_history WHERE mode != 'monitor' OR mode IS NULL ORDER BY started_at DESC LIMIT 1`).get() as { id: string } | undefined;
  let dates: IsoDate[] = run ? (db.prepare(`SELECT run_date FROM batch_run_tracking WHERE run_id = ? ORDER BY run_date`).all(run.id) as { run_date: IsoDate }[]).map((r) => r.run_date) : [];
  if (dates.length === 0) {
    const latest = (db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots`).get() as { d: IsoDate | null }).d;
    // Not a data error: the database is fine, nothing was checked (k.3: exit code 4, as every report says it).
    if (!latest) throw new BatchdeskError('check_failed', 'nothing to check: the database has no snapshots; run a backfill first or give --date/--start-date');
    dates = [latest];
  }
  return { start: dates[0]!, end: dates[dates.length - 1]!, dates };
}

/**
 * A report's single date must be a trading day, as `run --target-date` must (m.5): on a weekend
 * or holiday nothing is ever processed, so a report would only list every lot as unmarked or
 * check nothing. A usage error names the previous trading day.
 */
export function reportDate(date: IsoDate | null, flag = '--date'): IsoDate | null {
  if (date !== null && !isTradingDay(date)) throw new BatchdeskError('usage', `${flag} ${date} is not a trading day; the previous trading day is ${previousTradingDay(date)}`);
  return date;
}

/**
 * Refuses a report date after the target date as `run` refuses it (SPEC.md k.3: a usage error,
 * exit code 2): no close is settled there yet, so the report could only say nothing was checked
 * (or, for prices, that every symbol is missing; for coverage, that every day is a gap). The one
 * check of every report that takes dates, in the CLI and through the contract alike.
 */
export function checkSettledScope(scope: { readonly date?: IsoDate | null | undefined; readonly startDate?: IsoDate | undefined; readonly endDate?: IsoDate | undefined }, target: IsoDate): void {
  if (scope.date) checkSettledDate(scope.date, target, '--date');
  if (scope.startDate) checkSettledDate(scope.startDate, target, '--start-date');
  if (scope.endDate) checkSettledDate(scope.endDate, target, '--end-date');
}
