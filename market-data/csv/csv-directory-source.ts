/**
 * The CSV directory price source (SPEC.md e.8), a PriceSource named 'csv'.
 *
 * For a request (symbol, [start, end]) it reads every `<SYMBOL>.csv` of the directory whose
 * name is that symbol in canonical form (so `BRK.B.csv` and `brk-b.csv` both serve BRK-B;
 * files in sorted name order) and the rows of that symbol in `prices.csv`, which fill only dates
 * the per-symbol files lack. A date a later file gives another close for is a conflict: the
 * first file's close is used, and the conflict (dates, files, lines and both closes) is
 * returned for the engine to report. Bad rows are
 * skipped and returned as problems with file and line (price-file.ts); every request returns
 * the problems of its symbol's rows, wherever they lie, and those no symbol can be named for.
 * Each quote carries the file and line it came from (`origin`), so the engine's validation can
 * point at the row too.
 *
 * Outcomes: `ok` with quotes in the range; `no_data` when the files have none for it (or
 * there are no files for the symbol); `provider_error` when the directory or a file cannot be
 * read. A request counts once however many files it reads (the engine counts one request per
 * symbol range asked) and sends no HTTP request. Parsed files are kept per source instance and
 * re-read when their size or mtime changes.
 */
import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { usageError } from '../../core/api/errors';
import { canonicalSymbol } from '../../core/domain/symbols';
import type { PriceRequest, PriceResponse, PriceSource, Quote, QuoteOrigin } from '../../core/ports/market-data';
import type { IsoDate } from '../../core/domain/iso-date';
import type { CsvProblem } from './csv-problem';
import { readPriceFile, type PriceFile, type PriceFileLayout } from './price-file';

/**
 * A quote with the file (name inside the directory) and line it was read from. The engine's
 * validation (SPEC.md e.4) names them when it rejects the close or flags a jump. A row dated
 * on a day that is not a trading day never becomes a quote: it is a bad row (price-file.ts).
 */
export interface CsvQuote extends Quote {
  readonly origin: QuoteOrigin;
}

/** A bad row of this symbol (skipped), with the date written on it when readable. */
export interface CsvRowProblem extends CsvProblem {
  readonly date: IsoDate | null;
}

/**
 * Two files of the folder with different closes for the symbol on one date: the first read (a
 * per-symbol file before prices.csv) is used, the other is not. Reported so that the rule never
 * decides in silence.
 */
export interface CsvCloseConflict {
  readonly date: IsoDate;
  readonly used: QuoteOrigin & { readonly close: number };
  readonly ignored: QuoteOrigin & { readonly close: number };
}

/** PriceResponse plus what the CSV files said about this symbol. */
export interface CsvPriceResponse extends PriceResponse {
  readonly quotes: readonly CsvQuote[];
  /** Bad rows of this symbol (skipped), with file and line. */
  readonly problems: readonly CsvRowProblem[];
  /** Dates in the requested range where the files disagree on the close (the first file read wins). */
  readonly conflicts: readonly CsvCloseConflict[];
  /** Files read for this request (names inside the directory). */
  readonly files: readonly string[];
}

export const COMBINED_PRICE_FILE = 'prices.csv';

/**
 * Checks, before a run writes anything, that the CSV price folder (`--csv-dir` or the setting
 * `market_data.csv_dir`) is a folder this process can read: a mistyped path would otherwise
 * fail every date with "no close" instead of naming the path (a usage error, exit 2).
 */
export function assertCsvDirectory(dir: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    throw usageError(`the CSV price folder ${dir} does not exist; give an existing folder with --csv-dir (or fix the setting market_data.csv_dir)`);
  }
  if (!isFolder) throw usageError(`the CSV price folder ${dir} is a file, not a folder; --csv-dir takes the folder that holds <SYMBOL>.csv or prices.csv`);
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch {
    throw usageError(`the CSV price folder ${dir} cannot be read by this user; check its permissions`);
  }
}

