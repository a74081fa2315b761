/**
 * The recorded-shape fixtures of test/fixtures/yahoo (see its README), loaded for the mock.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Json } from './mock-bodies';
import { zonedDate, type MockBar } from './mock-series';

export const YAHOO_FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/yahoo/', import.meta.url));

export function readYahooFixture(name: string): Json {
  return JSON.parse(readFileSync(`${YAHOO_FIXTURE_DIR}${name}`, 'utf8')) as Json;
}

export interface ChartFixture {
  readonly meta: Json;
  readonly bars: readonly MockBar[];
}

/** Splits a recorded chart answer into its meta and bars (dates in the meta's zone). */
export function chartFixture(name: string): ChartFixture {
  const body = readYahooFixture(name) as { chart: { result: [Record<string, unknown>] } };
  const result = body.chart.result[0] as {
    meta: Json & { exchangeTimezoneName: string };
    timestamp: number[];
    indicators: { quote: [Record<'open' | 'high' | 'low' | 'close' | 'volume', (number | null)[]>] };
  };
  const q = result.indicators.quote[0];
  const bars = result.timestamp.map((timestamp, i) => ({
    date: zonedDate(timestamp, result.meta.exchangeTimezoneName),
    timestamp,
    open: q.open[i] ?? null,
    high: q.high[i] ?? null,
    low: q.low[i] ?? null,
    close: q.close[i] ?? null,
    volume: q.volume[i] ?? null,
  }));
  return { meta: result.meta, bars };
}

/** quoteSummary modules of a recorded answer, by module name. */
export function quoteSummaryFixture(name: string): Readonly<Record<string, unknown>> {
  const body = readYahooFixture(name) as { quoteSummary: { result: [Record<string, unknown>] } };
  return body.quoteSummary.result[0];
}
