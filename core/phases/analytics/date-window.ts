/**
 * Calendar windows `[D − N, D]` (SPEC.md a.1, a.4) as inclusive ranges of the chunk price
 * table's local indices, the indexing every calc function takes (core/calc/align.ts). The
 * range ends at D: no close dated after D is ever read, even when the table holds later days.
 * A window that starts before the table is clipped to the table's first day.
 */
import { lookbackStart } from '../../calendar';
import type { DayRange } from '../../calc/align';
import type { IsoDate } from '../../domain/iso-date';
import type { PriceTable } from '../../engine/price-table';

export function windowRange(prices: Pick<PriceTable, 'indexOnOrAfter' | 'indexOnOrBefore'>, d: IsoDate, calendarDays: number): DayRange {
  return { from: prices.indexOnOrAfter(lookbackStart(d, calendarDays)), to: prices.indexOnOrBefore(d) };
}
