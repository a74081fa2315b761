/**
 * The market-data fetch plan of a dry run (SPEC.md g.4), per chunk: the needed symbols, the
 * ranges the chunk's prefetch would ask for (e.3), the estimated request count and the source
 * chain. Each chunk is planned as the run plans it, against the cache as it is now plus what
 * the earlier chunks would have fetched (counted as answered), so a look-back window shared by
 * two chunks is asked for once, as in the run.
 *
 * It is an estimate: one request per range to the first source of the chain; a later source is
 * asked only for what the first leaves missing, and on each date the run asks once more for a
 * needed symbol still without a close (c.5 step 3). Without a source (offline, no CSV folder)
 * nothing is asked and the ranges are what the cache lacks.
 */
import type { IsoDate } from '../domain/iso-date';
import type { Lot } from '../domain/portfolio';
import { formatTimestamp } from '../domain/timestamp';
import { fetchModeOf } from '../phases/market-data/fetch-plan';
import { planChunkFetches } from '../phases/market-data/prefetch';
import { MarketDataRunState } from '../phases/market-data/run-state';
import { symbolsOfPlannedDate } from '../phases/market-data/symbols-needed';
import type { PriceSourceName } from '../ports/market-data';
import type { EngineStore } from '../ports/engine-store';
import type { ChunkFetchPreview, RunPlan } from './plan-types';
import type { EngineSettings } from './settings';

export interface FetchPreviewInput {
  readonly store: Pick<EngineStore, 'loadPrices' | 'loadFetchLog'>;
  readonly settings: EngineSettings;
  readonly plan: RunPlan;
  readonly lotsByPortfolio: ReadonlyMap<string, readonly Lot[]>;
  readonly sources: readonly PriceSourceName[];
  readonly nowMs: number;
}

export function previewFetches(input: FetchPreviewInput): ChunkFetchPreview[] {
  const { plan, settings, sources } = input;
  const plannedByDate = new Map(plan.dates.map((d) => [d.date, d]));
  const fetchOptions = settings['market_data.fetch_option_contracts'];
  const needs = plan.chunks.map((chunk) => new Map(chunk.map((d) => [d, symbolsOfPlannedDate(plannedByDate.get(d)!, input.lotsByPortfolio, fetchOptions)])));
  const allSymbols = [...new Set(needs.flatMap((m) => [...m.values()].flatMap((s) => [...s])))];
  const marketData = new MarketDataRunState(input.store.loadFetchLog(allSymbols));
  const context = { store: input.store, settings, marketData };
  const requestedAt = formatTimestamp(input.nowMs);
  return plan.chunks.map((chunk, index) => {
    const base = { index, firstDate: chunk[0]!, lastDate: chunk[chunk.length - 1]!, sources };
    if (!chunk.some((d) => plannedByDate.get(d)!.datePhases.includes('market_data'))) {
      return { ...base, marketData: false, symbols: [], ranges: [], requestedDays: 0, estimatedRequests: 0, fetchMode: 'cached' };
    }
    const { datesBySymbol, ranges } = planChunkFetches(context, chunk, needs[index]!);
    // The later chunks find these ranges answered, as they will once this chunk's prefetch asked for them.
    if (sources.length > 0) {
      for (const r of ranges) {
        marketData.record({ symbol: r.symbol, provider: sources[0]!, rangeStart: r.start, rangeEnd: r.end, requestedAt, outcome: 'ok', rowsReturned: r.days, firstTradeDate: null, error: null, runId: null }, false);
      }
    }
    return {
      ...base,
      marketData: true,
      symbols: [...datesBySymbol.keys()].sort(),
      ranges,
      requestedDays: ranges.reduce((s, r) => s + r.days, 0),
      estimatedRequests: sources.length > 0 ? ranges.length : 0,
      fetchMode: fetchModeOf(ranges, base.lastDate),
    };
  });
}
