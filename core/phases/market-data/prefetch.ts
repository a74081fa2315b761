/**
 * The chunk prefetch (SPEC.md e.3): loads the chunk's price table from the cache, plans the
 * unsatisfied ranges of every needed symbol and asks the sources for them, a few at a time
 * (adapters enforce their own rate limits). Returns what the first date's metrics report.
 *
 * Offline (e.8), the chain is at most the CSV directory and the prefetch mostly computes
 * coverage; it then reports once per symbol what is stale: the needed symbols without a
 * cached close on the last chunk date that needs them, with their last cached close. A CSV
 * folder file changed since an earlier run read it is read again for the days it served
 * (changedSinceRead), cached or not, so its corrections reach the cache (m.13). "Changed" compares
 * the file's modification time with the fetch-log row's request time, so a clock set by
 * BATCHDESK_NOW before the files' times makes every run read them again. A folder file no needed
 * symbol reads because of its name (`^VIX.csv`, `AAPL (1).csv`) is a `csv_ignored_file` warning,
 * once per run, saying the name it should have.
 */
import { lookbackStart, tradingDayIndex } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';
import { PriceTable } from '../../engine/price-table';
import type { RunContext } from '../../engine/phase-types';
import type { PriceSource } from '../../ports/market-data';
import type { FetchLogEntry } from '../../ports/store';
import { fetchRange } from './fetch-range';
import { fetchModeOf, planSymbol, PRICE_WINDOW_DAYS, requiredIndexes, type FetchMode, type FetchRange, type SatisfiedCheck } from './fetch-plan';
import { settleInstantMs } from './settle-time';

export interface PrefetchReport {
  readonly symbols: number;
  readonly ranges: number;
  readonly requestedDays: number;
  readonly fetchMode: FetchMode;
  readonly durationMs: number;
  /** Requests the prefetch made (one per range asked of a source, fetch-range.ts). */
  readonly requests: number;
  readonly sources: readonly string[];
  /** Offline: needed symbols without a cached close on the last date that needs them. */
  readonly staleSymbols: number;
}

const CONCURRENCY = 4;
const STALE_NAMES_SHOWN = 10;

/** What planning a chunk's requests reads: the cache, the settle hour and the requests made so far. */
export interface FetchPlanningContext extends Pick<RunContext, 'settings' | 'marketData'>, Partial<Pick<RunContext, 'priceSources' | 'runId'>> {
  readonly store: Pick<RunContext['store'], 'loadPrices'>;
}

export function chunkPriceTable(run: Pick<FetchPlanningContext, 'store'>, dates: readonly IsoDate[], symbols: readonly string[]): PriceTable {
  const first = dates[0]!;
  const last = dates[dates.length - 1]!;
  const table = new PriceTable(lookbackStart(first, PRICE_WINDOW_DAYS), last);
  table.declare(symbols);
  table.load(run.store.loadPrices(symbols, table.start, last));
  return table;
}

/**
 * Whether a logged answer settles its days (e.3 step 2): a close, or a provider's "no data". A
 * CSV folder's "no data" says only that the folder lacks the rows, not that the market had no
 * close: the folder may get the file later, and a later source of the chain (Yahoo) may have
 * failed for the same range after it. Such days are asked again.
 */
const answersTheMarket = (e: FetchLogEntry): boolean => e.outcome === 'ok' || (e.outcome === 'no_data' && e.provider !== 'csv');

/** A source whose answers come from files that can change between runs (the CSV folder; structural: core does not import it). */
interface FileBackedSource {
  readonly name: string;
  /** The newest modification time (epoch ms) of the files that serve the symbol, or null. */
  lastModifiedMs(symbol: string): number | null;
}

function isFileBacked(source: PriceSource): source is PriceSource & FileBackedSource {
  return typeof (source as Partial<FileBackedSource>).lastModifiedMs === 'function';
}

/** A source that can name its files no needed symbol reads for their name (the CSV folder; structural). */
interface NamedFilesSource {
  misnamedFiles(needed: ReadonlySet<string>): readonly { readonly file: string; readonly symbol: string | null; readonly message: string }[];
}

function namesItsFiles(source: PriceSource): source is PriceSource & NamedFilesSource {
  return typeof (source as Partial<NamedFilesSource>).misnamedFiles === 'function';
}

