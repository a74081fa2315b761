/**
 * `prices import FILE` and `prices export` (SPEC.md k.2, e.4, m.13, m.14): moving closes in
 * and out of market_data_cache as CSV (`symbol,date,close,volume`).
 *
 * Import is all or nothing. The file is parsed first (market-data/csv/prices-csv.ts): the
 * first bad row (a missing column, a malformed symbol, a bad date, a day that is not a trading
 * day or is after today, an empty, non-numeric or non-positive close, a volume that is not a
 * whole number, the same (symbol, date) twice) stops it with its line and column, and
 * nothing is written, unless `skipBadRows` (then every skipped row is reported). The good rows
 * are then validated like any source's quotes (e.4, the engine's validateQuotes against the
 * stored closes) and merged in ONE transaction with data_source = 'csv':
 * - a new (symbol, date) is inserted;
 * - an unchanged close and volume leave the stored row alone, data_source included (m.14);
 * - a different close replaces the stored one (a correction), unless it is a flagged jump
 *   over a stored valid close: then the stored close stays and the row is reported (m.13);
 * - an empty volume means "not given" (a negative one is a bad row of the file): it does not
 *   erase a stored volume (neither does a provider's answer without volumes), so a file of
 *   closes only cannot wipe the cache's volumes;
 * - nothing is ever deleted.
 * In the same transaction, the tracked work that read a changed close is marked stale
 * (core/engine/input-staleness.ts), so `run --retry-failed-phases` recomputes it. Symbols no
 * lot and no factor needs are imported too, and named in the summary (a warning).
 *
 * Export writes the canonical file (sorted by symbol then date, LF, no BOM) of the valid
 * stored closes, optionally limited to symbols and a date range, so an export of an import of
 * a canonical file gives the same file back (when it gives every volume, or imports into rows
 * that have none).
 */
import { isTradingDay } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { Lot } from '../../core/domain/portfolio';
import { canonicalSymbol, FACTOR_ETFS } from '../../core/domain/symbols';
import { staleAfterCloseChanges } from '../../core/engine/input-staleness';
import { underlyingOf } from '../../core/phases/market-data/symbols-needed';
import { validateQuotes, type StoredCloses } from '../../core/phases/market-data/validate-quotes';
import type { Quote } from '../../core/ports/market-data';
import type { CsvProblem } from '../../market-data/csv/csv-problem';
import { formatPricesCsv, parsePricesCsv, type PriceCsvRow } from '../../market-data/csv/prices-csv';
import type { CsvParse } from '../../market-data/csv/csv-row-cells';
import type { CsvSource } from '../../market-data/csv/csv-table';
import type { SqliteDatabase } from '../open-database';
import { priceRepository } from '../repositories/price-repository';
import { inList } from '../sql-lists';
import { batchedTransaction, type WriteCheckpoint } from './batched-transaction';
import { allLots, markImportStaleness, missingDatesOf, NOTHING_STALE, type StaleSummary } from './import-staleness';

export interface PriceImportOptions {
  /** Named in problems (the file name as given). */
  readonly file: string;
  readonly skipBadRows: boolean;
  readonly nowIso: string;
  /** Today, the New York date of the clock (SPEC.md f.3): a close dated after it is a bad row. */
  readonly today: IsoDate;
  /** market_data.jump_threshold. */
  readonly jumpThreshold: number;
}

export interface ImportedJump {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly close: number;
  readonly reference: number;
  /** The stored close stayed (m.13); otherwise the row was stored flagged `jump`. */
  readonly storedCloseKept: boolean;
  /** The close stored for the day before the import (the one that stayed when storedCloseKept), if any. */
  readonly storedClose: number | null;
}

export interface PriceImportSummary {
  /** Good rows in the file. */
  readonly rows: number;
  readonly symbols: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly keptStored: number;
  readonly jumps: readonly ImportedJump[];
  /**
   * Tracked dates whose marks, snapshots or analytics read a close this import changed and are
   * stale after it, marked now or already (`run --retry-failed-phases` recomputes them): how
   * many, first and last.
   */
  readonly stale: StaleSummary;
  /** Rows skipped with skipBadRows, in line order. */
  readonly skipped: readonly CsvProblem[];
  /** Imported symbols that no lot of any portfolio and no factor needs (a typo, or a ticker not held), sorted. */
  readonly unneededSymbols: readonly string[];
}

