/**
 * Reads what the diagnostics need per portfolio-date (SPEC.md i.1, i.2, i.4): the snapshot,
 * the previous snapshot, D's marks, the lots active on D with the value an unmarked lot is
 * given, realized events, tracking state, and for the guard the timestamps, the positions.mark
 * cache and the analytics row counts. Lots, events and tracking rows are loaded once per reader;
 * the rows of a date are read for every portfolio at once (one query per table) and kept until
 * another date is asked for, so a walk over refs date by date reads each table once per date.
 */
import { lotAsOf } from '../../core/calc/lot-quantity';
import type { IsoDate } from '../../core/domain/iso-date';
import type { LotMark } from '../../core/domain/mark';
import { isActiveOn, multiplierOf, type Lot, type RealizedEvent } from '../../core/domain/portfolio';
import type { PortfolioRecord, TrackingRecord } from '../../core/ports/store';
import { ANALYTICS_TABLES, type CacheMismatch, type GuardPortfolioDate, type StoredJob } from '../../core/validation/regression-guard';
import { hasUsableMark, reconcilePortfolioDate, type ReconcileInput, type ReconcileLot, type ReconcileResult, type UnmarkedValue } from '../../core/validation/reconciliation';
import { tableSpec } from '../../core/validation/table-catalog';
import { createEngineStore } from '../engine-store';
import type { SqliteDatabase } from '../open-database';
import { inList } from '../sql-lists';
import { markFromRow } from '../repositories/mark-repository';
import { groupedByPortfolioOnDate } from '../table-scope';

export interface PortfolioDateRef {
  readonly portfolioId: string;
  readonly portfolioName: string;
  readonly date: IsoDate;
}

export interface DateScope {
  readonly start: IsoDate | null;
  readonly end: IsoDate | null;
  readonly portfolioIds: readonly string[];
}

/** Portfolio-dates with a snapshot in the scope, for non-deleted portfolios, by date then name. */
export function snapshotRefs(db: SqliteDatabase, scope: DateScope): PortfolioDateRef[] {
  const params: unknown[] = [scope.start, scope.start, scope.end, scope.end];
  let pf = '';
  if (scope.portfolioIds.length) {
    pf = ` AND p.id IN (${inList(scope.portfolioIds)})`;
    params.push(...scope.portfolioIds);
  }
  return (
    db
      .prepare(
        `SELECT s.portfolio_id, p.name, s.snapshot_date FROM portfolio_snapshots s JOIN portfolios p ON p.id = s.portfolio_id
         WHERE p.deleted_at IS NULL AND (? IS NULL OR s.snapshot_date >= ?) AND (? IS NULL OR s.snapshot_date <= ?)${pf}
         ORDER BY s.snapshot_date, p.name, p.id`,
      )
      .all(...params) as { portfolio_id: string; name: string; snapshot_date: IsoDate }[]
  ).map((r) => ({ portfolioId: r.portfolio_id, portfolioName: r.name, date: r.snapshot_date }));
}

type Row = Record<string, unknown>;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = keyOf(x);
    (out.get(k) ?? out.set(k, []).get(k)!).push(x);
  }
  return out;
}

const byPortfolioColumn = (r: Row) => r['portfolio_id'] as string;

/** A portfolio-date's analytics entry in its tracking metadata: the guard's skip and each job's outcome. */
export interface StoredAnalytics {
  readonly analytics_skipped?: boolean;
  readonly jobs?: Readonly<Record<string, StoredJob>>;
}

/** A portfolio's analytics rows of one date: count per table, and the earliest created_at (pairwise rows have none). */
interface AnalyticsRows {
  counts: Record<string, number>;
  earliest: string | null;
}

const noAnalyticsRows = (): AnalyticsRows => ({ counts: Object.fromEntries(ANALYTICS_TABLES.map((t) => [t, 0])), earliest: null });

/** A reader over one connection; caches the per-portfolio raw inputs. */
export class PortfolioDateReader {
  private readonly store;
  private readonly portfolios = new Map<string, PortfolioRecord>();
  private readonly lots: ReadonlyMap<string, Lot[]>;
  private readonly events: ReadonlyMap<string, RealizedEvent[]>;
  private readonly latestDates = new Map<string, string | null>();
  private readonly tracking = new Map<string, TrackingRecord | null>();
  private readonly latestClose;
  private readonly prevRow;
  private readonly latestDate;
  private readonly snapshotsOn;
  private readonly marksOn;
  private readonly cacheRowsOn;
  private readonly analyticsOn;
  /** The rows of one date per kind (snapshots, marks, ...), with the date they belong to. */
  private readonly dateRows = new Map<string, { date: IsoDate; rows: unknown }>();