/** Warns, once per file and run, of the chain's files that the chunk's needed symbols do not read because of their name. */
function reportMisnamedFiles(run: RunContext, needed: ReadonlySet<string>): void {
  for (const source of run.priceSources) {
    if (!namesItsFiles(source)) continue;
    for (const f of source.misnamedFiles(needed)) {
      const key = `misnamed ${source.name} ${f.file}`;
      if (run.marketData.reportedCsvProblems.has(key)) continue;
      run.marketData.reportedCsvProblems.add(key);
      run.telemetry.metric('csv_ignored_file', null, { tags: { provider: source.name, file: f.file, symbol: f.symbol, message: f.message }, source: 'market_data', level: 'warn' });
    }
  }
}

/** The run's view a fetch plan reads; with the chain and the run's id, days of edited CSV files are asked again. */
export type SatisfiedCheckContext = Pick<RunContext, 'prices' | 'settings' | 'marketData'> & Partial<Pick<RunContext, 'priceSources' | 'runId'>>;

/**
 * The days of `symbol` whose files changed after the read that last covered them (m.13: a later
 * read that returns a different valid close replaces the stored one): for each file-backed source,
 * a day whose latest fetch-log row of that source was written by an earlier run before the files'
 * newest modification time. A read of this run is current: a run reads a file once.
 */
function changedSinceRead(run: SatisfiedCheckContext, symbol: string): ((d: IsoDate) => boolean) | undefined {
  const checks: ((d: IsoDate) => boolean)[] = [];
  for (const source of run.priceSources ?? []) {
    if (!isFileBacked(source)) continue;
    const modified = source.lastModifiedMs(symbol);
    const reads = run.marketData.entries(symbol).filter((e) => e.provider === source.name);
    if (modified === null || reads.length === 0) continue;
    checks.push((d) => {
      let latest: FetchLogEntry | null = null;
      for (const e of reads) if (e.rangeStart <= d && e.rangeEnd >= d && (!latest || e.requestedAt >= latest.requestedAt)) latest = e;
      return latest !== null && latest.runId !== (run.runId ?? null) && Date.parse(latest.requestedAt) < modified;
    });
  }
  return checks.length === 0 ? undefined : (d) => checks.some((changed) => changed(d));
}

/** What satisfies a required day of `symbol` (e.3 step 2), over the run's current price table. */
export function satisfiedCheck(run: SatisfiedCheckContext, symbol: string): SatisfiedCheck {
  const table = run.prices;
  const changed = changedSinceRead(run, symbol);
  const series = table.seriesOf(symbol);
  const settleHour = run.settings['market_data.settle_hour'];
  return {
    hasClose: (g) => {
      const i = g - table.startIndex;
      return series !== null && i >= 0 && i < table.length && !Number.isNaN(series[i]!);
    },
    answered: run.marketData.entries(symbol).filter(answersTheMarket),
    firstTradeDate: run.marketData.firstTradeDate(symbol),
    settleMs: (d) => settleInstantMs(d, settleHour),
    ...(changed ? { changedSinceRead: changed } : {}),
  };
}

/** Unsatisfied ranges of one symbol over the windows of the dates that need it. */
export function planSymbolRanges(run: SatisfiedCheckContext, symbol: string, dates: readonly IsoDate[]): FetchRange[] {
  return planSymbol(symbol, requiredIndexes(dates), satisfiedCheck(run, symbol));
}

/** A chunk's fetch plan (e.3 steps 1-2): its price table from the cache, and the ranges each needed symbol lacks. */
export interface ChunkFetchPlan {
  readonly prices: PriceTable;
  /** The needed symbols (factor ETFs first, as e.2 lists them), with the chunk dates that need each. */
  readonly datesBySymbol: ReadonlyMap<string, readonly IsoDate[]>;
  readonly ranges: readonly FetchRange[];
}

