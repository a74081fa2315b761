/**
 * Calendar date of an instant in an exchange's time zone (SPEC.md e.7): a daily bar's
 * timestamp is the session open in exchange time, so its UTC date can be the previous day
 * (Sydney 10:00 AEDT = 23:00 UTC the day before). The tz database does the DST work
 * (Intl.DateTimeFormat), never the host's zone.
 */
import { makeIsoDate, type IsoDate } from '../../core/domain/iso-date';

/** Used when the provider gives no zone or one Intl does not know (e.7). */
export const DEFAULT_EXCHANGE_TIME_ZONE = 'America/New_York';

export interface ExchangeDateFormatter {
  /** The zone actually used. */
  readonly timeZone: string;
  /** True when the requested zone was missing or unknown and the default was used. */
  readonly fellBack: boolean;
  /** Exchange-zone calendar date of an instant (epoch ms). */
  dateOf(epochMs: number): IsoDate;
}

export function exchangeDateFormatter(timeZone: string | null | undefined): ExchangeDateFormatter {
  const requested = timeZone?.trim() ?? '';
  let format: Intl.DateTimeFormat | null = null;
  if (requested !== '') {
    try {
      format = dateFormat(requested);
    } catch {
      format = null; // RangeError: unknown zone
    }
  }
  const fellBack = format === null;
  const used = fellBack ? DEFAULT_EXCHANGE_TIME_ZONE : requested;
  const effective = format ?? dateFormat(DEFAULT_EXCHANGE_TIME_ZONE);
  return {
    timeZone: used,
    fellBack,
    dateOf(epochMs: number): IsoDate {
      if (!Number.isFinite(epochMs)) throw new RangeError(`not a finite instant: ${epochMs}`);
      let y = 0;
      let m = 0;
      let d = 0;
      for (const part of effective.formatToParts(epochMs)) {
        if (part.type === 'year') y = Number(part.value);
        else if (part.type === 'month') m = Number(part.value);
        else if (part.type === 'day') d = Number(part.value);
      }
      return makeIsoDate(y, m, d);
    },
  };
}

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
}
