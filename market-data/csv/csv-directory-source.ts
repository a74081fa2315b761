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
 * the problems of its symbol's rows, wherever they lie, and those no symbol can be named for:
 * per file the first ones and each date's first bad close, the rest counted (`unlisted`), so a
 * file of a million bad rows costs no more than its list.
 * Each quote carries the file and line it came from (`origin`), so the engine's validation can
 * point at the row too.
 *
 * Outcomes: `ok` with quotes in the range; `no_data` when the files have none for it (or
 * there are no files for the symbol); `provider_error` when the directory or a file cannot be
 * read, or when there is no quote and a file of the symbol is ignored as a whole (no header, a
 * required column absent: the error names the file and why, and becomes the days' missing-price
 * detail). A request counts once however many files it reads (the engine counts one request per
 * symbol range asked) and sends no HTTP request. Parsed files are kept per source instance and
 * re-read when their size or mtime changes; across runs, `lastModifiedMs` lets the fetch plan
 * ask again for days read before a file changed (prefetch.ts).
 *
 * A `.csv` file whose name is no symbol (`AAPL (1).csv`), or is a provider's index symbol
 * (`^VIX.csv`: the cache and the folder name the index VIX, e.5), is not read for the symbol it
 * seems meant for, but never ignored silently. `misnamedFiles` names such files with why and, when it can tell which
 * needed symbol a file was meant for, the name it should have (the engine warns once per run),
 * and a request that finds no file for a symbol names the file meant for it.
 */
import { accessSync, constants, createReadStream, readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { usageError } from '../../core/api/errors';
import { canonicalSymbol, isWellFormedSymbol } from '../../core/domain/symbols';
import type { PriceRequest, PriceResponse, PriceSource, Quote, QuoteOrigin } from '../../core/ports/market-data';
import type { IsoDate } from '../../core/domain/iso-date';
import type { CsvProblem } from './csv-problem';
import { readPriceFile, type PriceFile, type PriceFileLayout, type PriceFileProblem, type UnlistedProblems } from './price-file';

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
  /** Bad rows of this symbol (skipped), with file and line: the first ones of each file (price-file.ts). */
  readonly problems: readonly CsvRowProblem[];
  /** Per file, the bad rows of this symbol skipped but not in `problems`. */
  readonly unlisted: readonly (UnlistedProblems & { readonly file: string })[];
  /** Dates in the requested range where the files disagree on the close (the first file read wins). */
  readonly conflicts: readonly CsvCloseConflict[];
  /** Files read for this request (names inside the directory). */
  readonly files: readonly string[];
}

export const COMBINED_PRICE_FILE = 'prices.csv';

