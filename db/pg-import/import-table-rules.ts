/**
 * Per-table rules of the import (SPEC.md j.7 "Table rules", m.15), applied to each row after
 * the column-by-name mapping and before the insert. A rule may change the row, fill columns
 * the dump lacks, or return a skip reason. Every change is counted in the table's report.
 *
 * | table | rule |
 * |---|---|
 * | users | user_key = 'user_' + the first 8 hex digits of the id (a merge's replace keeps a stored user's key: LOCALLY_DERIVED_COLUMNS) |
 * | portfolios | account_name = name, account_type 'taxable', is_active 1 when the dump lacks them; initial_equity is a post-step |
 * | positions | symbols canonicalised; a missing investment_class filled by e.5; null entry_date, unknown position_type, negative or missing entry price / quantity skipped; mark provenance null |
 * | position_realized_events | exit_price null (derived when needed) |
 * | market_data_cache | close ≤ 0 skipped (profile metadata rows); symbol canonical; data_source kept; id date-prefixed (datePrefixedId) |
 * | stress_test_scenarios | category_key and period from our catalog by scenario_id |
 * | portfolio_snapshots | is_complete = false skipped; cumulative_pnl_raw = cumulative_pnl; flows and realized fields 0 when absent |
 * | correlation_calculations | calculation_date → the UTC date of the timestamp |
 * | batch_run_tracking | status 'imported'; phase_status, metadata, run_id null |
 * | batch_run_history | mode null |
 */
import { STRESS_CATALOG } from '../../core/data/stress-scenarios';
import { toEpochDay, type IsoDate } from '../../core/domain/iso-date';
import { POSITION_TYPES } from '../../core/domain/portfolio';
import { canonicalSymbol, classifySymbol, privateSubtype } from '../../core/domain/symbols';
import { charLength, cutToChars } from '../../core/domain/text-length';
import { PROFILE_DESCRIPTION_MAX_CHARS } from '../../core/ports/market-data';
import { noteChange, type TableImportReport } from './import-report';
import type { SqliteValue } from './value-issue';

export type ImportRow = Record<string, SqliteValue>;

export interface RuleContext {
  readonly nowIso: string;
  /** Columns the dump has for this table. */
  readonly present: ReadonlySet<string>;
  readonly report: TableImportReport;
  /** The row's key for examples (computed only when a change or skip is reported). */
  key(): string;
  /**
   * Per-table memos of values derived from a few distinct inputs (canonical symbols, the day
   * prefix of a date), so a million price rows do not redo the same string work.
   */
  readonly memo: RuleMemo;
}

export interface RuleMemo {
  readonly symbols: Map<string, string>;
  readonly days: Map<string, string>;
}

export function newRuleMemo(): RuleMemo {
  return { symbols: new Map(), days: new Map() };
}

export interface TableRule {
  /** Columns the rule may write, so they are part of the insert. */
  readonly writes: readonly string[];
  /** Returns a skip reason, or null to insert the (possibly changed) row. */
  apply(row: ImportRow, ctx: RuleContext): string | null;
}

/** True for a canonical lowercase uuid (the form the uuid converter writes). */
function isUuidText(id: string): boolean {
  if (id.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** The epoch day of a `YYYY-MM-DD` date as 8 hex digits (db/ids.ts datedRowId), or null. */
export function epochDayHex(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const day = toEpochDay(date as IsoDate);
  return day >= 0 ? day.toString(16).padStart(8, '0') : null;
}

/**
 * A price row's id with its first 8 hex digits replaced by the row's epoch day, as
 * batchdesk keys its own dated rows (db/ids.ts datedRowId); the other 24 digits are the
 * dump's. The reference's ids are random, so a large price cache would be inserted all over
 * the primary-key index; dated ids put each date's rows together and the index grows at its
 * end. Nothing references a price row's id. Null when the id is not a uuid or the date is bad.
 */
export function datePrefixedId(date: string, id: string, memo?: Map<string, string>): string | null {
  if (!isUuidText(id)) return null;
  const day = memo ? memoized(memo, date, (d) => epochDayHex(d) ?? '') : (epochDayHex(date) ?? '');
  return day === '' ? null : `${day}${id.slice(8)}`;
}

const SCENARIOS = new Map(STRESS_CATALOG.scenarios.map((s) => [s.id, s]));
const POSITION_TYPE_SET = new Set<string>(POSITION_TYPES);

function defaultWhenAbsent(row: ImportRow, ctx: RuleContext, column: string, value: SqliteValue): void {
  if (!ctx.present.has(column) || row[column] === null || row[column] === undefined) row[column] = value;
}

/** Memo entries kept per table; beyond that values are computed without memo. */
const MEMO_LIMIT = 100_000;

function memoized(memo: Map<string, string>, key: string, compute: (key: string) => string): string {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const v = compute(key);
  if (memo.size < MEMO_LIMIT) memo.set(key, v);
  return v;
}

/** True when canonicalSymbol would return the text unchanged: A-Z, digits and symbol marks only. */
function isCanonicalText(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // A-Z, 0-9, - ^ = _ and the other marks tickers use; no lowercase, space, '.' or '/'
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 94 || c === 61 || c === 95 || c === 43 || c === 35 || c === 33 || c === 36 || c === 37 || c === 38 || c === 42 || c === 64)) return false;
  }
  return true;
}

