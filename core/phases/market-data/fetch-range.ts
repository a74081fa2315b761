/**
 * Asking the source chain for one range of one symbol (SPEC.md e.1, e.3, e.4, e.8, m.13).
 *
 * - The range is cut at the latest storable date: the target date, and today's New York date
 *   (quotes after either are never stored).
 * - Sources are asked in chain order (online: CSV directory, then Yahoo). Each later source
 *   is asked only for what the cache still lacks after the previous ones: the span from the
 *   first to the last trading day of the range that still has no valid close.
 * - Every request writes a fetch-log row with its outcome; a refusal of an open circuit does
 *   so only when the log does not already give every date of its range the same reason
 *   (run-state.ts logsRefusal), and is otherwise kept in the run's memory, where it gives the
 *   dates their reasons (the logged row gives them the same ones in a later run). A close
 *   rejected by validation, or a CSV row whose close cannot be read (NaN, empty) on a day without
 *   a stored close, also writes a one-day `invalid` row (same request time), unless a valid close
 *   for that day is stored and stays, so the reason `invalid_price` and its detail survive into
 *   later runs (missing-reason.ts); an answer whose rows were all rejected has the outcome
 *   `invalid` itself. Both kinds count in `invalid_prices` (e.4), once per run and row.
 * - Quotes are validated (validate-quotes.ts) and merged into the cache, never purging; a
 *   flagged jump or an invalid close never replaces a stored valid close. In monitor-only
 *   mode nothing is written; the quotes only reach the run's price table.
 * - Bad rows reported by the CSV directory source are reported once per run, with file and
 *   line, as `csv_bad_row` warnings (the source lists a file's first ones; those it only counted
 *   are one more warning, from the line of the first); the fetch-log row of a request notes only the bad rows
 *   dated in its range (and those without a readable date, on the request that first reports
 *   them). Dates where two of its files disagree on the close (the first read, a per-symbol
 *   file before prices.csv, is used) are a `csv_conflict` warning naming the symbol, the dates,
 *   the files and both closes, once per date and run, and are noted on the fetch-log rows of the
 *   ranges that contain them. Among the bad rows are its rows dated on a day that is not a trading
 *   day, wherever they lie in its files (price-file.ts). Those and the quotes validation drops
 *   for such a date are counted as the provider's `dropped` rows (e.4). A rejected close or a
 *   flagged jump read from a file names its file and line (the quote's origin) in the warning,
 *   and a rejection also in its reason.
 * - Each ask is one request, whatever the source does to answer it (HTTP requests and their
 *   retries, files read, nothing at all): the unit of the dry run's estimate and of the fetch
 *   log (one row per ask, besides the one-day rows of rejected closes). The run counts it, per
 *   provider with the failed ones, the refusals of its open circuit and the HTTP requests it
 *   took (run-state.ts countProvider), and reports it as one provider_request event, the event
 *   the app's live view counts.
 * - A cancelled run stops asking; the request in flight is aborted by the signal and is not
 *   logged as a provider failure.
 */
import { newYorkDate, tradingDayAt, tradingIndexOnOrAfter, tradingIndexOnOrBefore } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';
import type { FetchOutcome, PriceResponse, PriceSource, QuoteOrigin } from '../../ports/market-data';
import type { FetchLogEntry } from '../../ports/store';
import type { RunContext } from '../../engine/phase-types';
import { bindProviderMetrics } from './provider-metrics';
import { validateQuotes, type StoredCloses } from './validate-quotes';

export interface RangeFetchResult {
  readonly outcome: FetchOutcome;
  readonly rows: number;
  readonly provider: string | null;
  readonly error: string | null;
}

/** A CSV problem as the CSV directory source reports it (structural: core does not import it). */
interface ReportedProblem {
  /** Its CsvProblemKind; `not_trading_day` for a row dropped for its date. */
  readonly kind: string;
  readonly file: string | null;
  readonly line: number;
  readonly column: string | null;
  readonly message: string;
  /** The date written on the row, when readable. */
  readonly date?: string | null;
}

function problemsOf(resp: PriceResponse): readonly ReportedProblem[] {
  const p = (resp as PriceResponse & { problems?: unknown }).problems;
  return Array.isArray(p) ? (p as ReportedProblem[]) : [];
}