/** A `.csv` file of the folder that is not read for any needed symbol, though named like a price file. */
export interface MisnamedCsvFile {
  readonly file: string;
  /** The needed symbol it seems meant for, or null when it cannot tell. */
  readonly symbol: string | null;
  /** What happened and what to do: rename it, naming the name it should have. */
  readonly message: string;
}

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
      names = await readdir(this.dir);
    } catch (error) {
      return { ...base, outcome: 'provider_error', quotes: [], error: `cannot read the CSV directory ${this.dir}: ${message(error)}`, problems: [], unlisted: [], conflicts: [], files: [] };
    }
    const files = filesServing(names, symbol);

    const byDate = new Map<string, CsvQuote>();
    const problems: CsvRowProblem[] = [];
    const unlisted: (UnlistedProblems & { file: string })[] = [];
    const conflicts: CsvCloseConflict[] = [];
    const refusals: PriceFileProblem[] = [];
    for (const name of files) {
      signal.throwIfAborted();
      const layout: PriceFileLayout = name.toLowerCase() === COMBINED_PRICE_FILE ? 'combined' : 'per_symbol';
      let parsed: PriceFile;
      try {
        parsed = await this.parsed(name, layout, signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        return { ...base, outcome: 'provider_error', quotes: [], error: `cannot read ${join(this.dir, name)}: ${message(error)}`, problems, unlisted, conflicts: [], files };
      }
      if (parsed.refusal) refusals.push(parsed.refusal);
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
      // (no header, unreadable CSV, an empty symbol cell). One at a time: a spread of a long list
      // into one call overflows the stack.
      for (const { symbol: rowSymbol, ...p } of parsed.problems) if (rowSymbol === null || rowSymbol === symbol) problems.push(p);
      const more = bothUnlisted(parsed.unlisted.get(null), parsed.unlisted.get(symbol));
      if (more) unlisted.push({ file: name, ...more });
    }
    const quotes = [...byDate.values()].filter((q) => q.date >= request.start && q.date <= request.end).sort((a, b) => (a.date < b.date ? -1 : 1));
    const outcome = quotes.length > 0 ? 'ok' : refusals.length > 0 ? 'provider_error' : 'no_data';
    const error =
      quotes.length > 0
        ? null
        : refusals.length > 0
          ? refusalText(refusals)
          : files.length === 0
            ? `no CSV file for ${symbol} in ${this.dir}${meantFor(names, symbol)}`
            : `no rows for ${symbol} in the requested range`;
    conflicts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return { ...base, outcome, quotes, error, problems, unlisted, conflicts, files };
  }

  /**
   * When the files that serve `symbol` last changed: the newest modification time (epoch ms)
   * among them, or null when there is none (or the folder cannot be read). The fetch plan asks
   * again for days read from the folder before that time (prefetch.ts), so an edited file's
   * corrected closes reach the cache.
   */
  lastModifiedMs(symbol: string): number | null {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return null;
    }
    let newest: number | null = null;
    for (const name of filesServing(names, canonicalSymbol(symbol))) {
      try {
        const mtimeMs = statSync(join(this.dir, name)).mtimeMs;
        if (newest === null || mtimeMs > newest) newest = mtimeMs;
      } catch {
        // Gone since the listing: a read reports it.
      }
    }
    return newest;
  }

  /**
   * The folder's `.csv` files that no symbol of `needed` reads although one seems meant (an index
   * under its provider symbol, `^VIX.csv` for VIX; a name with more than the symbol, `AAPL (1).csv`),
   * and those whose name is no symbol at all. A file named after a symbol not needed is not listed:
   * it serves that symbol when a run needs it. Empty when the folder cannot be read (a request says why).
   */
  misnamedFiles(needed: ReadonlySet<string>): MisnamedCsvFile[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: MisnamedCsvFile[] = [];
    for (const file of names.filter(isPerSymbolName).sort()) {
      const own = canonicalSymbol(file.slice(0, -4));
      if (needed.has(own)) continue;
      const meant = intendedSymbol(file);
      if (meant !== null && needed.has(meant)) out.push({ file, symbol: meant, message: `${file} in the CSV folder is not read: ${whyNot(file)}; rename it ${meant}.csv` });
      else if (!isWellFormedSymbol(own)) out.push({ file, symbol: null, message: `${file} in the CSV folder is not read: ${whyNot(file)}; name a per-symbol file <SYMBOL>.csv (AAPL.csv), or put its rows in ${COMBINED_PRICE_FILE} with a symbol column` });
    }
    return out;
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

/** A `.csv` file other than the combined prices.csv: a per-symbol file, `<SYMBOL>.csv`. */
function isPerSymbolName(name: string): boolean {
  return /\.csv$/i.test(name) && name.toLowerCase() !== COMBINED_PRICE_FILE;
}

/**
 * The symbol a per-symbol file whose name is not that symbol seems meant for: an index under its
 * provider symbol (`^VIX.csv`: VIX), or the symbol that starts a name that is no symbol
 * (`AAPL (1).csv`, a browser's second download: AAPL). Null when the name is a symbol of its own.
 */
function intendedSymbol(file: string): string | null {
  const own = canonicalSymbol(file.slice(0, -4));
  if (isWellFormedSymbol(own) && !own.startsWith('^')) return null;
  const lead = /^\^?([A-Z0-9][A-Z0-9_=-]*)/.exec(own)?.[1];
  return lead !== undefined && isWellFormedSymbol(lead) ? lead : null;
}

/** Why a misnamed file serves no symbol it seems meant for. */
function whyNot(file: string): string {
  const own = canonicalSymbol(file.slice(0, -4));
  return own.startsWith('^') && isWellFormedSymbol(own)
    ? `${own} is the provider's name for the index ${own.slice(1)}, and files are named after the symbol as batchdesk stores it`
    : `"${file.slice(0, -4)}" is no symbol`;
}

/** `; ^VIX.csv is there but not read: rename it VIX.csv`, when a file of the listing seems meant for `symbol`. */
function meantFor(names: readonly string[], symbol: string): string {
  const file = names.filter(isPerSymbolName).sort().find((n) => intendedSymbol(n) === symbol);
  return file === undefined ? '' : `; ${file} is there but not read (${whyNot(file)}): rename it ${symbol}.csv`;
}

/** The files of a folder listing that serve canonical `symbol`: its own `<SYMBOL>.csv` files in sorted name order, then prices.csv. */
function filesServing(names: readonly string[], symbol: string): string[] {
  const sorted = [...names].sort();
  const perSymbol = sorted.filter((n) => isPerSymbolName(n) && canonicalSymbol(n.slice(0, -4)) === symbol);
  const combined = sorted.find((n) => n.toLowerCase() === COMBINED_PRICE_FILE);
  return combined ? [...perSymbol, combined] : perSymbol;
}

/** `MSFT.csv is ignored as a whole (line 1: the header has no "date" column ...); fix it and run the dates again` */
function refusalText(refusals: readonly PriceFileProblem[]): string {
  const each = refusals.map((r) => `${r.file ?? ''} is ignored as a whole (line ${r.line}: ${r.message})`);
  return `${each.join('; ')}; fix ${refusals.length > 1 ? 'them' : 'it'} and run the dates again`;
}

/** The unlisted bad rows of a file's two shares (no symbol, this symbol) together, or undefined when neither has any. */
function bothUnlisted(a: UnlistedProblems | undefined, b: UnlistedProblems | undefined): UnlistedProblems | undefined {
  if (!a || !b) return a ?? b;
  return { rows: a.rows + b.rows, notTradingDay: a.notTradingDay + b.notTradingDay, firstLine: Math.min(a.firstLine, b.firstLine) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