function canonical(row: ImportRow, column: string, ctx: RuleContext): void {
  const v = row[column];
  if (typeof v !== 'string' || isCanonicalText(v)) return;
  const c = memoized(ctx.memo.symbols, v, canonicalSymbol);
  if (c !== v) {
    row[column] = c;
    noteChange(ctx.report, ctx.key(), 'symbols_canonicalised', `${column} ${v} → ${c}`);
  }
}

const RULES: Record<string, TableRule> = {
  users: {
    writes: ['user_key'],
    apply(row) {
      const id = typeof row['id'] === 'string' ? row['id'] : '';
      row['user_key'] = `user_${id.replace(/-/g, '').slice(0, 8)}`;
      return null;
    },
  },
  portfolios: {
    writes: ['account_name', 'account_type', 'is_active', 'currency'],
    apply(row, ctx) {
      defaultWhenAbsent(row, ctx, 'account_name', row['name'] ?? null);
      defaultWhenAbsent(row, ctx, 'account_type', 'taxable');
      defaultWhenAbsent(row, ctx, 'is_active', 1);
      defaultWhenAbsent(row, ctx, 'currency', 'USD');
      return null;
    },
  },
  positions: {
    writes: ['investment_class', 'investment_subtype', 'realized_pnl', 'price_date', 'price_source', 'marked_as_of'],
    apply(row, ctx) {
      canonical(row, 'symbol', ctx);
      canonical(row, 'underlying_symbol', ctx);
      if (row['entry_date'] === null || row['entry_date'] === undefined) return 'missing_entry_date';
      if (typeof row['position_type'] !== 'string' || !POSITION_TYPE_SET.has(row['position_type'])) return 'invalid_position_type';
      if (typeof row['entry_price'] !== 'number' || row['entry_price'] < 0) return 'invalid_entry_price';
      if (typeof row['quantity'] !== 'number') return 'missing_quantity';
      const cls = row['investment_class'];
      if (cls === null || cls === undefined || cls === '') {
        const filled = classifySymbol(String(row['symbol']));
        row['investment_class'] = filled;
        noteChange(ctx.report, ctx.key(), 'investment_class_filled', `${String(row['symbol'])} → ${filled}`);
        // e.5: a PRIVATE row without a subtype takes the subtype its symbol says, when one does.
        const subtype = filled === 'PRIVATE' && (row['investment_subtype'] === null || row['investment_subtype'] === undefined || row['investment_subtype'] === '') ? privateSubtype(String(row['symbol'])) : null;
        if (subtype) row['investment_subtype'] = subtype;
      } else if (cls !== 'PUBLIC' && cls !== 'OPTIONS' && cls !== 'PRIVATE') {
        return 'invalid_investment_class';
      }
      if (!ctx.present.has('realized_pnl')) row['realized_pnl'] = 0;
      row['price_date'] = null;
      row['price_source'] = null;
      row['marked_as_of'] = null;
      return null;
    },
  },
  position_realized_events: {
    writes: ['exit_price'],
    apply(row) {
      row['exit_price'] = null;
      return null;
    },
  },
  market_data_cache: {
    writes: ['validation_flag'],
    apply(row, ctx) {
      canonical(row, 'symbol', ctx);
      const close = row['close'];
      if (typeof close !== 'number' || !Number.isFinite(close) || close <= 0) return 'close_not_positive';
      row['validation_flag'] = null;
      const id = row['id'];
      const date = row['date'];
      if (typeof id === 'string' && typeof date === 'string') {
        const dated = datePrefixedId(date, id, ctx.memo.days);
        if (dated !== null) {
          row['id'] = dated;
          ctx.report.changes['ids_date_prefixed'] = (ctx.report.changes['ids_date_prefixed'] ?? 0) + 1;
        }
      }
      return null;
    },
  },
  company_profiles: {
    writes: [],
    apply(row, ctx) {
      // b.2 keeps at most 1,000 characters, as the providers' descriptions are cut (e.6): the row
      // stays, its description cut and reported (it was refused by the column's check, profile and all).
      const d = row['description'];
      if (typeof d === 'string' && d.length > PROFILE_DESCRIPTION_MAX_CHARS && charLength(d) > PROFILE_DESCRIPTION_MAX_CHARS) {
        row['description'] = cutToChars(d, PROFILE_DESCRIPTION_MAX_CHARS);
        noteChange(ctx.report, ctx.key(), 'descriptions_cut', `${String(row['symbol'])}: ${charLength(d)} characters, the first ${PROFILE_DESCRIPTION_MAX_CHARS} kept`);
      }
      return null;
    },
  },
  stress_test_scenarios: {
    writes: ['category_key', 'period_start', 'period_end', 'active'],
    apply(row, ctx) {
      const s = SCENARIOS.get(String(row['scenario_id']));
      if (s) {
        row['category_key'] = s.category_key;
        row['period_start'] = s.period?.start ?? null;
        row['period_end'] = s.period?.end ?? null;
      } else {
        noteChange(ctx.report, ctx.key(), 'scenarios_not_in_catalog', String(row['scenario_id']));
      }
      defaultWhenAbsent(row, ctx, 'active', 1);
      return null;
    },
  },
  portfolio_snapshots: {
    writes: ['cumulative_pnl_raw', 'is_complete', 'daily_realized_pnl', 'cumulative_realized_pnl', 'daily_capital_flow', 'cumulative_capital_flow'],
    apply(row, ctx) {
      if (row['is_complete'] === 0) return 'incomplete_snapshot';
      row['is_complete'] = 1;
      row['cumulative_pnl_raw'] = row['cumulative_pnl'] ?? null;
      for (const c of ['daily_realized_pnl', 'cumulative_realized_pnl', 'daily_capital_flow', 'cumulative_capital_flow']) {
        if (!ctx.present.has(c)) row[c] = 0;
      }
      return null;
    },
  },
  correlation_calculations: {
    writes: [],
    apply(row) {
      const d = row['calculation_date'];
      if (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(d)) row['calculation_date'] = d.slice(0, 10);
      return null;
    },
  },
  batch_run_tracking: {
    writes: ['status', 'phase_status', 'metadata', 'run_id'],
    apply(row) {
      row['status'] = 'imported';
      row['phase_status'] = null;
      row['metadata'] = null;
      row['run_id'] = null;
      return null;
    },
  },
  batch_run_history: {
    writes: ['mode'],
    apply(row) {
      row['mode'] = null;
      return null;
    },
  },
};