/** A file parsed without a refusing problem: the rows to write (and the bad rows skipped). */
export type ParsedPrices = Extract<CsvParse<PriceCsvRow>, { ok: true }>;

/** Why a date cannot hold a close (e.4), or null when it is a trading day. */
export function tradingDayProblem(d: IsoDate): string | null {
  try {
    return isTradingDay(d) ? null : `${d} is not a NYSE trading day`;
  } catch {
    return `${d} is outside the trading calendar (2000-2030)`;
  }
}

/**
 * The stored valid closes of a symbol up to `end`, and the first one after it (whose flag a
 * correction of the last imported day re-evaluates), as the validator's view.
 */
function storedCloses(db: SqliteDatabase, symbol: string, end: IsoDate): StoredCloses {
  const rows = (db.prepare(`SELECT date, close, validation_flag FROM market_data_cache WHERE symbol = ? AND date <= (SELECT coalesce(min(date), ?) FROM market_data_cache WHERE symbol = ? AND date > ?) ORDER BY date`).all(symbol, end, symbol, end) as {
    date: IsoDate;
    close: number;
    validation_flag: string | null;
  }[]).filter((r) => Number.isFinite(r.close) && r.close > 0);
  const byDate = new Map(rows.map((r) => [r.date, r]));
  return {
    on: (d) => {
      const r = byDate.get(d);
      return r ? { close: r.close, jump: r.validation_flag === 'jump' } : null;
    },
    before: (d) => {
      const r = rows[firstIndexAfter(rows, d, false) - 1];
      return r ? { date: r.date, close: r.close } : null;
    },
    after: (d) => {
      const r = rows[firstIndexAfter(rows, d, true)];
      return r ? { date: r.date, close: r.close, jump: r.validation_flag === 'jump' } : null;
    },
  };
}

