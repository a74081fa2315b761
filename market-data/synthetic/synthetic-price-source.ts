/**
 * PriceSource adapter 'synthetic' (SPEC.md e.1, e.9): answers from a SyntheticGenerator
 * without any I/O. Private-looking symbols and option contracts get outcome 'no_data' (they are
 * never generated); so does a range with no trading day inside the calendar, or one whose
 * every close was removed by an injected gap. An aborted signal rejects with its reason, as a
 * fetch would.
 */
import { canonicalSymbol } from '../../core/domain/symbols';
import type { IsoDate } from '../../core/domain/iso-date';
import type { PriceRequest, PriceResponse, PriceSource } from '../../core/ports/market-data';
import type { SyntheticGenerator } from './synthetic-generator';

/** Every synthetic path starts on the calendar's first trading day. */
const FIRST_TRADE_DATE = '2000-01-03' as IsoDate;

export function createSyntheticPriceSource(generator: SyntheticGenerator): PriceSource {
  return {
    name: 'synthetic',
    async fetchPrices(request: PriceRequest, signal: AbortSignal): Promise<PriceResponse> {
      signal.throwIfAborted();
      const symbol = canonicalSymbol(request.symbol);
      const base = {
        symbol: request.symbol,
        start: request.start,
        end: request.end,
        rateLimited: false,
        circuitOpen: false,
        httpRequests: 0,
        retries: 0,
      };
      if (!generator.canGenerate(symbol)) {
        return { ...base, outcome: 'no_data', quotes: [], firstTradeDate: null, error: 'not generated: private or option symbol' };
      }
      if (request.start > request.end) {
        return { ...base, outcome: 'invalid', quotes: [], firstTradeDate: FIRST_TRADE_DATE, error: 'start is after end' };
      }
      const quotes = generator.quotes(symbol, request.start, request.end);
      return {
        ...base,
        outcome: quotes.length > 0 ? 'ok' : 'no_data',
        quotes,
        firstTradeDate: FIRST_TRADE_DATE,
        error: null,
      };
    },
  };
}

