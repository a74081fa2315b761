/**
 * Every table of the schema with what the safeguards need to know about it (SPEC.md b.2-b.6,
 * j.4, m.12): its purge class, the date column of a derived table and how it is tied to a
 * portfolio, its natural key in canonical form, its JSON columns, the id columns that are not
 * content, and the foreign ids replaced by natural keys.
 *
 * Pure data: db/ turns it into SQL (purge, canonical reads, row counts, baselines).
 */

export type TableClass = 'raw' | 'derived' | 'bookkeeping';

/**
 * How rows belong to a portfolio: a portfolio_id column, a position_id column (through
 * positions), a correlation calculation (through correlation_calculations), or not at all
 * (date-level rows).
 */
export type PortfolioLink = 'portfolio_id' | 'position_id' | 'correlation' | 'none';

/** Foreign ids replaced by natural keys in the canonical form. */
export type IdMapping = 'factor' | 'scenario' | 'correlation' | 'tag';

export interface TableSpec {
  readonly name: string;
  readonly class: TableClass;
  /** Derived tables: the column holding the processed date (pairwise rows use their calculation's). */
  readonly dateColumn: string | null;
  readonly link: PortfolioLink;
  /** Natural key, in canonical column names (after id mapping). */
  readonly key: readonly string[];
  readonly json: readonly string[];
  /** JSON keys that are run bookkeeping in this table (beyond the generic volatile names). */
  readonly dropJsonKeys?: readonly string[];
  /** Id columns that are not content (random or derived from the natural key). */
  readonly dropColumns: readonly string[];
  /** Column name → mapping; the mapped value appears under the mapping's name. */
  readonly mapIds?: Readonly<Record<string, IdMapping>>;
}

const raw = (name: string, key: string[], extra: Partial<TableSpec> = {}): TableSpec => ({ name, class: 'raw', dateColumn: null, link: 'none', key, json: [], dropColumns: [], ...extra });
const derived = (name: string, dateColumn: string | null, link: PortfolioLink, key: string[], extra: Partial<TableSpec> = {}): TableSpec => ({
  name,
  class: 'derived',
  dateColumn,
  link,
  key,
  json: [],
  dropColumns: ['id'],
  ...extra,
});

export const TABLE_CATALOG: readonly TableSpec[] = [
  raw('users', ['id']),
  raw('portfolios', ['id']),
  raw('positions', ['id']),
  raw('position_realized_events', ['id']),
  raw('equity_changes', ['id']),
  raw('market_data_cache', ['symbol', 'date'], { dropColumns: ['id'] }),
  raw('market_data_fetch_log', ['symbol', 'provider', 'range_start', 'range_end'], { dropColumns: ['id'] }),
  raw('company_profiles', ['symbol']),
  raw('factor_definitions', ['name'], { dropColumns: ['id'] }),
  raw('stress_test_scenarios', ['scenario_id'], { dropColumns: ['id'], json: ['shock_config'] }),
  raw('tags_v2', ['user_id', 'name', 'is_archived'], { dropColumns: ['id', 'archived_by'] }),
  raw('position_tags', ['position_id', 'tag'], { dropColumns: ['id'], mapIds: { tag_id: 'tag' } }),
  raw('benchmarks_sector_weights', ['benchmark_code', 'asof_date', 'sector'], { dropColumns: ['id'] }),
  raw('synthetic_truth', ['symbol', 'kind', 'name']),
  raw('settings', ['key'], { json: ['value'] }),
  derived('position_marks', 'mark_date', 'portfolio_id', ['position_id', 'mark_date'], { dropColumns: [], json: ['flags'] }),
  derived('missing_prices', 'price_date', 'none', ['price_date', 'symbol'], { dropColumns: [] }),
  derived('portfolio_snapshots', 'snapshot_date', 'portfolio_id', ['portfolio_id', 'snapshot_date'], { json: ['sector_exposure'] }),
  derived('symbol_factor_exposures', 'calculation_date', 'none', ['symbol', 'factor', 'calculation_date'], { mapIds: { factor_id: 'factor' } }),
  derived('factor_exposures', 'calculation_date', 'portfolio_id', ['portfolio_id', 'factor', 'calculation_date'], { mapIds: { factor_id: 'factor' } }),
  derived('position_factor_exposures', 'calculation_date', 'position_id', ['position_id', 'factor', 'calculation_date'], { mapIds: { factor_id: 'factor' } }),
  derived('position_market_betas', 'calc_date', 'portfolio_id', ['portfolio_id', 'position_id', 'calc_date', 'method', 'window_days']),
  derived('position_interest_rate_betas', 'calculation_date', 'portfolio_id', ['position_id', 'calculation_date']),
  derived('position_volatility', 'calculation_date', 'position_id', ['position_id', 'calculation_date']),
  derived('correlation_calculations', 'calculation_date', 'portfolio_id', ['portfolio_id', 'duration_days', 'calculation_date']),
  derived('pairwise_correlations', null, 'correlation', ['correlation', 'symbol_1', 'symbol_2'], { mapIds: { correlation_calculation_id: 'correlation' } }),
  derived('stress_test_results', 'calculation_date', 'portfolio_id', ['portfolio_id', 'scenario', 'calculation_date'], {
    json: ['factor_impacts', 'calculation_metadata'],
    mapIds: { scenario_id: 'scenario' },
  }),
  {
    name: 'batch_run_tracking',
    class: 'bookkeeping',
    dateColumn: 'run_date',
    link: 'none',
    key: ['run_date'],
    json: ['phase_status', 'metadata', 'error_message'],
    // What a run did rather than what the date is: requests, retries, rows upserted and the
    // chunk prefetch depend on how a range was split into runs (a resumed run after a crash
    // fetches nothing and starts a new chunk), so they are not content.
    dropJsonKeys: ['mode', 'prefetch', 'fetch_mode', 'requests_made', 'retries', 'rows_upserted', 'rate_limited_count', 'circuit_open_count', 'providers', 'symbols_fetched'],
    dropColumns: ['id'],
  },
];

/** Tables never part of the content (m.12) and never purged. */
export const EXCLUDED_TABLES: readonly string[] = ['batch_run_history', 'run_lock', 'maintenance_log'];

/** The derived tables (b.6) in delete order: children before their parents. */
export const DERIVED_TABLES: readonly TableSpec[] = TABLE_CATALOG.filter((t) => t.class === 'derived').sort((a, b) =>
  a.name === 'pairwise_correlations' ? -1 : b.name === 'pairwise_correlations' ? 1 : 0,
);

/** Raw tables that a run may legitimately grow (i.8). */
export const GROWABLE_RAW_TABLES: ReadonlySet<string> = new Set(['market_data_cache', 'market_data_fetch_log', 'company_profiles', 'tags_v2', 'position_tags', 'settings']);

export function tableSpec(name: string): TableSpec | undefined {
  return TABLE_CATALOG.find((t) => t.name === name);
}

/** Derived tables written per portfolio-date (the phases' owned rows, g.8). */
export const PORTFOLIO_DATE_TABLES: readonly string[] = DERIVED_TABLES.filter((t) => t.link !== 'none').map((t) => t.name);

/** Derived tables written once per date (caches, m.1). */
export const DATE_LEVEL_TABLES: readonly string[] = DERIVED_TABLES.filter((t) => t.link === 'none').map((t) => t.name);
