/**
 * Applies what an import's changes make stale (core/engine/input-staleness.ts) to the
 * tracking rows, inside the import's transaction, and gives the summary the importers print:
 * `prices import` and `profiles import`, and a dump merge that replaced closes, marks,
 * snapshots, profiles, stress scenarios or factor definitions (`import --merge --on-conflict
 * replace`).
 */
import { nextTradingDay } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { Lot } from '../../core/domain/portfolio';
import { dependentsOf } from '../../core/engine/phase-table';
import { staleAfterCloseChanges, staleAfterProfileChanges, type InputStaleness, type StaleSpan } from '../../core/engine/input-staleness';
import type { SqliteDatabase } from '../open-database';
import { referenceRepository } from '../repositories/reference-repository';
import { trackingRepository } from '../repositories/tracking-repository';

/**
 * The processed dates that read an input the import changed and are stale after it (marked by
 * this import, or stale already): how many, first and last.
 */
export interface StaleSummary {
  readonly dates: number;
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
}

export const NOTHING_STALE: StaleSummary = { dates: 0, first: null, last: null };

/** The lots of every portfolio, as the staleness rules take them. */
export function allLots(db: SqliteDatabase): Lot[] {
  const reference = referenceRepository(db);
  return reference.loadLots(reference.listPortfolios().map((p) => p.id));
}

/** Tracking cells that read a changed input: `phases` of a portfolio (null: the date-level entries) on `dates`. */
interface ReadingCells {
  readonly dates: readonly IsoDate[];
  readonly portfolioId: string | null;
  readonly phases: readonly string[];
}

type PhaseStatus = Record<string, { status?: string; portfolios?: Record<string, { status?: string }> } | undefined>;

/**
 * Marks the stale cells, then reports every processed date with a cell that read a changed
 * input and is stale now, whether this import marked it or it was stale already: a second
 * correction of a close on dates the first one left stale, or later dates an earlier import
 * or run made stale, still read the changed value, and `run --retry-failed-phases` is what
 * recomputes them. Counting only the rows this import changed would drop them (and with them
 * the advice to retry).
 */
export function markImportStaleness(db: SqliteDatabase, staleness: InputStaleness, nowIso: string): StaleSummary {
  const tracking = trackingRepository(db);
  const cells: ReadingCells[] = [{ dates: staleness.marketDataDates, portfolioId: null, phases: ['market_data'] }];
  const froms = staleness.spans.map((s) => s.from);
  if (froms.length > 0) {
    const from = [...froms].sort()[0]!;
    const tracked = (db.prepare(`SELECT run_date FROM batch_run_tracking WHERE run_date >= ? ORDER BY run_date`).all(from) as { run_date: IsoDate }[]).map((r) => r.run_date);
    for (const span of staleness.spans) cells.push({ dates: tracked.filter((t) => t >= span.from), portfolioId: span.portfolioId, phases: span.phases });
  }
  for (const c of cells) tracking.markStale(c.dates, c.portfolioId, c.phases, nowIso);
  const statusOf = new Map<IsoDate, PhaseStatus | null>();
  const phaseStatus = (d: IsoDate): PhaseStatus | null => {
    if (!statusOf.has(d)) statusOf.set(d, (tracking.loadTracking(d)?.phaseStatus as PhaseStatus | null | undefined) ?? null);
    return statusOf.get(d)!;
  };
  const stale = new Set<IsoDate>();
  for (const c of cells) {
    for (const d of c.dates) {
      if (stale.has(d)) continue;
      const ps = phaseStatus(d);
      if (ps && c.phases.some((phase) => (c.portfolioId === null ? ps[phase]?.status : ps[phase]?.portfolios?.[c.portfolioId]?.status) === 'stale')) stale.add(d);
    }
  }
  const dates = [...stale].sort();
  return { dates: dates.length, first: dates[0] ?? null, last: dates[dates.length - 1] ?? null };
}

