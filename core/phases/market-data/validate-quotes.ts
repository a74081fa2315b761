/**
 * Price validation (SPEC.md e.4, m.13), applied to every quote from every source before it
 * is merged into the cache:
 *
 * - a close that is not finite or not > 0 is rejected (never stored, the stored row stays);
 * - a quote on a day that is not a trading day (or outside the calendar) is dropped;
 * - a negative or non-finite volume becomes null;
 * - an absurd jump, |close / previous valid close − 1| > jump_threshold, is flagged `jump`.
 *   Option contract symbols skip this check.
 *
 * "Previous valid close" is the close the cache holds for the previous trading day once this
 * answer is merged: the previous quote of the answer, or the stored close when that quote was
 * kept out, or the latest stored close before the day. When the cache already holds a valid,
 * unflagged close for the quote's own day, the quote would replace it, so it is also checked
 * against that close: a replacement that moves the close beyond the threshold is a flagged
 * jump too. A flagged jump never replaces a stored valid close (m.13): such quotes come back
 * with `keepsStored` and the stored close stays. A stored row that is itself flagged `jump`
 * is replaced by a different valid close, whose flag is evaluated again (e.4).
 *
 * A quote equal to the stored close changes nothing and is not flagged again.
 *
 * A quote may say where it was read (`origin`, the CSV directory source's file and line); a
 * rejected, dropped or flagged quote carries it on, and a rejection's reason names it, so the
 * warnings and the missing-price reason point at the row to fix.
 */
import { isTradingDay } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';
import { isOptionContractSymbol } from '../../domain/symbols';
import type { Quote, QuoteOrigin } from '../../ports/market-data';
import type { ValidatedQuote } from '../../ports/store';

/** What the cache holds for one (symbol, day). */
export interface StoredClose {
  readonly close: number;
  readonly jump: boolean;
}

/** Read access to the stored closes of the symbol being validated. */
export interface StoredCloses {
  /** The stored valid close on d, or null. */
  on(d: IsoDate): StoredClose | null;
  /** The latest stored valid close strictly before d, or null. */
  before(d: IsoDate): { readonly date: IsoDate; readonly close: number } | null;
}

export interface RejectedQuote {
  readonly date: IsoDate;
  readonly close: number;
  /** "invalid close 0", followed by the origin when known: "invalid close 0 (AAPL.csv line 7)". */
  readonly why: string;
  readonly origin: QuoteOrigin | null;
  /** A valid close for the day is stored and stays. */
  readonly storedStays: boolean;
}

export interface FlaggedJump {
  readonly date: IsoDate;
  readonly close: number;
  /** The close it was compared with (previous day's, or the stored close of the day). */
  readonly reference: number;
  /** The quote is not stored: the stored valid close of the day stays (m.13). */
  readonly keepsStored: boolean;
  /** The close stored for the day before this quote, if any (the one that stays when keepsStored). */
  readonly storedClose: number | null;
  readonly origin: QuoteOrigin | null;
}

/** A quote dropped because its date is not a trading day. */
export interface DroppedQuote {
  readonly date: IsoDate;
  readonly origin: QuoteOrigin | null;
}

export interface ValidatedForMerge extends ValidatedQuote {
  /** True when the stored close of the day stays (a flagged jump over a valid close). */
  readonly keepsStored: boolean;
}

export interface QuoteValidation {
  /** Quotes to merge, in date order (including those whose stored close stays). */
  readonly valid: readonly ValidatedForMerge[];
  readonly rejected: readonly RejectedQuote[];
  /** Quotes dropped because they are not dated on trading days. */
  readonly droppedNonTrading: readonly DroppedQuote[];
  readonly jumps: readonly FlaggedJump[];
}

function tradingDayOrFalse(d: IsoDate): boolean {
  try {
    return isTradingDay(d);
  } catch {
    return false;
  }
}

function isJump(close: number, reference: number, threshold: number): boolean {
  return Math.abs(close / reference - 1) > threshold;
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** "AAPL.csv line 7" */
export function describeOrigin(origin: QuoteOrigin): string {
  return `${origin.file} line ${origin.line}`;
}

/**
 * @param symbol canonical symbol (option contracts skip the jump check)
 * @param quotes the answer, any order; one quote per date (a later duplicate is ignored)
 * @param stored the cache's closes for the symbol
 * @param jumpThreshold market_data.jump_threshold (default 0.5, a fraction)
 */
export function validateQuotes(symbol: string, quotes: readonly Quote[], stored: StoredCloses, jumpThreshold: number): QuoteValidation {
  const sorted = [...quotes].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const valid: ValidatedForMerge[] = [];
  const rejected: RejectedQuote[] = [];
  const dropped: DroppedQuote[] = [];
  const jumps: FlaggedJump[] = [];
  const checkJumps = !isOptionContractSymbol(symbol);
  // The close the cache will hold on the latest day seen so far in this answer.
  let effective: { date: IsoDate; close: number } | null = null;
  let lastDate: IsoDate | null = null;
  for (const q of sorted) {
    if (q.date === lastDate) continue;
    lastDate = q.date;
    const origin = q.origin ?? null;
    if (!tradingDayOrFalse(q.date)) {
      dropped.push({ date: q.date, origin });
      continue;
    }
    const current = stored.on(q.date);
    if (!Number.isFinite(q.close) || q.close <= 0) {
      const why = `invalid close ${String(q.close)}${origin ? ` (${describeOrigin(origin)})` : ''}`;
      rejected.push({ date: q.date, close: q.close, why, origin, storedStays: current !== null });
      if (current) effective = { date: q.date, close: current.close };
      continue;
    }
    const before = stored.before(q.date);
    const previous = effective && (!before || effective.date >= before.date) ? effective.close : (before?.close ?? null);
    let jump = false;
    let reference = 0;
    if (current && current.close === q.close) {
      jump = current.jump;
    } else if (checkJumps) {
      if (current && !current.jump && isJump(q.close, current.close, jumpThreshold)) {
        jump = true;
        reference = current.close;
      } else if (previous !== null && isJump(q.close, previous, jumpThreshold)) {
        jump = true;
        reference = previous;
      }
    }
    const keepsStored = jump && current !== null && !current.jump && current.close !== q.close;
    if (jump && !(current && current.close === q.close)) jumps.push({ date: q.date, close: q.close, reference, keepsStored, storedClose: current?.close ?? null, origin });
    valid.push({
      date: q.date,
      close: q.close,
      volume: q.volume !== null && Number.isFinite(q.volume) && q.volume >= 0 ? Math.round(q.volume) : null,
      open: finiteOrNull(q.open),
      high: finiteOrNull(q.high),
      low: finiteOrNull(q.low),
      jump,
      keepsStored,
    });
    effective = { date: q.date, close: keepsStored ? current!.close : q.close };
  }
  return { valid, rejected, droppedNonTrading: dropped, jumps };
}
