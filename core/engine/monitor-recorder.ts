/**
 * Monitor-only differences (SPEC.md g.12, m.21): every write of a monitor run happens in a
 * transaction that is rolled back. The recorder reads the stored rows before a date or a
 * portfolio-date is computed and the computed rows just before each rollback, and reports per
 * portfolio-date and table the rows added, removed and changed with the largest absolute
 * differences (tolerances 0.01 money, 1e-6 ratios; text exact; JSON after key sorting).
 *
 * Date-level rows are written by the phases in their own rolled-back transactions; since each
 * of those starts from the stored state, a capture that differs from the stored rows is what
 * that transaction computed.
 *
 * A portfolio-date (or a date's date-level phases) whose critical phase failed is `failed`:
 * its rows are those computed before the failure, which a normal run would have rolled back.
 * A portfolio-date of a date whose critical date phase failed is `not_run`: its phases never
 * ran, so nothing of it is compared (it counts apart from the compared entries, and the run
 * is not clean). The report counts the date-level parts and the portfolio-dates apart, as the
 * app shows them.
 */
import type { MonitorStatusName } from '../api/commands/debug-commands';
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName } from '../domain/phase';
import type { DerivedRowsReader, RowsByTable, TraceWriter } from '../ports/derived-rows';
import type { KeyedRow } from '../validation/canonical-form';
import { DEFAULT_TOLERANCES, diffKeyedRows, isClean, type TableDifference, type Tolerances } from '../validation/row-diff';

/** The tables (and column groups) each portfolio phase writes, as the reader names them. */
export const PORTFOLIO_PHASE_OUTPUT_TABLES: Readonly<Record<string, readonly string[]>> = {
  marks: ['position_marks', 'positions.mark'],
  snapshots: ['portfolio_snapshots', 'portfolios.equity'],
  sector_tags: ['position_tags'],
  analytics: [
    'portfolio_snapshots',
    'factor_exposures',
    'position_factor_exposures',
    'position_market_betas',
    'position_interest_rate_betas',
    'position_volatility',
    'correlation_calculations',
    'pairwise_correlations',
    'stress_test_results',
  ],
};

/** The date-level tables each date phase writes (analytics: its symbol stage). */
export const DATE_PHASE_OUTPUT_TABLES: Readonly<Record<string, readonly string[]>> = {
  market_data: ['missing_prices'],
  fundamentals: [],
  analytics: ['symbol_factor_exposures'],
};

/** Per column, the number of rows in which it differs beyond tolerance (text and dates included). */
export function changedColumns(d: TableDifference): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of d.changed) for (const c of r.columns) out[c.column] = (out[c.column] ?? 0) + 1;
  return out;
}

/** A table's differences as the trace documents carry them: with the changed rows per column. */
const tracedDifference = (d: TableDifference) => ({ ...d, changedColumns: changedColumns(d) });

export interface MonitorTableReport {
  readonly table: string;
  readonly stored_rows: number;
  readonly computed_rows: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly max_abs_diff: Readonly<Record<string, number>>;
  /** Per column, the rows in which it differs beyond tolerance. */
  readonly changed_columns: Readonly<Record<string, number>>;
  /** Up to 5 changed rows with their differing columns, and up to 5 added/removed keys. */
  readonly examples: { readonly changed: TableDifference['changed']; readonly added: readonly string[]; readonly removed: readonly string[] };
}

/** An entry's status (core/api's monitorStatusSchema says what each means). */
export type MonitorStatus = MonitorStatusName;

/** How many of a kind of entry were compared (all but the `not_run` ones), and how many have each status. */
export type MonitorCounts = { readonly compared: number } & Readonly<Record<MonitorStatus, number>>;

type EntryBase = {
  readonly date: string;
  /** null for the date-level rows of the date. */
  readonly portfolio_id: string | null;
  readonly portfolio_name: string | null;
  readonly tables: readonly MonitorTableReport[];
  /** For new portfolio-dates: the computed snapshot values and the coverage figures. */
  readonly computed?: Readonly<Record<string, unknown>>;
};

export type MonitorEntry =
  | (EntryBase & { readonly status: Exclude<MonitorStatus, 'not_run'> })
  /** A portfolio-date whose phases never ran: `date_failed_phase` failed before them; no tables. */
  | (EntryBase & { readonly status: 'not_run'; readonly date_failed_phase: PhaseName });

