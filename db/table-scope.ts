/**
 * SQL filters that select a table's rows by date range and portfolio (SPEC.md j.4, i.7,
 * g.12), from the table catalog: one place that knows how a derived row belongs to a date
 * and a portfolio. Values are always bound.
 */
import type { IsoDate } from '../core/domain/iso-date';
import type { TableSpec } from '../core/validation/table-catalog';

export interface RowScope {
  /** First date (inclusive); null = open. */
  readonly start?: IsoDate | null;
  /** Last date (inclusive); null = open. */
  readonly end?: IsoDate | null;
  /** Portfolios; empty or absent = all. Date-level tables ignore it. */
  readonly portfolioIds?: readonly string[];
}

export interface ScopeSql {
  readonly where: string;
  readonly params: unknown[];
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** WHERE clause (without the keyword; "1 = 1" when unrestricted) for a table and scope. */
export function scopeWhere(spec: TableSpec, scope: RowScope = {}): ScopeSql {
  const parts: string[] = [];
  const params: unknown[] = [];
  const pids = scope.portfolioIds ?? [];
  const start = scope.start ?? null;
  const end = scope.end ?? null;
  if (spec.link === 'correlation') {
    const inner: string[] = [];
    if (start) {
      inner.push('calculation_date >= ?');
      params.push(start);
    }
    if (end) {
      inner.push('calculation_date <= ?');
      params.push(end);
    }
    if (pids.length) {
      inner.push(`portfolio_id IN (${marks(pids.length)})`);
      params.push(...pids);
    }
    if (inner.length) parts.push(`correlation_calculation_id IN (SELECT id FROM correlation_calculations WHERE ${inner.join(' AND ')})`);
    return { where: parts.length ? parts.join(' AND ') : '1 = 1', params };
  }
  if (spec.dateColumn) {
    if (start) {
      parts.push(`${spec.dateColumn} >= ?`);
      params.push(start);
    }
    if (end) {
      parts.push(`${spec.dateColumn} <= ?`);
      params.push(end);
    }
  }
  if (pids.length) {
    if (spec.link === 'portfolio_id') {
      parts.push(`portfolio_id IN (${marks(pids.length)})`);
      params.push(...pids);
    } else if (spec.link === 'position_id') {
      parts.push(`position_id IN (SELECT id FROM positions WHERE portfolio_id IN (${marks(pids.length)}))`);
      params.push(...pids);
    }
  }
  return { where: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/**
 * SELECT of one date's rows of a portfolio-date table grouped by portfolio: `pid` and the
 * given aggregates over the table's rows, aliased `t` (one `?`, the date). The portfolio is
 * found as scopeWhere finds it, so the groups are what per-portfolio scopes would select.
 */
export function groupedByPortfolioOnDate(spec: TableSpec, aggregates: string): string {
  const table = `"${spec.name}" t`;
  switch (spec.link) {
    case 'portfolio_id':
      return `SELECT t.portfolio_id AS pid, ${aggregates} FROM ${table} WHERE t.${spec.dateColumn} = ? GROUP BY t.portfolio_id`;
    case 'position_id':
      return `SELECT p.portfolio_id AS pid, ${aggregates} FROM ${table} JOIN positions p ON p.id = t.position_id WHERE t.${spec.dateColumn} = ? GROUP BY p.portfolio_id`;
    case 'correlation':
      return `SELECT c.portfolio_id AS pid, ${aggregates} FROM ${table} JOIN correlation_calculations c ON c.id = t.correlation_calculation_id WHERE c.calculation_date = ? GROUP BY c.portfolio_id`;
    case 'none':
      throw new Error(`${spec.name} has no portfolio link`);
  }
}