/** A file's bad rows of the symbol that the CSV directory source counted but did not list (structural). */
interface UnlistedRows {
  readonly file: string;
  readonly rows: number;
  /** Of those, rows dated on a day that is not a trading day. */
  readonly notTradingDay: number;
  readonly firstLine: number;
}

function unlistedOf(resp: PriceResponse): readonly UnlistedRows[] {
  const u = (resp as PriceResponse & { unlisted?: unknown }).unlisted;
  return Array.isArray(u) ? (u as UnlistedRows[]) : [];
}

/** Two files with different closes on one date, as the CSV directory source reports it (structural): the first is used. */
interface ReportedConflict {
  readonly date: string;
  readonly used: QuoteOrigin & { readonly close: number };
  readonly ignored: QuoteOrigin & { readonly close: number };
}

function conflictsOf(resp: PriceResponse): readonly ReportedConflict[] {
  const c = (resp as PriceResponse & { conflicts?: unknown }).conflicts;
  return Array.isArray(c) ? (c as ReportedConflict[]) : [];
}

const CONFLICTS_NAMED = 5;

/**
 * `AAPL: AAPL.csv and prices.csv disagree on 2 close(s); AAPL.csv is used: 2025-03-04 (AAPL.csv
 * line 3: 101, prices.csv line 9: 99), ...`: the first few by date, then how many more.
 */
function conflictText(symbol: string, conflicts: readonly ReportedConflict[]): string {
  const files = (pick: (c: ReportedConflict) => string) => [...new Set(conflicts.map(pick))].join(', ');
  const named = conflicts.slice(0, CONFLICTS_NAMED).map((c) => `${c.date} (${c.used.file} line ${c.used.line}: ${c.used.close}, ${c.ignored.file} line ${c.ignored.line}: ${c.ignored.close})`);
  const more = conflicts.length > CONFLICTS_NAMED ? ` and ${conflicts.length - CONFLICTS_NAMED} more` : '';
  return `${symbol}: ${files((c) => c.used.file)} and ${files((c) => c.ignored.file)} disagree on ${conflicts.length} close(s); ${files((c) => c.used.file)} is used: ${named.join(', ')}${more}`;
}

/** The first bad row a fetch-log note names: the first listed one, else where the unlisted ones start. */
function firstNoted(noted: readonly ReportedProblem[], unlisted: readonly UnlistedRows[]): string {
  const p = noted[0];
  if (p) return `${p.file ?? ''} line ${p.line}: ${p.message}`;
  const u = unlisted[0]!;
  return `${u.file} line ${u.firstLine}`;
}

/** The `file` and `line` tags of a validation warning, when the quote's source named them. */
function originTags(origin: QuoteOrigin | null): { file?: string; line?: number } {
  return origin ? { file: origin.file, line: origin.line } : {};
}

/** The first valid close of `symbol` in the price table strictly after d, with its flag, or null. */
function nextInTable(table: RunContext['prices'], symbol: string, d: IsoDate): ReturnType<StoredCloses['after']> {
  const series = table.seriesOf(symbol);
  if (!series) return null;
  for (let i = table.indexOnOrAfter(d); i < table.length; i++) {
    const date = table.dateAt(i);
    if (date > d && !Number.isNaN(series[i]!)) return { date, close: series[i]!, jump: table.isJump(symbol, date) };
  }
  return null;
}

/** The first stored close of `symbol` after the price table's last day (the cache may hold later dates than the run). */
function nextInStore(store: Pick<RunContext['store'], 'loadPrices'>, table: RunContext['prices'], symbol: string): ReturnType<StoredCloses['after']> {
  if (table.length === 0) return null;
  const last = table.dateAt(table.length - 1);
  let next: ReturnType<StoredCloses['after']> = null;
  for (const r of store.loadPrices([symbol], last, LAST_DATE)) if (r.date > last && (!next || r.date < next.date)) next = { date: r.date, close: r.close, jump: r.jump };
  return next;
}

const LAST_DATE = '9999-12-31' as IsoDate;

/**
 * The run's price table as the validator's view of the stored closes; with the store, the next
 * close after the table's last day is read from the cache (a correction re-evaluates its flag).
 */
