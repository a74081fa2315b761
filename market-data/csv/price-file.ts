/**
 * Lenient reading of the CSV price files of a CSV directory (SPEC.md e.8), where a bad row is
 * skipped and reported (with file and line) and the rest is used:
 *
 * - a per-symbol file `<SYMBOL>.csv`: a header containing `date` and `close` (any case) and
 *   optionally `volume`, `open`, `high`, `low`. The common download layout
 *   `Date,Open,High,Low,Close,Adj Close,Volume` fits: `Close` is used, never `Adj Close`;
 * - the combined file `prices.csv`: `symbol,date,close` and optionally `volume` (and open,
 *   high, low).
 *
 * Dates are YYYY-MM-DD. A row dated on a day that is not a trading day (SPEC.md e.4; or
 * outside the trading calendar) is a bad row of kind `not_trading_day`: the engine would drop
 * its quote anyway, and as a bad row it is reported wherever it lies, also on a day no request
 * range covers (ranges run from trading day to trading day, so a holiday or weekend between
 * two chunks' ranges is never requested). A close must be a number: its positivity is the e.4
 * validation the engine applies to every source, which names the row's file and line (the
 * directory source passes each row's `line` on as its quote's origin). Yahoo's "null"
 * placeholders count as a bad row for the close and as absent for the other numbers. Within
 * one file a repeated date (per symbol) is a bad row; the first one is kept.
 *
 * A file may hold any number of bad rows (a million repeated lines): per symbol only the first
 * PROBLEMS_LISTED problems are kept, and the first bad close of each calendar date (the engine
 * makes that date's missing price an invalid_price); the others are counted (`unlisted`).
 */
import { CALENDAR_END, CALENDAR_START } from '../../core/calendar/calendar-range-error';
import { isTradingDay } from '../../core/calendar/trading-calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { canonicalSymbol } from '../../core/domain/symbols';
import type { Quote } from '../../core/ports/market-data';
import { dateCell, numberCell, optionalNumberCell } from './csv-cells';
import type { CsvProblem } from './csv-problem';
import { checkHeader, RowCells } from './csv-row-cells';
import { columnIndex, readCsv, type CsvSource } from './csv-table';

export type PriceFileLayout = 'per_symbol' | 'combined';

export interface PriceFileRow extends Quote {
  /** Canonical symbol: the row's (combined) or the file's (per symbol). */
  readonly symbol: string;
  readonly line: number;
}

/** A skipped row, with the symbol and date written on it when readable (null: unknown or whole file). */
export interface PriceFileProblem extends CsvProblem {
  readonly symbol: string | null;
  readonly date: IsoDate | null;
}

/** The bad rows of one symbol (null: those no symbol can be named for) that a file did not keep as problems. */
export interface UnlistedProblems {
  readonly rows: number;
  /** Of those, rows dated on a day that is not a trading day (the provider's dropped rows, e.4). */
  readonly notTradingDay: number;
  /** The line of the first of them. */
  readonly firstLine: number;
}

export interface PriceFile {
  readonly rows: readonly PriceFileRow[];
  /** Bad rows kept, in line order (see the top of this file). */
  readonly problems: readonly PriceFileProblem[];
  /** Per symbol, the bad rows not kept in `problems`. */
  readonly unlisted: ReadonlyMap<string | null, UnlistedProblems>;
  /** The problem that makes the whole file unusable (no rows), also the last of `problems`; null when the file is read. */
  readonly refusal: PriceFileProblem | null;
}

/** Said of a problem that refuses the whole file, so no one reads it as one bad row. */
const WHOLE_FILE_IGNORED = 'the whole file is ignored';

/** Problems kept per symbol and file besides each date's first bad close. */
export const PROBLEMS_LISTED = 20;

/**
 * The keepSkipped rule of readPriceFile: keeps a symbol's first PROBLEMS_LISTED problems and the
 * first bad close of each calendar date, and counts the rest in `unlisted`.
 */
function problemKeeper(unlisted: Map<string | null, UnlistedProblems>): (p: PriceFileProblem) => boolean {
  const kept = new Map<string | null, number>();
  const closeDates = new Set<string>();
  return (p) => {
    const isClose = p.column?.toLowerCase() === 'close' && p.date !== null && p.date >= CALENDAR_START && p.date <= CALENDAR_END;
    const firstCloseOfDate = isClose && !closeDates.has(`${p.symbol ?? ''} ${p.date}`);
    if (firstCloseOfDate) closeDates.add(`${p.symbol ?? ''} ${p.date}`);
    const n = kept.get(p.symbol) ?? 0;
    if (firstCloseOfDate || n < PROBLEMS_LISTED) {
      kept.set(p.symbol, n + 1);
      return true;
    }
    const u = unlisted.get(p.symbol);
    unlisted.set(p.symbol, { rows: (u?.rows ?? 0) + 1, notTradingDay: (u?.notTradingDay ?? 0) + (p.kind === 'not_trading_day' ? 1 : 0), firstLine: Math.min(u?.firstLine ?? p.line, p.line) });
    return false;
  };
}

