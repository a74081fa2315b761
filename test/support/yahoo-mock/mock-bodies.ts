/**
 * Response bodies in Yahoo's shapes (see test/fixtures/yahoo/README.md): the v8 chart answer,
 * its empty-range variant, the v10 quoteSummary answer, and the error envelope
 * {"<module>":{"result":null,"error":{"code","description"}}}.
 */
import type { MockBar } from './mock-series';
import { zoneOffsetMs } from './mock-series';

export type Json = Record<string, unknown>;

export function chartBody(meta: Json, bars: readonly MockBar[]): Json {
  if (bars.length === 0) {
    // Yahoo's answer for a range without trading: no `timestamp`, empty quote/adjclose objects.
    return { chart: { result: [{ meta, indicators: { quote: [{}], adjclose: [{}] } }], error: null } };
  }
  return {
    chart: {
      result: [
        {
          meta,
          timestamp: bars.map((b) => b.timestamp),
          indicators: {
            quote: [
              {
                open: bars.map((b) => b.open),
                low: bars.map((b) => b.low),
                volume: bars.map((b) => b.volume),
                close: bars.map((b) => b.close),
                high: bars.map((b) => b.high),
              },
            ],
            adjclose: [{ adjclose: bars.map((b) => (b.close === null ? null : Math.round(b.close * 0.99 * 10_000) / 10_000)) }],
          },
        },
      ],
      error: null,
    },
  };
}

/** The chart meta for a symbol: the template with the symbol's own fields. */
export function chartMeta(
  template: Json,
  fields: { symbol: string; timeZone: string; firstTradeDate: number | null; lastBar: MockBar | null; nowSec: number },
  overrides: Json,
): Json {
  const offsetSec = Math.round(zoneOffsetMs(fields.nowSec * 1000, fields.timeZone) / 1000);
  const abbreviation =
    new Intl.DateTimeFormat('en-US', { timeZone: fields.timeZone, timeZoneName: 'short' })
      .formatToParts(fields.nowSec * 1000)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  const period = (start: number, end: number): Json => ({ timezone: abbreviation, start, end, gmtoffset: offsetSec });
  const t = fields.nowSec;
  return {
    ...template,
    symbol: fields.symbol,
    longName: `${fields.symbol} (mock)`,
    shortName: `${fields.symbol} (mock)`,
    exchangeTimezoneName: fields.timeZone,
    timezone: abbreviation,
    gmtoffset: offsetSec,
    firstTradeDate: fields.firstTradeDate,
    regularMarketTime: fields.lastBar?.timestamp ?? t,
    regularMarketPrice: fields.lastBar?.close ?? 100,
    currentTradingPeriod: { pre: period(t - 19800, t), regular: period(t, t + 23400), post: period(t + 23400, t + 37800) },
    ...overrides,
  };
}

export function errorEnvelope(module: string, code: string, description: string): Json {
  return { [module]: { result: null, error: { code, description } } };
}

export function quoteSummaryBody(modules: Readonly<Record<string, unknown>>, requested: readonly string[]): Json {
  const result: Json = {};
  for (const m of requested) if (m in modules) result[m] = modules[m];
  return { quoteSummary: { result: [result], error: null } };
}