export function storedClosesOf(run: Pick<RunContext, 'prices'> & Partial<Pick<RunContext, 'store'>>, symbol: string): StoredCloses {
  return {
    on: (d) => {
      const close = run.prices.closeOn(symbol, d);
      return close === null ? null : { close, jump: run.prices.isJump(symbol, d) };
    },
    before: (d) => {
      const hit = run.prices.lastKnownBefore(symbol, d);
      return hit ? { date: hit.date, close: hit.price } : null;
    },
    after: (d) => nextInTable(run.prices, symbol, d) ?? (run.store ? nextInStore(run.store, run.prices, symbol) : null),
  };
}

/** First and last trading day of [start, end] without a valid close in the price table, or null. */
function stillMissing(run: Pick<RunContext, 'prices' | 'marketData'>, symbol: string, start: IsoDate, end: IsoDate): { start: IsoDate; end: IsoDate } | null {
  const firstTrade = run.marketData.firstTradeDate(symbol);
  let first: IsoDate | null = null;
  let last: IsoDate | null = null;
  for (let i = tradingIndexOnOrAfter(start), to = tradingIndexOnOrBefore(end); i <= to; i++) {
    const day = tradingDayAt(i);
    if (firstTrade && day < firstTrade) continue;
    if (run.prices.closeOn(symbol, day) !== null) continue;
    first ??= day;
    last = day;
  }
  return first && last ? { start: first, end: last } : null;
}

async function ask(run: Pick<RunContext, 'signal'>, source: PriceSource, symbol: string, start: IsoDate, end: IsoDate): Promise<PriceResponse | null> {
  try {
    return await source.fetchPrices({ symbol, start, end }, run.signal);
  } catch (err) {
    if (run.signal.aborted) return null;
    // Adapters report expected failures as outcomes; anything thrown is a provider fault.
    return { symbol, start, end, outcome: 'provider_error', quotes: [], firstTradeDate: null, error: (err as Error).message, rateLimited: false, circuitOpen: false, httpRequests: 0, retries: 0 };
  }
}

/** The latest date a fetch stores a quote for: the range's latest storable date, or today's New York date when earlier. */
export function storableCap(latestStorable: IsoDate, nowMs: number): IsoDate {
  const today = newYorkDate(nowMs);
  return latestStorable < today ? latestStorable : today;
}

/** What a dry run reads to count a range's requests (previewRangeRequests): the chunk's price table, which it may fill. */
export type RangePreviewContext = Pick<RunContext, 'prices' | 'marketData' | 'settings' | 'priceSources' | 'signal'>;

/**
 * The requests fetchRange would make for one range, for a dry run's estimate (SPEC.md g.4): each
 * source of the chain is asked only for what the ones before it left missing. A source a dry run
 * may ask (`askedInDryRun`: the CSV folder) is asked, and its valid closes fill `run.prices` (the
 * dry run's own table), so the estimate counts what the later sources get asked for; any other
 * source is taken to answer every day asked of it. Nothing is written, logged or reported.
 */
export async function previewRangeRequests(run: RangePreviewContext, symbol: string, start: IsoDate, end: IsoDate, cap: IsoDate): Promise<number> {
  if (start > cap) return 0;
  let span: { start: IsoDate; end: IsoDate } | null = { start, end: end > cap ? cap : end };
  let requests = 0;
  for (const source of run.priceSources) {
    if (span === null) break;
    requests++;
    if (!source.askedInDryRun) break;
    const { start: from, end: to } = span;
    const resp = await ask(run, source, symbol, from, to);
    if (resp === null) break;
    const v = validateQuotes(symbol, resp.quotes.filter((q) => q.date >= from && q.date <= to), storedClosesOf(run, symbol), run.settings['market_data.jump_threshold']);
    for (const q of v.valid) if (!q.keepsStored) run.prices.set(symbol, q.date, q.close, q.jump);
    span = stillMissing(run, symbol, from, to);
  }
  return requests;
}

