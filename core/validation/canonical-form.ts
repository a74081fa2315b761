/**
 * The canonical content form (SPEC.md m.12): the one rule behind "identical tables", "same
 * content" and every checksum in tests and reports (restore round trips, crash consistency,
 * baselines, monitor-only, `history compare`).
 *
 * - rows are sorted by their natural key;
 * - money columns are rounded to cents, other non-integer numbers ("ratios") to 1e-9;
 * - excluded: random ids, `run_id` / `batch_run_id`, every `*_at` timestamp, every duration,
 *   and the maintenance_log, run_lock and batch_run_history tables;
 * - JSON text compares after key sorting, with the same exclusions applied to its keys.
 *
 * Pure: the SQL that reads rows (and maps foreign ids to natural keys) lives in db/canonical.ts.
 */
import { roundCents } from '../domain/money';

/**
 * Money columns (SPEC.md a.3), plus the unrounded P&L columns of marks and snapshots and the
 * correlation filter's dollar threshold: compared in cents.
 */
export const MONEY_COLUMNS: ReadonlySet<string> = new Set([
  'total_value', 'cash_value', 'long_value', 'short_value', 'gross_exposure', 'net_exposure',
  'daily_pnl', 'cumulative_pnl', 'cumulative_pnl_raw', 'daily_realized_pnl', 'cumulative_realized_pnl',
  'daily_capital_flow', 'cumulative_capital_flow', 'equity_balance', 'initial_equity', 'market_value',
  'unrealized_pnl', 'realized_pnl', 'amount', 'exposure_dollar', 'direct_pnl', 'correlated_pnl',
  'correlation_effect', 'portfolio_delta', 'portfolio_gamma', 'portfolio_theta', 'portfolio_vega',
  'cost_basis', 'closing_pnl', 'min_position_value', 'portfolio_value', 'equity',
]);

/** A timestamp, a duration, or a run identifier: never part of the content. */
export function isVolatileName(name: string): boolean {
  return (
    name.endsWith('_at') ||
    name === 'since' ||
    name === 'run_id' ||
    name === 'batch_run_id' ||
    name === 'duration_ms' ||
    name === 'duration_seconds' ||
    name.endsWith('_duration_seconds') ||
    name === 'phase_durations' ||
    name === 'total_duration' ||
    name === 'last_updated'
  );
}

export function isMoneyColumn(name: string): boolean {
  return MONEY_COLUMNS.has(name);
}

/** Rounds a ratio to 1e-9 (absolute); -0 becomes 0. Non-finite values pass through. */
export function roundRatio(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x * 1e9) / 1e9;
  return r === 0 ? 0 : r;
}

/** The canonical number of a column value: cents for money, 1e-9 for other non-integers. */
export function canonicalNumber(column: string, x: number): number {
  if (!Number.isFinite(x)) return x;
  if (isMoneyColumn(column)) return roundCents(x);
  if (Number.isInteger(x)) return x === 0 ? 0 : x;
  return roundRatio(x);
}

/**
 * A JSON value with sorted keys, volatile keys dropped (recursively) and numbers rounded by
 * their key's class (a number under a money key to cents, others to 1e-9).
 */
export function canonicalJsonValue(value: unknown, key = '', dropKeys: ReadonlySet<string> = NO_KEYS): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number') return canonicalNumber(key, value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => canonicalJsonValue(v, key, dropKeys));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value as Record<string, unknown>).sort()) {
    if (isVolatileName(k) || dropKeys.has(k)) continue;
    out[k] = canonicalJsonValue((value as Record<string, unknown>)[k], k, dropKeys);
  }
  return out;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** Canonical text of a JSON column (or the text itself when it does not parse). */
export function canonicalJsonText(text: string, dropKeys: ReadonlySet<string> = NO_KEYS): string {
  try {
    return JSON.stringify(canonicalJsonValue(JSON.parse(text), '', dropKeys));
  } catch {
    return text;
  }
}

export type CanonicalScalar = string | number | null;

/** One row in comparable form: column name to value (volatile columns already removed). */
export type ComparableRow = Readonly<Record<string, CanonicalScalar>>;

/** A row read for comparison, with the text of its natural key (unique within its table). */
export interface KeyedRow {
  readonly key: string;
  readonly values: ComparableRow;
}

/** The canonical (rounded) form of a comparable row; JSON columns are canonicalised by the caller's list. */
export function canonicalRow(values: ComparableRow, json: JsonColumns): Record<string, CanonicalScalar> {
  const out: Record<string, CanonicalScalar> = {};
  for (const col of Object.keys(values).sort()) {
    const v = values[col]!;
    if (typeof v === 'number') out[col] = canonicalNumber(col, v);
    else if (typeof v === 'string' && json.columns.has(col)) out[col] = canonicalJsonText(v, json.dropKeys);
    else out[col] = v;
  }
  return out;
}

/** Which columns of a table hold JSON, and which extra JSON keys are run bookkeeping there. */
export interface JsonColumns {
  readonly columns: ReadonlySet<string>;
  readonly dropKeys: ReadonlySet<string>;
}

export const NO_JSON: JsonColumns = { columns: NO_KEYS, dropKeys: NO_KEYS };

/** The text one row contributes to a table checksum: its key, then its canonical values. */
export function canonicalRowText(row: KeyedRow, json: JsonColumns): string {
  return JSON.stringify([row.key, canonicalRow(row.values, json)]);
}

/**
 * Sorts keyed rows by key; ties, which a natural key should not have, by canonical text,
 * computed only for the rows that tie (a row's canonical text is the costly part of a checksum).
 */
export function sortKeyedRows(rows: readonly KeyedRow[], json: JsonColumns): KeyedRow[] {
  const text = new Map<KeyedRow, string>();
  const textOf = (r: KeyedRow): string => {
    let t = text.get(r);
    if (t === undefined) text.set(r, (t = canonicalRowText(r, json)));
    return t;
  };
  const byText = (a: KeyedRow, b: KeyedRow): number => {
    const ta = textOf(a);
    const tb = textOf(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  };
  return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : byText(a, b)));
}
