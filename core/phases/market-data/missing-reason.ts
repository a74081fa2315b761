/**
 * Why a needed symbol has no valid close exactly on D (SPEC.md e.6), first rule that applies:
 *   1 not_listed_yet        the first trade date is after D
 *   2 invalid_price         a close for D existed but failed validation (e.4)
 *   3 rate_limited          the last request covering D was refused for rate limiting
 *   4 provider_error        the last request covering D failed otherwise
 *   5 stale_beyond_fallback no close on D and none in the fallback window either
 *   6 no_data               no close on D, but a fallback close exists
 *
 * Rule 2 holds when this run saw D's close rejected, or when the last request covering D is
 * the fetch log's one-day `invalid` entry that fetch-range.ts writes for a rejected close (so
 * a later run gives the same reason). A multi-day `invalid` entry (every returned row failed)
 * says nothing about days that had no row at all; those fall through to rules 5 and 6. Its
 * detail is the rejection in the words this run gives it, so a re-run that reads nothing writes
 * the same row.
 */
import type { IsoDate } from '../../domain/iso-date';
import type { FetchLogEntry, MissingPriceRow } from '../../ports/store';

export interface MissingReasonInput {
  readonly d: IsoDate;
  readonly firstTradeDate: IsoDate | null;
  /** Why this run rejected D's close, or null. */
  readonly invalidReason: string | null;
  readonly lastRequest: FetchLogEntry | null;
  readonly fallbackDate: IsoDate | null;
  readonly lastKnownDate: IsoDate | null;
  /** No source ever returned a valid close for the symbol (none cached at any date). */
  readonly neverPriced: boolean;
}

export function missingReason(i: MissingReasonInput): { reason: MissingPriceRow['reason']; detail: string | null } {
  if (i.firstTradeDate !== null && i.firstTradeDate > i.d) return { reason: 'not_listed_yet', detail: `first trade date ${i.firstTradeDate}` };
  const last = i.lastRequest;
  if (i.invalidReason !== null) return { reason: 'invalid_price', detail: i.invalidReason };
  if (last && last.outcome === 'invalid' && last.rangeStart === i.d && last.rangeEnd === i.d) return { reason: 'invalid_price', detail: loggedRejection(last) };
  if (last && last.outcome === 'rate_limited') return { reason: 'rate_limited', detail: last.error };
  if (last && last.outcome === 'provider_error') return { reason: 'provider_error', detail: last.error };
  if (i.fallbackDate === null) {
    return {
      reason: 'stale_beyond_fallback',
      detail: i.lastKnownDate !== null ? `last close ${i.lastKnownDate}` : i.neverPriced ? 'never priced: check the symbol' : 'no close on or before this date in the cache',
    };
  }
  return { reason: 'no_data', detail: null };
}

/**
 * The rejection a one-day `invalid` fetch-log row records, without the ` from <provider>` that
 * fetch-range.ts adds to the log: the words the run that rejected the close gave the day's
 * detail, so that run and a later one that only reads the log write the same missing_prices row.
 */
function loggedRejection(entry: FetchLogEntry): string | null {
  const from = ` from ${entry.provider}`;
  return entry.error?.endsWith(from) ? entry.error.slice(0, -from.length) : entry.error;
}
