/**
 * The chunk prefetch (SPEC.md e.3): loads the chunk's price table from the cache, plans the
 * unsatisfied ranges of every needed symbol and asks the sources for them, a few at a time
 * (adapters enforce their own rate limits). Returns what the first date's metrics report.
 */
import { lookbackStart, tradingDayIndex } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';
import { PriceTable } from '../../engine/price-table';
import type { RunContext } from '../../engine/phase-types';
import { fetchRange } from './fetch-range';
import { fetchModeOf, planSymbol, PRICE_WINDOW_DAYS, requiredIndexes, type FetchMode, type FetchRange } from './fetch-plan';
import { settleInstantMs } from './settle-time';

export interface PrefetchReport {
  readonly symbols: number;
  readonly ranges: number;
  readonly requestedDays: number;
  readonly fetchMode: FetchMode;
  readonly durationMs: number;
  readonly sources: readonly string[];
}

const CONCURRENCY = 4;

export function chunkPriceTable(run: RunContext, dates: readonly IsoDate[], symbols: readonly string[]): PriceTable {
  const first = dates[0]!;
  const last = dates[dates.length - 1]!;
  const table = new PriceTable(lookbackStart(first, PRICE_WINDOW_DAYS), last);
  table.declare(symbols);
  table.load(run.store.loadPrices(symbols, table.start, last));
  return table;
}

export async function prefetchChunk(
  run: RunContext,
  dates: readonly IsoDate[],
  needByDate: ReadonlyMap<IsoDate, ReadonlySet<string>>,
  latestStorable: IsoDate,
): Promise<PrefetchReport> {
  const t0 = run.clock.now();
  const datesBySymbol = new Map<string, IsoDate[]>();
  for (const d of dates) for (const s of needByDate.get(d) ?? []) (datesBySymbol.get(s) ?? datesBySymbol.set(s, []).get(s)!).push(d);
  const symbols = [...datesBySymbol.keys()].sort();
  run.prices = chunkPriceTable(run, dates, symbols);
  const table = run.prices;
  const settleHour = run.settings['market_data.settle_hour'];
  const ranges: FetchRange[] = [];
  for (const symbol of symbols) {
    const series = table.seriesOf(symbol)!;
    ranges.push(
      ...planSymbol(symbol, requiredIndexes(datesBySymbol.get(symbol)!), {
        hasClose: (g) => {
          const i = g - table.startIndex;
          return i >= 0 && i < table.length && !Number.isNaN(series[i]!);
        },
        answered: run.marketData.entries(symbol).filter((e) => e.outcome === 'ok' || e.outcome === 'no_data'),
        firstTradeDate: run.marketData.firstTradeDate(symbol),
        settleMs: (d) => settleInstantMs(d, settleHour),
      }),
    );
  }
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
  const report: PrefetchReport = {
    symbols: symbols.length,
    ranges: ranges.length,
    requestedDays: ranges.reduce((s, r) => s + r.days, 0),
    fetchMode: fetchModeOf(ranges, dates[dates.length - 1] ?? null),
    durationMs: run.clock.now() - t0,
    sources: run.priceSources.map((s) => s.name),
  };
  run.telemetry.metric('fetch_plan', report.ranges, {
    date: dates[0] ?? null,
    tags: { symbols: report.symbols, requested_days: report.requestedDays, fetch_mode: report.fetchMode, sources: report.sources, first_index: dates[0] ? tradingDayIndex(dates[0]) : null },
    source: 'market_data',
  });
  return report;
}
