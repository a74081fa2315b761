/**
 * The market-data fetch plan of a dry run (SPEC.md g.4), per chunk: the needed symbols, the
 * ranges the chunk's prefetch would ask for (e.3), the estimated request count and the source
 * chain. Each chunk is planned as the run plans it, against the cache as it is now plus what
 * the earlier chunks would have fetched (counted as answered), so a look-back window shared by
 * two chunks is asked for once, as in the run.
 *
 * The estimate counts the requests the chain gets, as the run asks it (fetch-range.ts): one per
 * range to the first source, and one more to each later source for what the ones before it leave
 * missing. A source a dry run may ask (the CSV folder, which only reads files) is asked for each
 * range, so what it covers is known; any other source (Yahoo, the synthetic generator) is taken
 * to answer every day. It stays an estimate: a failed request is asked again on each date that
 * needs it (c.5 step 3), and those are not counted. Without a source (offline, no CSV folder)
 * nothing is asked and the ranges are what the cache lacks: each chunk lists the gaps of its own
 * windows, as its prefetch finds them, so a gap two chunks' windows share is in both.
 *
 * The total over all chunks counts each range once: the ranges no earlier chunk listed.
 */
import type { IsoDate } from '../domain/iso-date';
import type { Lot } from '../domain/portfolio';
import { formatTimestamp } from '../domain/timestamp';
import { fetchModeOf } from '../phases/market-data/fetch-plan';
import { planChunkFetches, planSymbolRanges } from '../phases/market-data/prefetch';
import { MarketDataRunState } from '../phases/market-data/run-state';
import { symbolsOfPlannedDate } from '../phases/market-data/symbols-needed';
import type { AbortSignalLike } from '../domain/abort-signal';
import { previewRangeRequests, storableCap } from '../phases/market-data/fetch-range';
import type { PriceSource, PriceSourceName } from '../ports/market-data';
import type { EngineStore } from '../ports/engine-store';
import type { ChunkFetchPreview, FetchTotal, RunPlan } from './plan-types';
import type { EngineSettings } from './settings';

export interface FetchPreviewInput {
  readonly store: Pick<EngineStore, 'loadPrices' | 'loadFetchLog'>;
  readonly settings: EngineSettings;
  readonly plan: RunPlan;
  readonly lotsByPortfolio: ReadonlyMap<string, readonly Lot[]>;
  readonly sources: readonly PriceSourceName[];
  /** The run's source chain: the estimate asks the ones a dry run may ask (PriceSource.askedInDryRun); without it, one request per range. */
  readonly chain?: readonly PriceSource[];
  readonly signal?: AbortSignalLike;
  readonly nowMs: number;
}

export async function previewFetches(input: FetchPreviewInput): Promise<{ readonly chunks: ChunkFetchPreview[]; readonly total: FetchTotal }> {
  const { plan, settings, sources } = input;
  const plannedByDate = new Map(plan.dates.map((d) => [d.date, d]));
  const fetchOptions = settings['market_data.fetch_option_contracts'];
  const needs = plan.chunks.map((chunk) => new Map(chunk.map((d) => [d, symbolsOfPlannedDate(plannedByDate.get(d)!, input.lotsByPortfolio, fetchOptions)])));
  const allSymbols = [...new Set(needs.flatMap((m) => [...m.values()].flatMap((s) => [...s])))];
  const log = input.store.loadFetchLog(allSymbols);
  const marketData = new MarketDataRunState(log);
  // What the earlier chunks listed, counted as answered. With a source, the run asks for it once: the chunks plan
  // against that. Without one, each chunk still lacks it, and only the total counts it once.
  const listed = sources.length > 0 ? marketData : new MarketDataRunState(log);
  const context = { store: input.store, settings, marketData };
  const requestedAt = formatTimestamp(input.nowMs);
  const total = { ranges: 0, requestedDays: 0 };
  const cap = storableCap(plan.targetDate, input.nowMs);
  const chunks: ChunkFetchPreview[] = [];
  for (const [index, chunk] of plan.chunks.entries()) {
    const base = { index, firstDate: chunk[0]!, lastDate: chunk[chunk.length - 1]!, sources };
    if (!chunk.some((d) => plannedByDate.get(d)!.datePhases.includes('market_data'))) {
      chunks.push({ ...base, marketData: false, symbols: [], ranges: [], requestedDays: 0, estimatedRequests: 0, fetchMode: 'cached' });
      continue;
    }
    const { prices, datesBySymbol, ranges } = planChunkFetches(context, chunk, needs[index]!);
    const symbols = [...datesBySymbol.keys()].sort();
    const fresh = listed === marketData ? ranges : symbols.flatMap((s) => planSymbolRanges({ prices, settings, marketData: listed }, s, datesBySymbol.get(s)!));
    // The later chunks find these ranges answered, as they will once this chunk's prefetch asked for them (any
    // provider's `ok` answers a day; offline, with none, the name is only a placeholder).
    for (const r of fresh) {
      listed.record({ symbol: r.symbol, provider: sources[0] ?? 'csv', rangeStart: r.start, rangeEnd: r.end, requestedAt, outcome: 'ok', rowsReturned: r.days, firstTradeDate: null, error: null, runId: null }, false);
    }
    total.ranges += fresh.length;
    total.requestedDays += fresh.reduce((s, r) => s + r.days, 0);
    // Asked as the prefetch asks them (the CSV folder's closes fill this chunk's table as they come).
    let estimatedRequests = 0;
    if (sources.length > 0 && input.chain && input.signal) {
      const view = { prices, marketData, settings, priceSources: input.chain, signal: input.signal };
      for (const r of ranges) estimatedRequests += await previewRangeRequests(view, r.symbol, r.start, r.end, cap);
    } else if (sources.length > 0) estimatedRequests = ranges.length;
    chunks.push({
      ...base,
      marketData: true,
      symbols,
      ranges,
      requestedDays: ranges.reduce((s, r) => s + r.days, 0),
      estimatedRequests,
      fetchMode: fetchModeOf(ranges, base.lastDate),
    });
  }
  return { chunks, total };
}
