/**
 * The regression guard (SPEC.md i.4, m.10): per portfolio-date with a snapshot,
 *
 *   G1 marks before analytics: every lot active on D has a mark of D; the latest computed_at
 *      of those marks is not after the snapshot's analytics_computed_at nor after the
 *      analytics rows' created_at (one finding when either is older), unless tracking
 *      records the portfolio-date's analytics as stale: a run that re-ran marks without
 *      analytics marked them so (g.8), history and verify coverage show them, and
 *      `run --retry-failed-phases` redoes them, so the known, recorded state is no finding
 *      that would close the gate against that very retry; the positions.mark cache equals
 *      the mark for lots whose latest mark is D;
 *   G2 analytics row counts: each job recorded as successful has the rows it reported
 *      (`rows_<table>` metrics, stress `scenarios_saved`); tables of failed or skipped jobs
 *      have no rows; over the range, position_factor_exposures, position_market_betas and
 *      position_volatility are not empty unless no job writing them succeeded;
 *   G3 NAV vs marks: reconciliation checks 1 and 6 pass.
 *
 * Pure: db/diagnostics assembles the inputs.
 */
import type { ReconcileResult } from './reconciliation';

/** The tables each analytics job writes (c.10). */
export const JOB_TABLES: Readonly<Record<string, readonly string[]>> = {
  market_beta: ['position_market_betas', 'factor_exposures'],
  provider_beta: ['factor_exposures'],
  ir_beta: ['position_interest_rate_betas', 'factor_exposures'],
  spread_factors: ['position_factor_exposures', 'factor_exposures'],
  ridge_factors: ['position_factor_exposures', 'factor_exposures'],
  sector_concentration: [],
  volatility: ['position_volatility'],
  correlations: ['correlation_calculations', 'pairwise_correlations'],
  stress_tests: ['stress_test_results'],
};

/** Analytics tables whose rows belong to a portfolio-date. */
export const ANALYTICS_TABLES: readonly string[] = [...new Set(Object.values(JOB_TABLES).flat())].sort();

