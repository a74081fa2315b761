/**
 * `prices import FILE` / `prices export` file format (SPEC.md k.2, m.14):
 *
 *   symbol,date,close,volume
 *   AAPL,2024-01-02,185.64,82488700
 *
 * Parsing is all or nothing: the first bad row stops it with its line and column (missing
 * column, a value holding bytes that are not UTF-8, empty or non-numeric value, a malformed symbol, bad date, a date after `today`,
 * non-positive close, a volume that is not a whole number >= 0, the same (symbol, date) twice in
 * the file); with
 * `skipBadRows` every bad row is skipped and reported instead, but for a quote problem that
 * hides the lines after it (csv-table.ts), which refuses the file all the same.
 * The header must name symbol, date and close (any case, any order); volume is optional,
 * other columns are ignored. Symbols are stored canonical (e.4: BRK.B -> BRK-B). A UTF-8 BOM
 * and CRLF line ends are accepted.
 *
 * Writing gives the canonical form: that header, rows sorted by symbol then date, numbers in
 * JavaScript's shortest round-trip form, LF line ends, no BOM. So an export of an import of
 * a canonical file is the same file, byte for byte, and parse(format(rows)) == rows.
 *
 * Value checks beyond these (trading day, jump flag) are the
 * e.4 validation the importer applies to every source.
 */
import { stringify } from 'csv-stringify/sync';
import type { IsoDate } from '../../core/domain/iso-date';
import { closeCell, dateCell, optionalCountCell, symbolCell, type CellResult } from './csv-cells';
import { checkHeader, RowCells, type CsvParse, type CsvParseOptions } from './csv-row-cells';
import { columnIndex, readCsv, type CsvSource } from './csv-table';

export interface PriceCsvRow {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly close: number;
  readonly volume: number | null;
}

export const PRICE_CSV_COLUMNS = ['symbol', 'date', 'close', 'volume'] as const;

export interface PricesCsvParseOptions extends CsvParseOptions {
  /**
   * Today, the New York date of the importer's clock (SPEC.md f.3): a close dated after it
   * cannot have happened yet, and makes the row bad (kind bad_date). Absent: no such check.
   */
  readonly today?: IsoDate;
  /**
   * A further check of each well-formed date (the importer refuses days that are not trading
   * days, SPEC.md e.4): a message makes the row bad (kind bad_date) with its line and column.
   */
  readonly checkDate?: (date: IsoDate) => string | null;
}
const REQUIRED = ['symbol', 'date', 'close'] as const;

export async function parsePricesCsv(source: CsvSource, options: PricesCsvParseOptions = {}): Promise<CsvParse<PriceCsvRow>> {
  const file = options.file ?? null;
  let header: readonly string[] = [];
  let at = { symbol: -1, date: -1, close: -1, volume: -1 };
  const rows: PriceCsvRow[] = [];
  // symbol -> date -> the line it was first on.
  const firstLine = new Map<string, Map<IsoDate, number>>();
  // One string per distinct symbol and date, shared by every row that holds it: a million rows
  // name a few hundred symbols and a few thousand days.
  const strings = new Map<string, string>();
  const shared = <S extends string>(text: S): S => {
    const kept = strings.get(text);
    if (kept !== undefined) return kept as S;
    strings.set(text, text);
    return text;
  };
  const read = await readCsv(source, options, {
    header(cells, line) {
      header = cells;
      at = { symbol: columnIndex(header, 'symbol'), date: columnIndex(header, 'date'), close: columnIndex(header, 'close'), volume: columnIndex(header, 'volume') };
      return checkHeader(header, REQUIRED, line, file);
    },
    record(record) {
      const cells = new RowCells(record, header, file);
      const symbol = cells.get(at.symbol, symbolCell);
      const date = cells.get(at.date, (t) => closeDateCell(t, options));
      const close = cells.get(at.close, closeCell);
      const volume = at.volume >= 0 ? cells.get(at.volume, optionalCountCell) : null;
      cells.checkLength();
      if (cells.problem) return cells.problem;
      const dates = firstLine.get(symbol!) ?? firstLine.set(symbol!, new Map()).get(symbol!)!;
      const first = dates.get(date!);
      if (first !== undefined) {
        return { file, line: record.line, column: header[at.date]!, columnNumber: at.date + 1, kind: 'duplicate', message: `${symbol} on ${date} again (first on line ${first})` };
      }
      dates.set(date!, record.line);
      rows.push({ symbol: shared(symbol!), date: shared(date!), close: close!, volume: volume ?? null });
      return null;
    },
  });
  return read.ok ? { ok: true, rows, skipped: read.skipped } : { ok: false, problem: read.problem };
}

/** A date cell that can carry a close: a real date, not after `today`, and passing `checkDate`. */
function closeDateCell(text: string, options: PricesCsvParseOptions): CellResult<IsoDate> {
  const parsed = dateCell(text);
  if (!parsed.ok) return parsed;
  const why =
    options.today !== undefined && parsed.value > options.today
      ? `${parsed.value} is after today (${options.today} in New York)`
      : (options.checkDate?.(parsed.value) ?? null);
  return why === null ? parsed : { ok: false, kind: 'bad_date', message: why };
}

/** The canonical file for these rows (sorted by symbol, then date). */
export function formatPricesCsv(rows: Iterable<PriceCsvRow>): string {
  const sorted = [...rows].sort((a, b) => compare(a.symbol, b.symbol) || compare(a.date, b.date));
  return stringify(
    sorted.map((r) => [r.symbol, r.date, String(r.close), r.volume === null ? '' : String(r.volume)]),
    { header: true, columns: [...PRICE_CSV_COLUMNS], record_delimiter: '\n', quoted_match: /^\s|\s$/ },
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