/**
 * Reads one file. For a per-symbol file `symbol` names the symbol (canonicalised). A file that
 * cannot be used at all (no header, a required column absent, or a quote problem that hides the
 * lines after it: csv-table.ts) gives no rows, its `refusal`, and that problem last among its
 * problems, saying that the whole file is ignored.
 */
export async function readPriceFile(source: CsvSource, file: string, layout: PriceFileLayout, symbol?: string): Promise<PriceFile> {
  const fileSymbol = symbol === undefined ? null : canonicalSymbol(symbol);
  const attributed = (p: CsvProblem): PriceFileProblem => ('symbol' in p ? (p as PriceFileProblem) : { ...p, symbol: fileSymbol, date: null });
  let header: readonly string[] = [];
  let at = { symbol: -1, date: -1, close: -1, volume: -1, open: -1, high: -1, low: -1 };
  const rows: PriceFileRow[] = [];
  const seen = new Map<string, number>();
  const unlisted = new Map<string | null, UnlistedProblems>();
  const keep = problemKeeper(unlisted);
  const read = await readCsv<PriceFileProblem>(source, { file, skipBadRows: true, keepSkipped: (p) => keep(attributed(p)) }, {
    header(cells, line) {
      header = cells;
      at = {
        symbol: layout === 'combined' ? columnIndex(header, 'symbol') : -1,
        date: columnIndex(header, 'date'),
        close: columnIndex(header, 'close'),
        volume: columnIndex(header, 'volume'),
        open: columnIndex(header, 'open'),
        high: columnIndex(header, 'high'),
        low: columnIndex(header, 'low'),
      };
      return checkHeader(header, layout === 'combined' ? ['symbol', 'date', 'close'] : ['date', 'close'], line, file);
    },
    record(record) {
      const cells = new RowCells(record, header, file);
      const rowSymbol =
        at.symbol >= 0
          ? cells.get(at.symbol, (t) => (t === '' ? { ok: false, kind: 'missing_value', message: 'the symbol is empty' } : { ok: true, value: canonicalSymbol(t) }))
          : fileSymbol;
      const date = cells.get(at.date, dateCell);
      const close = cells.get(at.close, (t) => numberCell(t.toLowerCase() === 'null' ? '' : t, 'close'));
      const volume = cells.get(at.volume, optionalNumberCell);
      const open = cells.get(at.open, optionalNumberCell);
      const high = cells.get(at.high, optionalNumberCell);
      const low = cells.get(at.low, optionalNumberCell);
      let problem = cells.problem;
      const notTrading = problem ? null : notTradingMessage(date!);
      if (notTrading !== null) {
        problem = { file, line: record.line, column: header[at.date]!, columnNumber: at.date + 1, kind: 'not_trading_day', message: notTrading };
      } else if (!problem && rowSymbol) {
        const key = `${rowSymbol} ${date}`;
        const first = seen.get(key);
        if (first !== undefined) {
          problem = { file, line: record.line, column: header[at.date]!, columnNumber: at.date + 1, kind: 'duplicate', message: `${rowSymbol} on ${date} again (first on line ${first}, which is used)` };
        } else {
          seen.set(key, record.line);
        }
      }
      if (problem) {
        const written = at.symbol >= 0 ? canonicalSymbol(record.cells[at.symbol] ?? '') : fileSymbol;
        return { ...problem, symbol: written === '' ? null : written, date: date ?? null };
      }
      if (rowSymbol) rows.push({ symbol: rowSymbol, line: record.line, date: date!, close: close!, volume: volume ?? null, open: open ?? null, high: high ?? null, low: low ?? null });
      return null;
    },
  });
  // A file that cannot be used at all gives no rows: the problems read up to its refusal.
  if (!read.ok) {
    const refusal = attributed(read.problem);
    return { rows: [], problems: [...read.skipped.map(attributed), { ...refusal, message: `${refusal.message}; ${WHOLE_FILE_IGNORED}` }], unlisted, refusal };
  }
  return { rows, problems: read.skipped.map(attributed), unlisted, refusal: null };
}

/** Why a row dated `date` carries no close (not a trading day, or outside the calendar), or null. */
function notTradingMessage(date: IsoDate): string | null {
  if (date < CALENDAR_START || date > CALENDAR_END) return `${date} is outside the trading calendar (${CALENDAR_START} to ${CALENDAR_END}); the row is dropped`;
  return isTradingDay(date) ? null : `${date} is not a trading day; the row is dropped`;
}
