/**
 * Price validation (SPEC.md e.4), applied to every quote from every source: a non-finite or
 * non-positive close is rejected; a quote on a non-trading day is dropped; a negative volume
 * becomes null; a one-day move beyond the jump threshold is kept but flagged `jump`.
 * Option contract symbols skip the jump check.
 */
import { isTradingDay } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';
import { isOptionContractSymbol } from '../../domain/symbols';
import type { Quote } from '../../ports/market-data';
import type { ValidatedQuote } from '../../ports/store';

export interface QuoteValidation {
  readonly valid: ValidatedQuote[];
  readonly rejected: { readonly date: IsoDate; readonly close: number; readonly why: string }[];
  readonly droppedNonTrading: number;
  readonly jumps: IsoDate[];
}

/**
 * @param previousClose the latest stored valid close before the first quote (for the jump check), or null.
 */
export function validateQuotes(symbol: string, quotes: readonly Quote[], previousClose: (d: IsoDate) => number | null, jumpThreshold: number): QuoteValidation {
  const sorted = [...quotes].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const valid: ValidatedQuote[] = [];
  const rejected: QuoteValidation['rejected'] = [];
  const jumps: IsoDate[] = [];
  let dropped = 0;
  const checkJumps = !isOptionContractSymbol(symbol);
  let prev: number | null = null;
  let first = true;
  for (const q of sorted) {
    if (!isTradingDay(q.date)) {
      dropped++;
      continue;
    }
    if (!Number.isFinite(q.close) || q.close <= 0) {
      rejected.push({ date: q.date, close: q.close, why: `invalid close ${String(q.close)}` });
      continue;
    }
    if (first) {
      prev = previousClose(q.date);
      first = false;
    }
    const jump = checkJumps && prev !== null && Math.abs(q.close / prev - 1) > jumpThreshold;
    if (jump) jumps.push(q.date);
    valid.push({
      date: q.date,
      close: q.close,
      volume: q.volume !== null && Number.isFinite(q.volume) && q.volume >= 0 ? Math.round(q.volume) : null,
      open: q.open !== null && Number.isFinite(q.open) ? q.open : null,
      high: q.high !== null && Number.isFinite(q.high) ? q.high : null,
      low: q.low !== null && Number.isFinite(q.low) ? q.low : null,
      jump,
    });
    prev = q.close;
  }
  return { valid, rejected, droppedNonTrading: dropped, jumps };
}
