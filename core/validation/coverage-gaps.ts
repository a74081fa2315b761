/**
 * Coverage without gaps (SPEC.md i.6): for every trading day in [S, E] and every portfolio
 * whose earliest entry date is <= D, the required rows must exist. Missing days are grouped
 * into runs of consecutive trading days per portfolio and table.
 */

export interface CoverageDay {
  readonly date: string;
  readonly portfolioId: string;
  /** Table (or 'tracking') → present. Absent keys are not required on that day. */
  readonly required: Readonly<Record<string, boolean>>;
}

export interface CoverageGap {
  readonly portfolioId: string;
  readonly table: string;
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
    for (const [table, ok] of Object.entries(d.required)) {
      if (ok) continue;
      const k = `${d.portfolioId}\u0000${table}`;
      const i = index.get(d.date);
      if (i === undefined) continue;
      (missing.get(k) ?? missing.set(k, []).get(k)!).push(i);
    }
  }
  const gaps: CoverageGap[] = [];
  for (const [k, idx] of missing) {
    const [portfolioId, table] = k.split('\u0000') as [string, string];
    const sorted = [...new Set(idx)].sort((a, b) => a - b);
    let start = sorted[0]!;
    let prev = start;
    for (const i of [...sorted.slice(1), Number.NaN]) {
      if (i === prev + 1) {
        prev = i;
        continue;
      }
      gaps.push({ portfolioId, table, from: tradingDays[start]!, to: tradingDays[prev]!, days: prev - start + 1 });
      start = i;
      prev = i;
    }
  }
  return gaps.sort((a, b) => (a.portfolioId !== b.portfolioId ? (a.portfolioId < b.portfolioId ? -1 : 1) : a.table !== b.table ? (a.table < b.table ? -1 : 1) : a.from < b.from ? -1 : 1));
}
