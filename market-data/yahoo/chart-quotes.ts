/**
 * Daily quotes from a yahoo-finance2 `chart()` result (SPEC.md e.7).
 *
 * - trading date = the quote timestamp's calendar date in the exchange zone
 *   (meta.exchangeTimezoneName, default America/New_York), never the UTC date;
 * - close is Yahoo's `close` (split-adjusted, not dividend-adjusted), never `adjclose`;
 * - a quote with a null close is skipped; open/high/low/volume are kept when present;
 * - only dates inside the requested range are kept; when Yahoo repeats a date (its live bar
 *   for the current session) the later entry wins; output is in date order;
 * - meta.firstTradeDate becomes an exchange-zone date too.
 *
 * Values are not validated here (no positivity check): e.4 validation happens in core for
 * every source alike.
 */
import { z } from 'zod';
import type { IsoDate } from '../../core/domain/iso-date';
import type { Quote } from '../../core/ports/market-data';
import { exchangeDateFormatter } from './exchange-date';

const anyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const optionalNumber = anyNumber.nullish().transform((v) => (v === undefined || v === null || !Number.isFinite(v) ? null : v));

/** The fields of a chart result this adapter uses; the library has already validated the rest. */
export const chartResultSchema = z.object({
  meta: z.object({
    exchangeTimezoneName: z.string().nullish(),
    firstTradeDate: z.date().nullish(),
  }),
  quotes: z.array(
    z.object({
      date: z.date(),
      close: anyNumber.nullish(),
      open: optionalNumber,
      high: optionalNumber,
      low: optionalNumber,
      volume: optionalNumber,
    }),
  ),
});

export interface ChartQuotes {
  readonly quotes: readonly Quote[];
  readonly firstTradeDate: IsoDate | null;
  readonly timeZone: string;
  /** True when the zone was missing or unknown and America/New_York was used. */
  readonly timeZoneFellBack: boolean;
  /** Quotes dropped because the close was null. */
  readonly nullCloses: number;
}

export type ChartParse = { readonly ok: true; readonly value: ChartQuotes } | { readonly ok: false; readonly message: string };

export function quotesFromChart(raw: unknown, range: { readonly start: IsoDate; readonly end: IsoDate }): ChartParse {
  const parsed = chartResultSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `unexpected chart result: ${z.prettifyError(parsed.error)}` };
  const { meta, quotes } = parsed.data;
  const zone = exchangeDateFormatter(meta.exchangeTimezoneName);
  const byDate = new Map<IsoDate, Quote>();
  let nullCloses = 0;
  for (const q of quotes) {
    if (q.close === null || q.close === undefined || !Number.isFinite(q.close)) {
      nullCloses += 1;
      continue;
    }
    const date = zone.dateOf(q.date.getTime());
    if (date < range.start || date > range.end) continue;
    byDate.set(date, { date, close: q.close, volume: q.volume, open: q.open, high: q.high, low: q.low });
  }
  const sorted = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const ftd = meta.firstTradeDate;
  return {
    ok: true,
    value: {
      quotes: sorted,
      firstTradeDate: ftd && Number.isFinite(ftd.getTime()) ? zone.dateOf(ftd.getTime()) : null,
      timeZone: zone.timeZone,
      timeZoneFellBack: zone.fellBack,
      nullCloses,
    },
  };
}