/**
 * The dates on which each of `symbols` was recorded missing. The symbols are matched here, not in
 * an IN list: an import may change any number of symbols, more than one call (or SQLite) takes
 * as arguments.
 */
export function missingDatesOf(db: SqliteDatabase, symbols: readonly string[]): Map<string, IsoDate[]> {
  const wanted = new Set(symbols);
  const out = new Map<string, IsoDate[]>();
  for (const r of db.prepare(`SELECT symbol, price_date FROM missing_prices`).iterate() as IterableIterator<{ symbol: string; price_date: IsoDate }>) {
    if (wanted.has(r.symbol)) (out.get(r.symbol) ?? out.set(r.symbol, []).get(r.symbol)!).push(r.price_date);
  }
  return out;
}

/**
 * What a merge replaced that processed dates read: the earliest date of each symbol's closes and
 * of each portfolio's marks and snapshots, the symbols whose profiles it replaced, and whether it
 * replaced a stress scenario or a factor definition (read by every portfolio's analytics).
 */
export interface ReplacedInputs {
  readonly closes: Map<string, IsoDate>;
  readonly marks: Map<string, IsoDate>;
  readonly snapshots: Map<string, IsoDate>;
  readonly profiles: Set<string>;
  analyticsReference: boolean;
}

export const noReplacedInputs = (): ReplacedInputs => ({ closes: new Map(), marks: new Map(), snapshots: new Map(), profiles: new Set(), analyticsReference: false });

/** Keeps the earliest date per key. */
export function noteReplaced(into: Map<string, IsoDate>, key: unknown, date: unknown): void {
  if (typeof key !== 'string' || typeof date !== 'string') return;
  const seen = into.get(key);
  if (seen === undefined || date < seen) into.set(key, date as IsoDate);
}

/**
 * What a merge's replaced rows make stale (g.8), marked as markImportStaleness does: replaced
 * closes as a `prices import` of them, replaced profiles as a `profiles import`; a portfolio's
 * replaced marks of D, its later phases from D on (snapshots and what reads them); a replaced
 * snapshot of D, what reads it from D on and every later snapshot (the equity rolls forward from
 * D's); a replaced stress scenario or factor definition, every portfolio's analytics on every
 * tracked date.
 */
export function markMergeStaleness(db: SqliteDatabase, replaced: ReplacedInputs, nowIso: string): StaleSummary {
  const lots = replaced.closes.size > 0 || replaced.profiles.size > 0 || replaced.analyticsReference ? allLots(db) : [];
  const closes = replaced.closes.size > 0 ? staleAfterCloseChanges(replaced.closes, lots, missingDatesOf(db, [...replaced.closes.keys()])) : { spans: [], marketDataDates: [] };
  const firstTracked = (db.prepare(`SELECT min(run_date) AS d FROM batch_run_tracking`).get() as { d: IsoDate | null }).d;
  const spans: StaleSpan[] = [...closes.spans, ...staleAfterProfileChanges(replaced.profiles, lots, firstTracked).spans];
  if (replaced.analyticsReference && firstTracked !== null) {
    for (const portfolioId of new Set(lots.map((l) => l.portfolioId))) spans.push({ portfolioId, from: firstTracked, phases: ['analytics', ...dependentsOf('analytics')] });
  }
  for (const [portfolioId, from] of replaced.marks) spans.push({ portfolioId, from, phases: dependentsOf('marks') });
  for (const [portfolioId, from] of replaced.snapshots) {
    spans.push({ portfolioId, from, phases: dependentsOf('snapshots') });
    spans.push({ portfolioId, from: nextTradingDay(from), phases: ['snapshots', ...dependentsOf('snapshots')] });
  }
  if (spans.length === 0 && closes.marketDataDates.length === 0) return NOTHING_STALE;
  return markImportStaleness(db, { spans, marketDataDates: closes.marketDataDates }, nowIso);
}
