/**
 * Coverage without gaps (SPEC.md i.6): for every trading day in [S, E] and every portfolio
 * whose earliest entry date is <= D, the required rows must exist and be usable. Failing days
 * are grouped into runs of consecutive trading days per portfolio, table and problem.
 */

export interface CoverageDay {
  readonly date: string;
  readonly portfolioId: string;
  /**
   * Table → true when the required rows are there and usable; false when they are missing; or
   * what is wrong with the rows that are there ('stale', 'unfinished', a tracking status such as
   * 'failed'). Absent keys are not required on that day.
   */
  readonly required: Readonly<Record<string, boolean | string>>;
}

export interface CoverageGap {
  readonly portfolioId: string;
  readonly table: string;
  /** 'missing', or what is wrong with the rows that exist ('stale', 'failed', ...). */
  readonly problem: string;
  readonly from: string;
  readonly to: string;
  /** Trading days in the gap. */
  readonly days: number;
}

/**
 * Groups missing requirements into gaps. `tradingDays` is the ordered list of the range's
 * trading days: two missing days belong to one gap when no trading day lies between them.
 */
export function coverageGaps(days: readonly CoverageDay[], tradingDays: readonly string[]): CoverageGap[] {
  const index = new Map(tradingDays.map((d, i) => [d, i]));
  const missing = new Map<string, number[]>();
  for (const d of days) {
    for (const [table, state] of Object.entries(d.required)) {
      if (state === true) continue;
      const k = `${d.portfolioId}\u0000${table}\u0000${state === false ? 'missing' : state}`;
      const i = index.get(d.date);
      if (i === undefined) continue;
      (missing.get(k) ?? missing.set(k, []).get(k)!).push(i);
    }
  }
  const gaps: CoverageGap[] = [];
  for (const [k, idx] of missing) {
    const [portfolioId, table, problem] = k.split('\u0000') as [string, string, string];
    const sorted = [...new Set(idx)].sort((a, b) => a - b);
    let start = sorted[0]!;
    let prev = start;
    for (const i of [...sorted.slice(1), Number.NaN]) {
      if (i === prev + 1) {
        prev = i;
        continue;
      }
      gaps.push({ portfolioId, table, problem, from: tradingDays[start]!, to: tradingDays[prev]!, days: prev - start + 1 });
      start = i;
      prev = i;
    }
  }
  return gaps.sort((a, b) => (a.portfolioId !== b.portfolioId ? (a.portfolioId < b.portfolioId ? -1 : 1) : a.table !== b.table ? (a.table < b.table ? -1 : 1) : a.from < b.from ? -1 : 1));
}

/** One gap as a line: `position_marks missing 2025-08-11..2025-08-13 (3 trading days)`. */
export function describeCoverageGap(g: CoverageGap): string {
  return `${g.table} ${g.problem} ${g.from}..${g.to} (${g.days} trading day${g.days === 1 ? '' : 's'})`;
}

/** What the advice needs to know beyond the gaps. */
export interface CoverageRemedyContext {
  /** The latest processed date of the database (any portfolio), or null when none is. */
  readonly lastProcessedDate: string | null;
  /** The target date: a run without --end-date runs to it. */
  readonly targetDate: string;
  /** Appended to each command (` --db PATH`), so it runs on the checked database as printed. */
  readonly commandSuffix?: string;
}

/**
 * What fills the gaps: a backfill from the first missing date, and a retry for rows that exist
 * but are stale, failed or unfinished. The backfill runs on to the last processed date, since
 * re-running a date makes the later dates it feeds stale; it stops there (or at the last
 * missing date, when that is later), so it never backfills dates nobody has processed yet,
 * and it needs no --end-date when that is the target date anyway.
 */
export function coverageRemedies(gaps: readonly CoverageGap[], context: CoverageRemedyContext): string[] {
  const suffix = context.commandSuffix ?? '';
  const missing = gaps.filter((g) => g.problem === 'missing');
  const out: string[] = [];
  if (missing.length) {
    const first = missing.reduce((a, g) => (g.from < a ? g.from : a), missing[0]!.from);
    const lastMissing = missing.reduce((a, g) => (g.to > a ? g.to : a), missing[0]!.to);
    const end = context.lastProcessedDate !== null && context.lastProcessedDate > lastMissing ? context.lastProcessedDate : lastMissing;
    out.push(`Missing dates: batchdesk run --start-date ${first}${end < context.targetDate ? ` --end-date ${end}` : ''}${suffix}`);
  }
  if (gaps.some((g) => g.problem !== 'missing')) out.push(`Stale, failed or unfinished dates: batchdesk run --retry-failed-phases${suffix}`);
  return out;
}