/** Row counts a job reported for a table, or null when it did not say. */
export function reportedRows(job: string, table: string, metrics: Readonly<Record<string, unknown>>): number | null {
  const v = metrics[`rows_${table}`] ?? (job === 'stress_tests' && table === 'stress_test_results' ? metrics['scenarios_saved'] : undefined);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export interface StoredJob {
  readonly success: boolean;
  readonly reason: string | null;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface CacheMismatch {
  readonly positionId: string;
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface GuardPortfolioDate {
  readonly portfolioId: string;
  readonly portfolioName: string;
  readonly date: string;
  /** Lots active on D without a position_marks row of D. */
  readonly lotsWithoutMark: readonly string[];
  readonly latestMarkComputedAt: string | null;
  readonly analyticsComputedAt: string | null;
  /** The earliest created_at among the portfolio-date's analytics rows, or null. */
  readonly earliestAnalyticsRowAt: string | null;
  /** Tracking records the portfolio-date's analytics as stale (g.8). */
  readonly analyticsStale: boolean;
  readonly cacheMismatches: readonly CacheMismatch[];
  /** Stored job outcomes of the portfolio-date (tracking metadata), or null when analytics did not run. */
  readonly jobs: Readonly<Record<string, StoredJob>> | null;
  /** Actual row counts of the analytics tables for the portfolio-date. */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly reconcile: ReconcileResult;
}

/** A type, not an interface: the gate (core/api gateSchema) stores findings as plain records, which an interface is not assignable to. */
export type GuardFinding = {
  readonly portfolio_id: string | null;
  readonly portfolio_name: string | null;
  readonly date: string;
  readonly check: 'G1' | 'G2' | 'G3';
  readonly expected: string;
  readonly actual: string;
  readonly message: string;
};

export interface GuardResult {
  readonly status: 'pass' | 'fail';
  readonly checked: number;
  readonly findings: readonly GuardFinding[];
}

function checkPortfolioDate(pd: GuardPortfolioDate): GuardFinding[] {
  const out: GuardFinding[] = [];
  const f = (check: GuardFinding['check'], expected: string, actual: string, message: string) =>
    out.push({ portfolio_id: pd.portfolioId, portfolio_name: pd.portfolioName, date: pd.date, check, expected, actual, message });
  for (const id of pd.lotsWithoutMark) f('G1', 'a mark of D for every active lot', `no mark for lot ${id}`, `lot ${id} is active on ${pd.date} but has no position_marks row`);
  if (pd.latestMarkComputedAt && !pd.analyticsStale) {
    // The older of the snapshot's analytics time and the analytics rows' earliest time.
    const analyticsAt = [pd.analyticsComputedAt, pd.earliestAnalyticsRowAt].filter((t): t is string => t !== null).sort()[0];
    if (analyticsAt !== undefined && pd.latestMarkComputedAt > analyticsAt) {
      f('G1', `marks computed before the analytics (${analyticsAt})`, `latest mark computed at ${pd.latestMarkComputedAt}`, 'the marks were recomputed after the analytics of the date, and tracking does not record the analytics as stale');
    }
  }
  for (const m of pd.cacheMismatches) {
    f('G1', `positions.${m.field} = ${JSON.stringify(m.expected)}`, JSON.stringify(m.actual), `the positions.mark cache of lot ${m.positionId} differs from its latest mark`);
  }
  const jobs = pd.jobs ?? {};
  for (const table of ANALYTICS_TABLES) {
    const writers = Object.entries(jobs).filter(([name]) => (JOB_TABLES[name] ?? []).includes(table));
    const successful = writers.filter(([, j]) => j.success);
    const actual = pd.rowCounts[table] ?? 0;
    if (successful.length === 0) {
      if (actual > 0) f('G2', `0 rows (no successful job writes ${table})`, `${actual} rows`, `${table} has rows although every job writing it failed, was skipped or did not run`);
      continue;
    }
    const reported = successful.map(([name, j]) => reportedRows(name, table, j.metrics));
    if (reported.some((r) => r === null)) continue;
    const expected = reported.reduce<number>((a, b) => a + (b ?? 0), 0);
    if (expected !== actual) {
      f('G2', `${expected} rows (${successful.map(([n]) => n).join(', ')})`, `${actual} rows`, `${table} row count differs from what the analytics jobs reported`);
    }
  }
  for (const c of pd.reconcile.checks) {
    if ((c.id === 1 || c.id === 6) && c.status === 'flag') {
      f('G3', `|difference| <= threshold (check ${c.id}, ${c.name})`, c.difference === null ? 'n/a' : c.difference.toFixed(2), `reconciliation check ${c.id} (${c.name}) is flagged`);
    }
  }
  return out;
}

/** Tables that must not be empty over the range when a job writing them succeeded. */
export const RANGE_TABLES: readonly string[] = ['position_factor_exposures', 'position_market_betas', 'position_volatility'];

export function evaluateGuard(pds: readonly GuardPortfolioDate[], range: { start: string; end: string }): GuardResult {
  const findings = pds.flatMap(checkPortfolioDate);
  for (const table of RANGE_TABLES) {
    const applicable = pds.some((pd) => Object.entries(pd.jobs ?? {}).some(([name, j]) => j.success && (JOB_TABLES[name] ?? []).includes(table)));
    const total = pds.reduce((a, pd) => a + (pd.rowCounts[table] ?? 0), 0);
    if (applicable && total === 0) {
      findings.push({ portfolio_id: null, portfolio_name: null, date: `${range.start}..${range.end}`, check: 'G2', expected: `${table} not empty`, actual: '0 rows', message: `${table} is empty over the range although its job succeeded` });
    }
  }
  return { status: findings.length ? 'fail' : 'pass', checked: pds.length, findings };
}