/**
 * The columns of raw rows that belong to this database, not to the dump: what the local batch
 * derives and caches (SPEC.md b.5 column groups `portfolios.equity` and `positions.mark`), and
 * `users.user_key`, the neutral local handle (b; the import only derives one for the users it
 * inserts, as the reference has no such column). A merge stores the dump's values only in rows
 * it inserts; it never writes them into a row that already exists, not even with --on-conflict
 * replace, so an existing portfolio's equity and its lots' marks stay those of its latest
 * processed date (b.2) and reconcile (i.1) keeps agreeing with them, and a user keeps its key
 * (`demo_individual` stays `demo_individual`).
 */
export const LOCALLY_DERIVED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  users: ['user_key'],
  portfolios: ['equity_balance'],
  positions: ['last_price', 'market_value', 'unrealized_pnl', 'price_date', 'price_source', 'marked_as_of'],
};

/**
 * Bookkeeping tables whose stored rows describe this database's own runs (SPEC.md b.4, h.4,
 * h.6). A merge inserts the rows they lack but never replaces a stored one, whatever
 * --on-conflict says: the dump's row is skipped and reported as `local_bookkeeping_kept`.
 */
export const KEEP_LOCAL_ROWS: ReadonlySet<string> = new Set(['batch_run_tracking', 'batch_run_history']);

/** Tables whose duplicates of the new unique key keep the newest created_at (j.7). */
export const KEEP_NEWEST_DUPLICATE = new Set(['position_interest_rate_betas', 'stress_test_results']);

export function ruleFor(table: string): TableRule | null {
  return RULES[table] ?? null;
}