interface CachedFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly parsed: PriceFile;
}

export class CsvDirectorySource implements PriceSource {
  readonly name = 'csv' as const;
  /** It reads files and writes nothing: a dry run asks it what it covers (g.4). */
  readonly askedInDryRun = true;
  private readonly cache = new Map<string, CachedFile>();

  constructor(readonly dir: string) {}

  async fetchPrices(request: PriceRequest, signal: AbortSignal): Promise<CsvPriceResponse> {
    signal.throwIfAborted();
    if (request.start > request.end) throw new RangeError(`price request range is reversed: ${request.start} > ${request.end}`);
    const symbol = canonicalSymbol(request.symbol);
    const base = { symbol, start: request.start, end: request.end, firstTradeDate: null, rateLimited: false, circuitOpen: false, httpRequests: 0, retries: 0 };

    let names: string[];
    try {
      names = (await readdir(this.dir)).sort();
    } catch (error) {
      return { ...base, outcome: 'provider_error', quotes: [], error: `cannot read the CSV directory ${this.dir}: ${message(error)}`, problems: [], conflicts: [], files: [] };
    }
    const perSymbol = names.filter((n) => /\.csv$/i.test(n) && n.toLowerCase() !== COMBINED_PRICE_FILE && canonicalSymbol(n.slice(0, -4)) === symbol);
    const combined = names.find((n) => n.toLowerCase() === COMBINED_PRICE_FILE);
    const files = combined ? [...perSymbol, combined] : perSymbol;

    const byDate = new Map<string, CsvQuote>();
    const problems: CsvRowProblem[] = [];
    const conflicts: CsvCloseConflict[] = [];
    for (const name of files) {
      signal.throwIfAborted();
      const layout: PriceFileLayout = name === combined ? 'combined' : 'per_symbol';
      let parsed: PriceFile;
      try {
        parsed = await this.parsed(name, layout, signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        return { ...base, outcome: 'provider_error', quotes: [], error: `cannot read ${join(this.dir, name)}: ${message(error)}`, problems, conflicts: [], files };
      }
      for (const row of parsed.rows) {
        if (row.symbol !== symbol) continue;
        const first = byDate.get(row.date);
        if (first) {
          if (first.close !== row.close && row.date >= request.start && row.date <= request.end) {
            conflicts.push({ date: row.date, used: { ...first.origin, close: first.close }, ignored: { file: name, line: row.line, close: row.close } });
          }
          continue;
        }
        byDate.set(row.date, { date: row.date, close: row.close, volume: row.volume, open: row.open, high: row.high, low: row.low, origin: { file: name, line: row.line } });
      }
      // Problems of this symbol's rows, and those that cannot be attributed to a symbol
      // (no header, unreadable CSV, an empty symbol cell).
      problems.push(...parsed.problems.filter((p) => p.symbol === null || p.symbol === symbol).map(({ symbol: _s, ...p }) => p));
    }
    const quotes = [...byDate.values()].filter((q) => q.date >= request.start && q.date <= request.end).sort((a, b) => (a.date < b.date ? -1 : 1));
    const outcome = quotes.length > 0 ? 'ok' : 'no_data';
    const error = quotes.length > 0 ? null : files.length === 0 ? `no CSV file for ${symbol} in ${this.dir}` : `no rows for ${symbol} in the requested range`;
    conflicts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return { ...base, outcome, quotes, error, problems, conflicts, files };
  }

  private async parsed(name: string, layout: PriceFileLayout, signal: AbortSignal): Promise<PriceFile> {
    const path = join(this.dir, name);
    const info = await stat(path);
    const cached = this.cache.get(path);
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.parsed;
    const parsed = await readPriceFile(createReadStream(path, { signal }), name, layout, layout === 'per_symbol' ? name.slice(0, -4) : undefined);
    this.cache.set(path, { size: info.size, mtimeMs: info.mtimeMs, parsed });
    return parsed;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