  constructor(db: SqliteDatabase) {
    this.store = createEngineStore(db);
    for (const p of this.store.listPortfolios()) this.portfolios.set(p.id, p);
    const ids = [...this.portfolios.keys()];
    this.lots = groupBy(this.store.loadLots(ids), (l) => l.portfolioId);
    this.events = groupBy(this.store.loadRealizedEvents(ids), (e) => e.positionId);
    this.latestClose = db.prepare(`SELECT close, date FROM market_data_cache WHERE symbol = ? AND date <= ? AND close > 0 ORDER BY date DESC LIMIT 1`);
    this.prevRow = db.prepare(`SELECT cumulative_pnl, equity_balance FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date < ? ORDER BY snapshot_date DESC LIMIT 1`);
    this.latestDate = db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = ?`);
    this.snapshotsOn = db.prepare(`SELECT * FROM portfolio_snapshots WHERE snapshot_date = ?`);
    this.marksOn = db.prepare(`SELECT * FROM position_marks WHERE mark_date = ? ORDER BY portfolio_id, position_id`);
    this.cacheRowsOn = db.prepare(
      `SELECT p.portfolio_id, p.id, p.last_price, p.market_value, p.price_source, p.price_date, m.price, m.market_value AS m_value, m.price_source AS m_source, m.price_date AS m_date
       FROM position_marks m JOIN positions p ON p.id = m.position_id
       WHERE m.mark_date = ? AND p.deleted_at IS NULL AND p.marked_as_of = m.mark_date`,
    );
    this.analyticsOn = ANALYTICS_TABLES.map((t) => ({
      table: t,
      statement: db.prepare(groupedByPortfolioOnDate(tableSpec(t)!, t === 'pairwise_correlations' ? 'count(*) AS n, NULL AS m' : 'count(*) AS n, MIN(t.created_at) AS m')),
    }));
  }

  /** The rows of kind `kind` on date d, loaded by `load` unless they are the ones kept from the last call. */
  private onDate<T>(kind: string, d: IsoDate, load: () => T): T {
    const kept = this.dateRows.get(kind);
    if (kept && kept.date === d) return kept.rows as T;
    const rows = load();
    this.dateRows.set(kind, { date: d, rows });
    return rows;
  }

  /** The latest positive close of a symbol on or before d (any age), kept per date for every portfolio holding it. */
  private latestCloseOn(symbol: string, d: IsoDate): { close: number; date: string } | undefined {
    const closes = this.onDate('closes', d, () => new Map<string, { close: number; date: string } | undefined>());
    if (!closes.has(symbol)) closes.set(symbol, this.latestClose.get(symbol, d) as { close: number; date: string } | undefined);
    return closes.get(symbol);
  }

  /** A portfolio's latest snapshot date, read once per reader. */
  private latestDateOf(portfolioId: string): string | null {
    if (!this.latestDates.has(portfolioId)) this.latestDates.set(portfolioId, (this.latestDate.get(portfolioId) as { d: string | null }).d);
    return this.latestDates.get(portfolioId)!;
  }

  private markRowsOf(portfolioId: string, d: IsoDate): readonly Row[] {
    return this.onDate('marks', d, () => groupBy(this.marksOn.all(d) as Row[], byPortfolioColumn)).get(portfolioId) ?? [];
  }

  /** D's positions.mark cache rows beside the marks they should equal. */
  private cacheRowsOf(portfolioId: string, d: IsoDate): readonly Row[] {
    return this.onDate('cache', d, () => groupBy(this.cacheRowsOn.all(d) as Row[], byPortfolioColumn)).get(portfolioId) ?? [];
  }

  portfolio(id: string): PortfolioRecord | undefined {
    return this.portfolios.get(id);
  }

  lotsOf(portfolioId: string): readonly Lot[] {
    return this.lots.get(portfolioId) ?? [];
  }

  eventsOf(lotId: string): readonly RealizedEvent[] {
    return this.events.get(lotId) ?? [];
  }

  trackingOf(d: IsoDate): TrackingRecord | null {
    if (!this.tracking.has(d)) this.tracking.set(d, this.store.loadTracking(d));
    return this.tracking.get(d)!;
  }

  /** The analytics outcome the tracking row of D recorded for the portfolio (h.4), or null. */
  analyticsOutcome(portfolioId: string, d: IsoDate): StoredAnalytics | null {
    const portfolios = (this.trackingOf(d)?.metadata?.['portfolios'] ?? {}) as Record<string, { analytics?: StoredAnalytics }>;
    return portfolios[portfolioId]?.analytics ?? null;
  }

  marks(portfolioId: string, d: IsoDate): LotMark[] {
    return this.markRowsOf(portfolioId, d).map(markFromRow);
  }

  snapshot(portfolioId: string, d: IsoDate): Row | null {
    return this.onDate('snapshots', d, () => new Map((this.snapshotsOn.all(d) as Row[]).map((r) => [r['portfolio_id'] as string, r]))).get(portfolioId) ?? null;
  }

  /** Active lots of D with their marks, and the value S_all gives a lot without a usable mark. */
  reconcileLots(portfolioId: string, d: IsoDate, marks: readonly LotMark[]): ReconcileLot[] {
    const byLot = new Map(marks.map((m) => [m.positionId, m]));
    return this.lotsOf(portfolioId)
      .filter((l) => isActiveOn(l, d))
      .map((l) => {
        const m = byLot.get(l.id) ?? null;
        const mark = m ? { priceSource: m.priceSource, marketValue: m.marketValue, priceDate: m.priceDate } : null;
        return { positionId: l.id, symbol: l.symbol, mark, unmarked: hasUsableMark(mark) ? null : this.unmarkedValue(l, m, d) };
      });
  }

  private quantityOn(l: Lot, d: IsoDate): number {
    const asOf = lotAsOf(l, this.eventsOf(l.id), d);
    return asOf.ok ? asOf.qD : l.quantity;
  }

  /** q_D × multiplier × the latest close of any age, else the entry price (SPEC.md i.1's S_all). */
  private unmarkedValue(l: Lot, m: LotMark | null, d: IsoDate): UnmarkedValue {
    const q = m ? m.quantity : this.quantityOn(l, d);
    const close = this.latestCloseOn(l.symbol, d);
    return close ? { value: q * multiplierOf(l) * close.close, basis: 'latest_close', priceDate: close.date } : { value: q * multiplierOf(l) * l.entryPrice, basis: 'entry_price', priceDate: null };
  }

  /** Whether tracking marks the portfolio's analytics entry of D stale (g.8: a phase it reads was re-run without it). */
  analyticsStale(portfolioId: string, d: IsoDate): boolean {
    const entry = (this.trackingOf(d)?.phaseStatus ?? {})['analytics'] as { portfolios?: Record<string, { status?: string }> } | undefined;
    return entry?.portfolios?.[portfolioId]?.status === 'stale';
  }

  /** Whether tracking marks this portfolio-date stale. */
  isStale(portfolioId: string, d: IsoDate): boolean {
    const t = this.trackingOf(d);
    if (!t) return false;
    const ps = t.phaseStatus ?? {};
    const entries = Object.values(ps).map((v) => (v as { portfolios?: Record<string, { status?: string }> } | null)?.portfolios?.[portfolioId]?.status);
    if (entries.some((s) => s === 'stale')) return true;
    return t.status === 'stale' && entries.every((s) => s === undefined);
  }

  reconcileInput(ref: PortfolioDateRef): ReconcileInput | null {
    const s = this.snapshot(ref.portfolioId, ref.date);
    if (!s) return null;
    const p = this.portfolios.get(ref.portfolioId);
    const marks = this.marks(ref.portfolioId, ref.date);
    const prev = this.prevRow.get(ref.portfolioId, ref.date) as { cumulative_pnl: number | null; equity_balance: number | null } | undefined;
    const latest = this.latestDateOf(ref.portfolioId);
    const lots = this.lotsOf(ref.portfolioId);
    const realizedToday = lots.reduce((acc, l) => acc + this.eventsOf(l.id).filter((e) => e.tradeDate === ref.date).reduce((a, e) => a + e.realizedPnl, 0), 0);
    const t = this.trackingOf(ref.date);
    const num = (k: string) => (s[k] as number | null) ?? null;
    return {
      portfolioId: ref.portfolioId,
      portfolioName: ref.portfolioName,
      date: ref.date,
      snapshot: {
        totalValue: s['total_value'] as number,
        cashValue: s['cash_value'] as number,
        dailyPnl: num('daily_pnl'),
        cumulativePnl: num('cumulative_pnl'),
        equityBalance: num('equity_balance'),
        dailyCapitalFlow: num('daily_capital_flow'),
        grossExposure: s['gross_exposure'] as number,
        longValue: s['long_value'] as number,
        shortValue: s['short_value'] as number,
      },
      previous: prev ? { cumulativePnl: prev.cumulative_pnl, equityBalance: prev.equity_balance } : null,
      initialEquity: p?.initialEquity ?? null,
      portfolioEquityBalance: p?.equityBalance ?? null,
      isLatestDate: latest === ref.date,
      lots: this.reconcileLots(ref.portfolioId, ref.date, marks),
      realizedToday,
      closingPnlToday: marks.reduce((a, m) => a + m.closingPnl, 0),
      stale: this.isStale(ref.portfolioId, ref.date),
      importedWithoutMarks: t?.status === 'imported' && marks.length === 0,
    };
  }

  reconcile(ref: PortfolioDateRef, threshold: number): ReconcileResult | null {
    const input = this.reconcileInput(ref);
    return input ? reconcilePortfolioDate(input, threshold) : null;
  }

  private analyticsRows(portfolioId: string, d: IsoDate): AnalyticsRows {
    const byPortfolio = this.onDate('analytics', d, () => {
      const out = new Map<string, AnalyticsRows>();
      for (const { table, statement } of this.analyticsOn) {
        for (const r of statement.all(d) as { pid: string; n: number; m: string | null }[]) {
          let a = out.get(r.pid);
          if (!a) out.set(r.pid, (a = noAnalyticsRows()));
          a.counts[table] = r.n;
          if (r.m !== null && (a.earliest === null || r.m < a.earliest)) a.earliest = r.m;
        }
      }
      return out;
    });
    return byPortfolio.get(portfolioId) ?? noAnalyticsRows();
  }

  /** Row counts of the analytics tables for a portfolio-date. */
  analyticsRowCounts(portfolioId: string, d: IsoDate): Record<string, number> {
    return { ...this.analyticsRows(portfolioId, d).counts };
  }

  guardInput(ref: PortfolioDateRef, threshold: number): GuardPortfolioDate | null {
    const reconcile = this.reconcile(ref, threshold);
    if (!reconcile) return null;
    const s = this.snapshot(ref.portfolioId, ref.date)!;
    const marked = this.markRowsOf(ref.portfolioId, ref.date) as readonly { position_id: string; computed_at: string }[];
    const markedIds = new Set(marked.map((m) => m.position_id));
    const lotsWithoutMark = this.lotsOf(ref.portfolioId).filter((l) => isActiveOn(l, ref.date) && !markedIds.has(l.id)).map((l) => l.id);
    const latestMarkComputedAt = marked.reduce<string | null>((a, m) => (a === null || m.computed_at > a ? m.computed_at : a), null);
    const analytics = this.analyticsRows(ref.portfolioId, ref.date);
    const cacheRows = this.cacheRowsOf(ref.portfolioId, ref.date);
    const cacheMismatches: CacheMismatch[] = [];
    for (const r of cacheRows) {
      const pairs: [string, unknown, unknown][] = [
        ['last_price', r['price'], r['last_price']],
        ['market_value', r['m_value'], r['market_value']],
        ['price_source', r['m_source'], r['price_source']],
        ['price_date', r['m_date'], r['price_date']],
      ];
      for (const [field, expected, actual] of pairs) if ((expected ?? null) !== (actual ?? null)) cacheMismatches.push({ positionId: r['id'] as string, field, expected, actual });
    }
    const an = this.analyticsOutcome(ref.portfolioId, ref.date);
    return {
      portfolioId: ref.portfolioId,
      portfolioName: ref.portfolioName,
      date: ref.date,
      lotsWithoutMark,
      latestMarkComputedAt,
      analyticsComputedAt: (s['analytics_computed_at'] as string | null) ?? null,
      earliestAnalyticsRowAt: analytics.earliest,
      analyticsStale: this.analyticsStale(ref.portfolioId, ref.date),
      cacheMismatches,
      jobs: an?.jobs ?? null,
      rowCounts: analytics.counts,
      reconcile,
    };
  }
}