export function planChunkFetches(
  run: FetchPlanningContext,
  dates: readonly IsoDate[],
  needByDate: ReadonlyMap<IsoDate, ReadonlySet<string>>,
  /** Symbols the table also loads from the cache, never fetched (symbols-needed.ts cachedOnlyContracts). */
  cachedOnly: readonly string[] = [],
): ChunkFetchPlan {
  const datesBySymbol = new Map<string, IsoDate[]>();
  for (const d of dates) for (const s of needByDate.get(d) ?? []) (datesBySymbol.get(s) ?? datesBySymbol.set(s, []).get(s)!).push(d);
  const symbols = [...datesBySymbol.keys()].sort();
  const prices = chunkPriceTable(run, dates, [...symbols, ...cachedOnly.filter((s) => !datesBySymbol.has(s))]);
  const view = { prices, settings: run.settings, marketData: run.marketData, priceSources: run.priceSources, runId: run.runId };
  const ranges = symbols.flatMap((symbol) => planSymbolRanges(view, symbol, datesBySymbol.get(symbol)!));
  return { prices, datesBySymbol, ranges };
}

function reportStale(run: RunContext, datesBySymbol: ReadonlyMap<string, readonly IsoDate[]>): number {
  const stale: { symbol: string; on: IsoDate; last: IsoDate | null }[] = [];
  for (const [symbol, dates] of datesBySymbol) {
    const on = dates[dates.length - 1]!;
    if (run.prices.closeOn(symbol, on) !== null || run.marketData.reportedStale.has(symbol)) continue;
    run.marketData.reportedStale.add(symbol);
    stale.push({ symbol, on, last: run.prices.lastKnownBefore(symbol, on)?.date ?? null });
  }
  if (stale.length === 0) return 0;
  const names = stale.slice(0, STALE_NAMES_SHOWN).map((s) => `${s.symbol} (${s.last ? `last close ${s.last}` : 'no cached close'})`);
  const more = stale.length > STALE_NAMES_SHOWN ? ` and ${stale.length - STALE_NAMES_SHOWN} more` : '';
  run.telemetry.metric('market_data_mode', stale.length, {
    date: stale[0]!.on,
    tags: {
      mode: 'offline',
      kind: 'stale',
      symbols: stale.map((s) => ({ symbol: s.symbol, needed_on: s.on, last_close: s.last })),
      message: `offline: the cache has no close for ${stale.length} needed symbol(s) up to ${stale[stale.length - 1]!.on}: ${names.join(', ')}${more}; fallback closes are used where they exist, the rest is recorded in missing_prices`,
    },
    source: 'market_data',
    level: 'warn',
  });
  return stale.length;
}

export async function prefetchChunk(
  run: RunContext,
  dates: readonly IsoDate[],
  needByDate: ReadonlyMap<IsoDate, ReadonlySet<string>>,
  latestStorable: IsoDate,
  /** The chunk's place in the run (0-based index, count), for the fetch_plan metric. */
  chunk: { readonly index: number; readonly count: number },
  cachedOnly: readonly string[] = [],
): Promise<PrefetchReport> {
  const t0 = run.clock.now();
  const requestsBefore = run.marketData.counters.requests;
  const { prices, datesBySymbol, ranges } = planChunkFetches(run, dates, needByDate, cachedOnly);
  run.prices = prices;
  reportMisnamedFiles(run, new Set(datesBySymbol.keys()));
  if (run.priceSources.length > 0) {
    let next = 0;
    const worker = async () => {
      while (next < ranges.length && !run.signal.aborted) {
        const r = ranges[next++]!;
        await fetchRange(run, r.symbol, r.start, r.end, latestStorable);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ranges.length) }, worker));
  }
  const report: Omit<PrefetchReport, 'staleSymbols'> = {
    symbols: datesBySymbol.size,
    ranges: ranges.length,
    requestedDays: ranges.reduce((s, r) => s + r.days, 0),
    fetchMode: fetchModeOf(ranges, dates[dates.length - 1] ?? null),
    durationMs: run.clock.now() - t0,
    requests: run.marketData.counters.requests - requestsBefore,
    sources: run.priceSources.map((s) => s.name),
  };
  run.telemetry.metric('fetch_plan', report.ranges, {
    date: dates[0] ?? null,
    tags: { symbols: report.symbols, requested_days: report.requestedDays, fetch_mode: report.fetchMode, sources: report.sources, first_index: dates[0] ? tradingDayIndex(dates[0]) : null, chunk_index: chunk.index, chunk_count: chunk.count, last_date: dates[dates.length - 1] ?? null },
    source: 'market_data',
  });
  const staleSymbols = run.settings['market_data.mode'] === 'offline' ? reportStale(run, datesBySymbol) : 0;
  return { ...report, staleSymbols };
}
