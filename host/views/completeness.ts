/**
 * Visibility rule of SPEC.md g.7 and m.1 shared by every view: a date is visible once its
 * tracking row has `completed_at` set. The SQL fragment binds one parameter (1 = include
 * incomplete dates too); it is a constant, never built from input.
 */

/** `EXISTS` test on the tracking row of the date column `dateColumn` (a constant of the caller). */
export function visibleDateSql(dateColumn: 'mp.price_date' | 's.snapshot_date' | 't.run_date' | 'x.calculation_date' | 'pm.mark_date'): string {
  return `(? = 1 OR EXISTS (SELECT 1 FROM batch_run_tracking vt WHERE vt.run_date = ${dateColumn} AND vt.completed_at IS NOT NULL))`;
}

export function includeFlag(includeIncomplete: boolean): 0 | 1 {
  return includeIncomplete ? 1 : 0;
}