export type MonitorReport = {
  readonly schema: 'batchdesk.monitor/1';
  readonly tolerances: Tolerances;
  /** Every entry is `same`. */
  readonly clean: boolean;
  /** Entries compared: each date's date-level rows and each portfolio-date that ran. */
  readonly entries_compared: number;
  readonly entries_different: number;
  readonly entries_new: number;
  /** The date-level rows of each date, and the portfolio-dates, counted apart. */
  readonly date_level: MonitorCounts;
  readonly portfolio_dates: MonitorCounts;
  readonly totals: { readonly rows_added: number; readonly rows_removed: number; readonly rows_changed: number };
  /** Entries that differ (or are new) first, then by date and portfolio. */
  readonly entries: readonly MonitorEntry[];
  readonly trace_dir: string | null;
};

const sameRows = (a: readonly KeyedRow[] | undefined, b: readonly KeyedRow[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

function tableReport(d: TableDifference): MonitorTableReport {
  return {
    table: d.table,
    stored_rows: d.storedRows,
    computed_rows: d.computedRows,
    added: d.added.length,
    removed: d.removed.length,
    changed: d.changed.length,
    max_abs_diff: d.maxAbsDiff,
    changed_columns: changedColumns(d),
    examples: { changed: d.changed.slice(0, 5), added: d.added.slice(0, 5), removed: d.removed.slice(0, 5) },
  };
}

interface OpenScope {
  readonly date: IsoDate;
  readonly portfolioId: string | null;
  readonly portfolioName: string | null;
  readonly stored: RowsByTable;
  computed: Record<string, readonly KeyedRow[]>;
  /** Rows after each traced phase, with the inputs it read. */
  readonly phases: { phase: string; inputs: unknown; rows: RowsByTable }[];
}

export class MonitorRecorder {
  private readonly entries: MonitorEntry[] = [];
  private scope: OpenScope | null = null;
  private dateScope: OpenScope | null = null;

  constructor(
    private readonly reader: DerivedRowsReader,
    private readonly trace: TraceWriter | null,
    private readonly traceDir: string | null,
    private readonly tolerances: Tolerances = DEFAULT_TOLERANCES,
  ) {}

  get tracing(): boolean {
    return this.trace !== null;
  }

  /** Before the date-scoped phases of D: reads the stored date-level rows. */
  beginDate(d: IsoDate): void {
    const stored = this.reader.dateLevel(d);
    this.dateScope = { date: d, portfolioId: null, portfolioName: null, stored, computed: { ...stored }, phases: [] };
  }

  /** Before a portfolio-date's transaction: reads its stored rows. */
  beginPortfolio(d: IsoDate, portfolioId: string, portfolioName: string): void {
    const stored = this.reader.portfolioDate(portfolioId, d);
    this.scope = { date: d, portfolioId, portfolioName, stored, computed: { ...stored }, phases: [] };
  }

  /** Called inside every rolled-back transaction just before the rollback. */
  beforeRollback(): void {
    if (this.scope) {
      this.scope.computed = { ...this.reader.portfolioDate(this.scope.portfolioId!, this.scope.date) };
      return;
    }
    if (!this.dateScope) return;
    const now = this.reader.dateLevel(this.dateScope.date);
    for (const [table, rows] of Object.entries(now)) {
      if (!sameRows(rows, this.dateScope.stored[table])) this.dateScope.computed[table] = rows;
    }
  }

  /** With --trace: after a portfolio phase ran inside the transaction. */
  afterPhase(phase: PhaseName, inputs: unknown): void {
    if (!this.trace || !this.scope) return;
    this.scope.phases.push({ phase, inputs, rows: this.reader.portfolioDate(this.scope.portfolioId!, this.scope.date) });
  }

  /**
   * With --trace: after a date phase (or the analytics symbol stage) ran. Its transaction has
   * rolled back already; the rows it computed are the date's captures so far.
   */
  afterDatePhase(phase: PhaseName, inputs: unknown): void {
    if (!this.trace || !this.dateScope) return;
    this.dateScope.phases.push({ phase, inputs, rows: { ...this.dateScope.computed } });
  }

  /**
   * Instead of beginPortfolio/endPortfolio, for a portfolio-date of a date whose critical date
   * phase failed: its phases never ran, so nothing is read or compared.
   */
  portfolioNotRun(d: IsoDate, portfolioId: string, portfolioName: string, dateFailedPhase: PhaseName): void {
    const entry: MonitorEntry = { date: d, portfolio_id: portfolioId, portfolio_name: portfolioName, status: 'not_run', date_failed_phase: dateFailedPhase, tables: [] };
    this.entries.push(entry);
    if (this.trace) this.trace.write(`${d}/${portfolioId}/summary.json`, { ...entry, differences: [] });
  }

  /** After the portfolio-date: records its differences; `failed` when a critical phase failed. */
  endPortfolio(computedValues: Readonly<Record<string, unknown>>, failed: boolean): void {
    const s = this.scope;
    this.scope = null;
    if (!s) return;
    this.finish(s, computedValues, failed);
  }

  /** After the date's portfolios: records the date-level differences; `failed` when a critical date phase failed. */
  endDate(coverage: Readonly<Record<string, unknown>>, failed: boolean): void {
    const s = this.dateScope;
    this.dateScope = null;
    if (!s) return;
    this.finish(s, coverage, failed);
  }

  private finish(s: OpenScope, computedValues: Readonly<Record<string, unknown>>, failed: boolean): void {
    const tables = [...new Set([...Object.keys(s.stored), ...Object.keys(s.computed)])].sort();
    const diffs = tables.map((t) => diffKeyedRows(t, s.stored[t] ?? [], s.computed[t] ?? [], this.reader.jsonColumns(t), this.tolerances));
    const storedTotal = tables.reduce((a, t) => a + (s.stored[t]?.length ?? 0), 0);
    const different = diffs.some((d) => !isClean(d));
    const isNew = different && storedTotal === 0;
    const entry: MonitorEntry = {
      date: s.date,
      portfolio_id: s.portfolioId,
      portfolio_name: s.portfolioName,
      status: failed ? 'failed' : isNew ? 'new' : different ? 'different' : 'same',
      tables: diffs.filter((d) => d.storedRows + d.computedRows > 0).map(tableReport),
      ...(isNew || s.portfolioId === null ? { computed: computedValues } : {}),
    };
    this.entries.push(entry);
    if (this.trace) this.writeTrace(s, diffs, entry);
  }

  private writeTrace(s: OpenScope, diffs: readonly TableDifference[], entry: MonitorEntry): void {
    const base = `${s.date}/${s.portfolioId ?? 'date'}`;
    const phaseTables = s.portfolioId === null ? DATE_PHASE_OUTPUT_TABLES : PORTFOLIO_PHASE_OUTPUT_TABLES;
    let previous: RowsByTable = s.stored;
    for (const p of s.phases) {
      const tables = phaseTables[p.phase] ?? [];
      const outputs: Record<string, readonly KeyedRow[]> = {};
      const differences: ReturnType<typeof tracedDifference>[] = [];
      for (const t of tables) {
        outputs[t] = p.rows[t] ?? [];
        differences.push(tracedDifference(diffKeyedRows(t, s.stored[t] ?? [], p.rows[t] ?? [], this.reader.jsonColumns(t), this.tolerances)));
      }
      const storedRows: Record<string, readonly KeyedRow[]> = {};
      for (const t of tables) storedRows[t] = s.stored[t] ?? [];
      this.trace!.write(`${base}/${p.phase}.json`, { date: s.date, portfolio_id: s.portfolioId, phase: p.phase, inputs: p.inputs, outputs, stored: storedRows, differences, rows_before_phase: Object.fromEntries(tables.map((t) => [t, (previous[t] ?? []).length])) });
      previous = p.rows;
    }
    this.trace!.write(`${base}/summary.json`, { ...entry, differences: diffs.map(tracedDifference) });
  }

  report(): MonitorReport {
    const order = (e: MonitorEntry) => (e.status === 'same' ? 1 : 0);
    const entries = [...this.entries].sort((a, b) => order(a) - order(b) || (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.portfolio_name ?? '') < (b.portfolio_name ?? '') ? -1 : 1));
    const sum = (k: 'added' | 'removed' | 'changed') => this.entries.reduce((acc, e) => acc + e.tables.reduce((x, t) => x + t[k], 0), 0);
    const count = (list: readonly MonitorEntry[]): MonitorCounts => {
      const n = (status: MonitorStatus) => list.filter((e) => e.status === status).length;
      return { compared: list.length - n('not_run'), same: n('same'), different: n('different'), new: n('new'), failed: n('failed'), not_run: n('not_run') };
    };
    const r: MonitorReport = {
      schema: 'batchdesk.monitor/1',
      tolerances: this.tolerances,
      clean: this.entries.every((e) => e.status === 'same'),
      entries_compared: this.entries.filter((e) => e.status !== 'not_run').length,
      entries_different: this.entries.filter((e) => e.status === 'different').length,
      entries_new: this.entries.filter((e) => e.status === 'new').length,
      date_level: count(this.entries.filter((e) => e.portfolio_id === null)),
      portfolio_dates: count(this.entries.filter((e) => e.portfolio_id !== null)),
      totals: { rows_added: sum('added'), rows_removed: sum('removed'), rows_changed: sum('changed') },
      entries,
      trace_dir: this.traceDir,
    };
    if (this.trace) this.trace.write('monitor-report.json', r);
    return r;
  }
}