export async function fetchRange(run: RunContext, symbol: string, start: IsoDate, end: IsoDate, latestStorable: IsoDate): Promise<RangeFetchResult> {
  let last: RangeFetchResult = { outcome: 'no_data', rows: 0, provider: null, error: null };
  const cap = storableCap(latestStorable, run.clock.now());
  if (start > cap) return last;
  bindProviderMetrics(run);
  let span: { start: IsoDate; end: IsoDate } | null = { start, end: end > cap ? cap : end };
  for (const source of run.priceSources) {
    if (span === null || run.signal.aborted) break;
    const { start: from, end: to } = span;
    const requestedAt = run.nowIso();
    const resp = await ask(run, source, symbol, from, to);
    if (resp === null) break;
    const c = run.marketData.counters;
    c.requests++;
    c.retries += resp.retries;
    // Rate-limited answers (HTTP 429); a refusal of a circuit opened by them sent nothing.
    if (resp.rateLimited && !resp.circuitOpen) c.rateLimited++;

    const inRange = resp.quotes.filter((q) => q.date >= from && q.date <= to);
    const v = validateQuotes(symbol, inRange, storedClosesOf(run, symbol), run.settings['market_data.jump_threshold']);
    let rows = 0;
    if (v.valid.length > 0) {
      // The next stored days whose flag the answer's corrections changed are merged with it (e.4).
      const merging = [...v.valid, ...v.reflagged];
      if (!run.monitorOnly) {
        const merged = run.store.mergeQuotes(symbol, source.name, merging, run.nowIso());
        rows = merged.inserted + merged.updated;
      } else rows = merging.filter((q) => !q.keepsStored).length;
      c.rowsUpserted += rows;
      for (const q of merging) if (!q.keepsStored) run.prices.set(symbol, q.date, q.close, q.jump);
      run.marketData.fetchedSymbols.add(symbol);
    }
    for (const j of v.jumps) {
      c.jumpsFlagged++;
      run.telemetry.metric('price_validation_flag', j.close, {
        date: j.date,
        tags: { symbol, flag: 'jump', provider: source.name, reference: j.reference, stored_close_kept: j.keepsStored, ...originTags(j.origin) },
        source: 'market_data',
        level: 'warn',
      });
    }
    for (const r of v.rejected) {
      c.invalidPrices++;
      if (!r.storedStays) run.marketData.markInvalid(symbol, r.date, r.why);
      run.telemetry.metric('price_validation_flag', Number.isFinite(r.close) ? r.close : null, {
        date: r.date,
        tags: { symbol, flag: 'invalid', provider: source.name, why: r.why, stored_close_kept: r.storedStays, ...originTags(r.origin) },
        source: 'market_data',
        level: 'warn',
      });
    }
    const problems = problemsOf(resp);
    let dropped = v.droppedNonTrading.length;
    // The fetch-log note names the bad rows of this range: those dated in it, and those without
    // a readable date (the whole file's, a bad date) on the request that first reports them.
    const noted: ReportedProblem[] = [];
    // Rows for a day whose close could not be read: invalid prices (e.4, e.6), not gaps.
    const unreadable: { date: IsoDate; why: string }[] = [];
    for (const p of problems) {
      const key = `${p.file ?? ''}:${p.line}`;
      const dated = typeof p.date === 'string';
      if (dated && p.date! >= from && p.date! <= to) {
        noted.push(p);
        if (p.column?.toLowerCase() === 'close' && run.prices.closeOn(symbol, p.date as IsoDate) === null) {
          const why = `invalid close: ${p.message} (${p.file ?? source.name} line ${p.line})`;
          run.marketData.markInvalid(symbol, p.date as IsoDate, why);
          unreadable.push({ date: p.date as IsoDate, why });
          // Counted once per run, as a rejected close is when first read.
          if (!run.marketData.reportedCsvProblems.has(`invalid ${key}`)) {
            run.marketData.reportedCsvProblems.add(`invalid ${key}`);
            c.invalidPrices++;
          }
        }
      }
      if (run.marketData.reportedCsvProblems.has(key)) continue;
      run.marketData.reportedCsvProblems.add(key);
      if (!dated) noted.push(p);
      if (p.kind === 'not_trading_day') dropped++;
      run.telemetry.metric('csv_bad_row', p.line, {
        tags: { symbol, file: p.file, line: p.line, column: p.column, message: p.message },
        source: 'market_data',
        level: 'warn',
      });
    }
    // Bad rows too many to list (a file of repeated lines): one warning per file and symbol, and
    // on the fetch-log row of the request that first reports them.
    const unlisted = unlistedOf(resp).filter((u) => !run.marketData.reportedCsvProblems.has(`${u.file}:unlisted:${symbol}`));
    for (const u of unlisted) {
      run.marketData.reportedCsvProblems.add(`${u.file}:unlisted:${symbol}`);
      dropped += u.notTradingDay;
      run.telemetry.metric('csv_bad_row', u.firstLine, {
        tags: { symbol, file: u.file, line: u.firstLine, column: null, message: `${u.rows} more bad row(s) of ${symbol}, the first on this line, are skipped without a warning each`, rows: u.rows },
        source: 'market_data',
        level: 'warn',
      });
    }
    // Files that disagree on a close (the first read is used): a warning, once per date and run.
    const conflicts = conflictsOf(resp).filter((c) => c.date >= from && c.date <= to);
    const fresh = conflicts.filter((c) => !run.marketData.reportedCsvConflicts.has(`${symbol} ${c.date}`));
    for (const c of fresh) run.marketData.reportedCsvConflicts.add(`${symbol} ${c.date}`);
    if (fresh.length > 0) {
      run.telemetry.metric('csv_conflict', fresh.length, {
        date: fresh[0]!.date,
        tags: { message: conflictText(symbol, fresh), symbol, dates: fresh.map((c) => c.date), conflicts: fresh.map((c) => ({ date: c.date, used: c.used, ignored: c.ignored })) },
        source: 'market_data',
        level: 'warn',
      });
    }

    const outcome: FetchOutcome = resp.outcome === 'ok' && v.valid.length === 0 && v.rejected.length > 0 ? 'invalid' : resp.outcome;
    const rejectedText = v.rejected.map((r) => `${r.date}: ${r.why}`).slice(0, 5).join('; ');
    const unlistedRows = unlisted.reduce((n, u) => n + u.rows, 0);
    const problemText = noted.length + unlistedRows > 0 ? `${noted.length + unlistedRows} bad CSV row(s) skipped, first: ${firstNoted(noted, unlisted)}` : '';
    const entry: FetchLogEntry = {
      symbol,
      provider: source.name,
      rangeStart: from,
      rangeEnd: to,
      requestedAt,
      outcome,
      rowsReturned: resp.quotes.length,
      firstTradeDate: resp.firstTradeDate,
      error: resp.error ?? ([rejectedText, problemText, conflicts.length ? conflictText(symbol, conflicts) : ''].filter((t) => t !== '').join('; ') || null),
      runId: run.runId,
    };
    // A refusal of an open circuit is logged unless the log already gives its dates the same
    // reason (run-state.ts).
    const logged = !resp.circuitOpen || run.marketData.logsRefusal(entry);
    const entries: FetchLogEntry[] = [entry];
    // One-day `invalid` rows keep each rejection for later runs (missing-reason.ts).
    const invalidDays = [...v.rejected.filter((r) => !r.storedStays), ...unreadable];
    for (const r of invalidDays) {
      entries.push({ ...entry, rangeStart: r.date, rangeEnd: r.date, outcome: 'invalid', rowsReturned: 1, firstTradeDate: null, error: `${r.why} from ${source.name}` });
    }
    for (const e of entries) {
      run.marketData.record(e, logged);
      if (!run.monitorOnly && logged) run.store.appendFetchLog(e);
    }
    run.marketData.countProvider(source.name, {
      httpRequests: resp.httpRequests,
      failed: outcome !== 'ok' && outcome !== 'no_data',
      refused: resp.circuitOpen,
      rows: v.valid.length,
      dropped,
    });
    run.telemetry.metric('provider_request', 1, {
      unit: 'requests',
      tags: { symbol, provider: source.name, outcome, start: from, end: to, rows: v.valid.length, http_requests: resp.httpRequests, retries: resp.retries },
      source: 'market_data',
      // A refusal whose dates the log already explains is routine while the circuit stays open.
      level: outcome === 'ok' || outcome === 'no_data' || !logged ? 'debug' : 'warn',
    });
    last = { outcome, rows: v.valid.length, provider: source.name, error: entry.error };
    span = stillMissing(run, symbol, from, to);
  }
  return last;
}
