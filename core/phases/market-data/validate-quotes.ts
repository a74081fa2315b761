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
 * A quote equal to the stored close changes no close; when the answer corrected the close before
 * it (replaced a different stored close), its flag is evaluated again against the corrected one,
 * and reported only when newly flagged. A corrected close also re-evaluates the flag of the next
 * stored close after it that the answer does not hold (`reflagged`): that day's flag was set
 * against the close now replaced.
 *
 * A quote may say where it was read (`origin`, the CSV directory source's file and line); a
 * rejected, dropped or flagged quote carries it on, and a rejection's reason names it, so the
 * warnings and the missing-price reason point at the row to fix.
 */
import { isTradingDay, tradingDayIndex } from '../../calendar';
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
  /** The earliest stored valid close strictly after d, with its flag, or null. */
  after(d: IsoDate): (StoredClose & { readonly date: IsoDate }) | null;
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
  /**
   * Stored closes outside the answer whose flag changes because the close before them was corrected:
   * the stored close with its new flag, to merge (its close, volume and source stay).
   */
  readonly reflagged: readonly ValidatedForMerge[];
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
  // The close the cache will hold on the latest day seen so far in this answer; `corrected`: it
  // replaces a different stored close.
  let effective: { date: IsoDate; close: number; corrected: boolean } | null = null;
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
      if (current) effective = { date: q.date, close: current.close, corrected: false };
      continue;
    }
    const before = stored.before(q.date);
    const fromAnswer = effective !== null && (!before || effective.date >= before.date);
    const previous = fromAnswer ? effective!.close : (before?.close ?? null);
    let jump = false;
    let reference = 0;
    const unchanged = current !== null && current.close === q.close;
    if (unchanged) {
      // Its flag compared it with a previous close this answer corrected: compared again.
      const recheck = checkJumps && fromAnswer && effective!.corrected;
      jump = recheck ? isJump(q.close, previous!, jumpThreshold) : current.jump;
      reference = previous ?? 0;
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
    if (jump && !(unchanged && current.jump)) jumps.push({ date: q.date, close: q.close, reference, keepsStored, storedClose: current?.close ?? null, origin });
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
    effective = { date: q.date, close: keepsStored ? current!.close : q.close, corrected: !keepsStored && current !== null && current.close !== q.close };
  }
  const reflags = checkJumps ? nextDaysReflagged(valid, stored, jumpThreshold) : [];
  for (const { quote: r, reference } of reflags) if (r.jump) jumps.push({ date: r.date, close: r.close, reference, keepsStored: false, storedClose: r.close, origin: null });
  return { valid, rejected, droppedNonTrading: dropped, jumps, reflagged: reflags.map((r) => r.quote) };
}

/**
 * For each quote that replaces a different stored close of its day (a correction), the next stored
 * close after it when the answer does not hold that day (nor any day between): its flag evaluated
 * against the corrected close, when that differs from the stored flag. A close filling a gap is
 * no correction: the stored days after it are left as they are.
 */
function nextDaysReflagged(valid: readonly ValidatedForMerge[], stored: StoredCloses, jumpThreshold: number): { quote: ValidatedForMerge; reference: number }[] {
  const out: { quote: ValidatedForMerge; reference: number }[] = [];
  valid.forEach((q, i) => {
    const following = valid[i + 1];
    const was = stored.on(q.date);
    // When the answer holds the next trading day, that quote was evaluated against this one above.
    if (q.keepsStored || !was || was.close === q.close || (following && tradingDayIndex(following.date) === tradingDayIndex(q.date) + 1)) return;
    const next = stored.after(q.date);
    if (!next || (following && following.date <= next.date)) return;
    const jump = isJump(next.close, q.close, jumpThreshold);
    if (jump !== next.jump) out.push({ quote: { date: next.date, close: next.close, volume: null, open: null, high: null, low: null, jump, keepsStored: false }, reference: q.close });
  });
  return out;
}