/** Binary search in rows sorted by date: the index of the first row dated after d (on or after d unless `strictly`). */
function firstIndexAfter(rows: readonly { readonly date: IsoDate }[], d: IsoDate, strictly: boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.date < d || (strictly && rows[mid]!.date === d)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The symbols some date can need (SPEC.md e.2), over every lot whatever its dates: the factor
 * ETFs, every PUBLIC lot's symbol, and every OPTIONS lot's underlying and contract.
 */
function symbolsEverNeeded(lots: readonly Lot[]): Set<string> {
  const out = new Set<string>(FACTOR_ETFS);
  for (const lot of lots) {
    if (lot.investmentClass === 'PUBLIC') out.add(lot.symbol);
    else if (lot.investmentClass === 'OPTIONS') {
      out.add(lot.symbol);
      const underlying = underlyingOf(lot);
      if (underlying) out.add(underlying);
    }
  }
  return out;
}

/** The file's rows as an import reads them (no database): every row, or its first bad row (or the bad rows skipped). */
export function parsePricesImport(source: CsvSource, o: Pick<PriceImportOptions, 'file' | 'skipBadRows' | 'today'>): Promise<CsvParse<PriceCsvRow>> {
  return parsePricesCsv(source, { file: o.file, skipBadRows: o.skipBadRows, today: o.today, checkDate: tradingDayProblem });
}

/**
 * Merges parsed rows into the price cache in ONE transaction (see the file comment), symbol by
 * symbol, letting `checkpoint` in between batches (batched-transaction.ts): a checkpoint that
 * rejects (Ctrl-C) rolls the whole merge back.
 */
export async function writePricesImport(db: SqliteDatabase, parsed: ParsedPrices, o: PriceImportOptions, checkpoint: WriteCheckpoint): Promise<PriceImportSummary> {
  const bySymbol = new Map<string, PriceCsvRow[]>();
  for (const r of parsed.rows) (bySymbol.get(r.symbol) ?? bySymbol.set(r.symbol, []).get(r.symbol)!).push(r);
  const repo = priceRepository(db);
  const totals = { inserted: 0, updated: 0, unchanged: 0, keptStored: 0 };
  const jumps: ImportedJump[] = [];
  const changes = new Map<string, IsoDate>();
  const stale = await batchedTransaction(db, checkpoint, async (wrote) => {
    for (const [symbol, rows] of [...bySymbol].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const quotes: Quote[] = rows.map((r) => ({ date: r.date, close: r.close, volume: r.volume, open: null, high: null, low: null }));
      const end = rows.reduce((m, r) => (r.date > m ? r.date : m), rows[0]!.date);
      const v = validateQuotes(symbol, quotes, storedCloses(db, symbol, end), o.jumpThreshold);
      for (const j of v.jumps) jumps.push({ symbol, date: j.date, close: j.close, reference: j.reference, storedCloseKept: j.keepsStored, storedClose: j.storedClose });
      const m = repo.mergeQuotes(symbol, 'csv', [...v.valid, ...v.reflagged], o.nowIso);
      totals.inserted += m.inserted;
      totals.updated += m.updated;
      totals.unchanged += m.unchanged;
      totals.keptStored += m.keptStored;
      if (m.earliestChange) changes.set(symbol, m.earliestChange);
      await wrote(rows.length);
    }
    return changes.size > 0 ? markImportStaleness(db, staleAfterCloseChanges(changes, allLots(db), missingDatesOf(db, [...changes.keys()])), o.nowIso) : NOTHING_STALE;
  });
  const needed = symbolsEverNeeded(allLots(db));
  const unneededSymbols = [...bySymbol.keys()].filter((symbol) => !needed.has(symbol)).sort();
  return { rows: parsed.rows.length, symbols: bySymbol.size, ...totals, jumps, stale, skipped: parsed.skipped, unneededSymbols };
}

export interface PriceExportOptions {
  readonly symbols?: readonly string[];
  readonly start?: IsoDate;
  readonly end?: IsoDate;
}

export interface PriceExport {
  readonly text: string;
  readonly rows: number;
  readonly symbols: number;
  /** Requested symbols without a row in the export, each with whether the cache holds it at all (outside the range). */
  readonly empty: readonly { readonly symbol: string; readonly cached: boolean }[];
  /** Every symbol the cache holds (for suggestions), filled only when a requested symbol is empty. */
  readonly cachedSymbols: readonly string[];
}

/** The canonical CSV of the stored valid closes (and how many rows and symbols it holds). */
export function exportPricesCsv(db: SqliteDatabase, o: PriceExportOptions = {}): PriceExport {
  const where = ['close > 0'];
  const args: unknown[] = [];
  const symbols = o.symbols?.map(canonicalSymbol);
  if (symbols && symbols.length > 0) {
    where.push(`symbol IN (${inList(symbols)})`);
    args.push(...symbols);
  }
  if (o.start) {
    where.push('date >= ?');
    args.push(o.start);
  }
  if (o.end) {
    where.push('date <= ?');
    args.push(o.end);
  }
  const rows = (db.prepare(`SELECT symbol, date, close, volume FROM market_data_cache WHERE ${where.join(' AND ')} ORDER BY symbol, date`).all(...args) as PriceCsvRow[]).map((r) => ({
    symbol: r.symbol,
    date: r.date,
    close: r.close,
    volume: r.volume ?? null,
  }));
  const exported = new Set(rows.map((r) => r.symbol));
  const emptySymbols = [...new Set(symbols ?? [])].filter((s) => !exported.has(s));
  const cachedSymbols = emptySymbols.length ? (db.prepare(`SELECT DISTINCT symbol FROM market_data_cache WHERE close > 0 ORDER BY symbol`).all() as { symbol: string }[]).map((r) => r.symbol) : [];
  const empty = emptySymbols.map((symbol) => ({ symbol, cached: cachedSymbols.includes(symbol) }));
  return { text: formatPricesCsv(rows), rows: rows.length, symbols: exported.size, empty, cachedSymbols };
}
